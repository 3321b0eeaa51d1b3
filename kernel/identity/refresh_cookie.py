"""The refresh token as an HttpOnly cookie, for browser clients (the storefront).

A page's scripts never see it, so an injected script cannot steal a long-lived credential;
``SameSite=Strict`` keeps other sites' pages from sending it, and its path limits it to
``/api/users`` (refresh and logout), so no other call carries it. The JSON body still holds
the refresh token for API clients that keep their own (``docs/security.md``).
"""

from __future__ import annotations

from flask import after_this_request, current_app, request

from kernel.context import commerce
from kernel.domain.errors import ValidationFailed

NAME = "commerce_refresh"
PATH = "/api/users"


def send(pair: dict) -> dict:
    """Set the cookie of ``pair``'s refresh token on this request's answer; returns ``pair``."""
    max_age = int(current_app.config["JWT_REFRESH_TOKEN_EXPIRES"].total_seconds())
    secure = commerce().site.security["https"] or request.is_secure

    @after_this_request
    def set_cookie(response):
        response.set_cookie(NAME, pair["refresh_token"], max_age=max_age, path=PATH, secure=secure,
                            httponly=True, samesite="Strict")
        return response

    return pair


def token_of(body: dict) -> str:
    """The body's ``refreshToken``, else the cookie's; neither is a 422 naming the field (as a
    missing field of any body is), not a 401: nothing was presented that could be refused."""
    token = body.get("refresh_token") or request.cookies.get(NAME)
    if not token:
        raise ValidationFailed("A refresh token is required: in the body or the commerce_refresh cookie.",
                               errors={"refreshToken": ["Missing data for required field."]})
    return token


def clear() -> None:
    @after_this_request
    def delete_cookie(response):
        response.delete_cookie(NAME, path=PATH, httponly=True, samesite="Strict")
        return response
