"""Sign-in attempts limited per account, on top of the per-client route limit
(``[rate_limits] "POST /api/users/login"``): failed logins for one email, whichever client tries."""

from __future__ import annotations

from flask import Flask, request

from kernel.site import SiteConfig

DEFAULT_PER_ACCOUNT = "5/minute"


def account_key() -> str:
    """The email the login request names (the limiter runs before the view parses the body)."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    return f"account:{email.strip().lower()[:255]}" if isinstance(email, str) else "account:-"


def limit_login(app: Flask, site: SiteConfig) -> None:
    limiter = app.extensions["commerce_limiter"]
    limit = site.rate_limits.get("login_per_account", DEFAULT_PER_ACCOUNT)
    view = "users.login"
    app.view_functions[view] = limiter.limit(limit, key_func=account_key, methods=["POST"],
                                             deduct_when=lambda response: response.status_code == 401,
                                             scope="login-account")(app.view_functions[view])
