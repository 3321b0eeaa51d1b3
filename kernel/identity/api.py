"""``/api/users``: registration, sign-in, tokens, the caller's profile and user administration."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask_jwt_extended import get_jwt
from flask_smorest import Blueprint

from kernel.context import commerce
from kernel.identity import recovery, refresh_cookie, services
from kernel.identity.domain import USERS_MANAGE
from kernel.identity.ratelimits import login_throttle, mail_quota
from kernel.identity.repository import UserRepository
from kernel.identity.schemas import (
    AcceptedSchema,
    AdminUserSchema,
    CurrentUserSchema,
    EmailChangeSchema,
    LoginSchema,
    LogoutSchema,
    PasswordChangeSchema,
    ProfileUpdateSchema,
    RefreshSchema,
    RegisteredUserSchema,
    RegisterUserSchema,
    TokenPairSchema,
    UserPageQuerySchema,
    UserPageSchema,
)
from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from kernel.web.auth import current_user, login_required, permission_required, public

users_blp = Blueprint("users", __name__, url_prefix="/api/users", description="Accounts, sign-in and API tokens")


def _users() -> UserRepository:
    return UserRepository(current_app.extensions["commerce"].identity.grants)


def _signed_in(user_id: uuid.UUID) -> None:
    commerce().pm.hook.commerce_user_signed_in(user_id=user_id, guest_cart_token=request.headers.get("X-Cart-Token"))


@users_blp.route("/register", methods=["POST"])
@public
@users_blp.arguments(RegisterUserSchema)
@users_blp.response(201, RegisteredUserSchema)
def register(body):
    """Create a customer account."""
    return services.register(_users(), SqlAlchemyUnitOfWork(), _signed_in, **body)


@users_blp.route("/login", methods=["POST"])
@public
@users_blp.arguments(LoginSchema)
@users_blp.response(200, TokenPairSchema)
def login(body):
    """Exchange email and password for an access token and a refresh token (also set as the
    HttpOnly cookie ``commerce_refresh`` for browsers)."""
    return refresh_cookie.send(services.log_in(_users(), SqlAlchemyUnitOfWork(), _signed_in, login_throttle(),
                                               body["email"], body["password"]))


@users_blp.route("/refresh", methods=["POST"])
@public
@users_blp.arguments(RefreshSchema)
@users_blp.response(200, TokenPairSchema)
def refresh(body):
    """Exchange a refresh token for a new pair. Each refresh token works once; presenting a used
    one revokes every token of that login. Without ``refreshToken`` in the body, the
    ``commerce_refresh`` cookie's token is used (and the new one set there)."""
    return refresh_cookie.send(services.refresh(refresh_cookie.token_of(body)))


@users_blp.route("/logout", methods=["POST"])
@login_required
@users_blp.arguments(LogoutSchema, required=False)
@users_blp.response(204)
def logout(body):
    """Revoke the presented access token (its whole login, so the refresh cookie's token too) and
    the refresh token, if given; the refresh cookie is cleared."""
    services.log_out(get_jwt(), (body or {}).get("refresh_token"))
    refresh_cookie.clear()


@users_blp.route("/me", methods=["GET"])
@login_required
@users_blp.response(200, CurrentUserSchema)
def me():
    return current_user()


@users_blp.route("/me", methods=["PATCH"])
@login_required
@users_blp.arguments(ProfileUpdateSchema, required=False)
@users_blp.response(200, CurrentUserSchema)
def update_me(body):
    """Change your first and last name (email and roles cannot be changed here)."""
    return services.update_profile(SqlAlchemyUnitOfWork(), current_user(), body or {})


@users_blp.route("/me/password", methods=["POST"])
@login_required
@users_blp.arguments(PasswordChangeSchema)
@users_blp.response(200, TokenPairSchema)
def change_password(body):
    """Change your password: every token issued before is revoked; a fresh pair is returned, its
    refresh token also as the browser's cookie (the old cookie's token is revoked with the rest)."""
    return refresh_cookie.send(services.change_password(_users(), SqlAlchemyUnitOfWork(), current_user(),
                                                        body["current_password"], body["new_password"]))


@users_blp.route("/me/email", methods=["POST"])
@login_required
@users_blp.arguments(EmailChangeSchema)
@users_blp.response(202, AcceptedSchema)
def change_email(body):
    """Ask to change your email: the new address gets a link, and the account's email changes
    (verified) only when it is opened. 409 naming ``newEmail`` when another account uses it."""
    recovery.request_email_change(_users(), SqlAlchemyUnitOfWork(), mail_quota(), current_user(),
                                  body["new_email"], body["password"])
    return {"detail": "A link to confirm the new address is on its way to it."}


@users_blp.route("", methods=["GET"])
@permission_required(USERS_MANAGE)
@users_blp.arguments(UserPageQuerySchema, location="query")
@users_blp.response(200, UserPageSchema)
def list_users(query):
    items, total = _users().page(query["page"], query["page_size"], query["email"])
    return {"items": items, "total_count": total, "page": query["page"], "page_size": query["page_size"]}


@users_blp.route("/<uuid:user_id>", methods=["GET"])
@permission_required(USERS_MANAGE)
@users_blp.response(200, AdminUserSchema)
def get_user(user_id):
    return services.get_user(_users(), user_id)


@users_blp.route("/<uuid:user_id>/roles/<string:role>", methods=["PUT"])
@permission_required(USERS_MANAGE)
@users_blp.response(200, AdminUserSchema)
def grant_role(user_id, role):
    return services.grant_role(_users(), SqlAlchemyUnitOfWork(), user_id, role)


@users_blp.route("/<uuid:user_id>/roles/<string:role>", methods=["DELETE"])
@permission_required(USERS_MANAGE)
@users_blp.response(200, AdminUserSchema)
def revoke_role(user_id, role):
    return services.revoke_role(_users(), SqlAlchemyUnitOfWork(), current_user(), user_id, role)


@users_blp.route("/<uuid:user_id>/deactivate", methods=["POST"])
@permission_required(USERS_MANAGE)
@users_blp.response(200, AdminUserSchema)
def deactivate(user_id):
    """Deactivate a user: their tokens are refused at once."""
    return services.set_active(_users(), SqlAlchemyUnitOfWork(), current_user(), user_id, active=False)


@users_blp.route("/<uuid:user_id>/activate", methods=["POST"])
@permission_required(USERS_MANAGE)
@users_blp.response(200, AdminUserSchema)
def activate(user_id):
    return services.set_active(_users(), SqlAlchemyUnitOfWork(), current_user(), user_id, active=True)
