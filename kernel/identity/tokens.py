"""API tokens: short-lived access tokens and rotating refresh tokens (flask-jwt-extended).

Every token carries the user's ``fs_uniquifier`` as subject (rotating it kills every token
of the user) and a ``fam`` claim naming the login it descends from: refreshing keeps the
family, and revoking a family kills all its access and refresh tokens at once.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token, decode_token
from jwt import PyJWTError
from loguru import logger

from kernel.domain.errors import Unauthorized
from kernel.identity.orm import User
from kernel.identity.revocation import RevocationStore
from kernel.infrastructure.db import db
from kernel.site import SiteConfig
from kernel.web.problems import problem

ALGORITHM = "HS256"
# every token we issue carries these; a validly signed token without them was not made here
REQUIRED_CLAIMS = {"sub": str, "jti": str, "fam": str, "type": str, "exp": int}
INVALID_TOKEN = "The access token is missing, invalid, expired or revoked."


def jwt_config(site: SiteConfig) -> dict:
    security = site.security
    return {
        "JWT_SECRET_KEY": security["jwt_secret"],
        "JWT_ALGORITHM": ALGORITHM,
        "JWT_DECODE_ALGORITHMS": [ALGORITHM],  # pinned: "none" and every other algorithm are refused
        "JWT_TOKEN_LOCATION": ["headers"],
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=security["access_token_minutes"]),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=security["refresh_token_days"]),
        "JWT_ENCODE_ISSUER": security["issuer"],
        "JWT_DECODE_ISSUER": security["issuer"],
        "JWT_ENCODE_AUDIENCE": security["audience"],
        "JWT_DECODE_AUDIENCE": security["audience"],
        "JWT_DECODE_LEEWAY": 0,
    }


def revocations() -> RevocationStore:
    return current_app.extensions["commerce"].identity.revocations


def issue_tokens(user: User, family: str | None = None) -> dict:
    """A new access/refresh pair for ``user`` in ``family`` (a new family at login)."""
    claims = {"fam": family or uuid.uuid4().hex}
    expires = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
    return {
        "access_token": create_access_token(identity=user.fs_uniquifier, additional_claims=claims),
        "refresh_token": create_refresh_token(identity=user.fs_uniquifier, additional_claims=claims),
        "token_type": "Bearer",
        "expires_in": int(expires.total_seconds()),
    }


def _until(claims: dict) -> datetime:
    return datetime.fromtimestamp(claims["exp"], UTC)


def _refresh_family_until() -> datetime:
    return datetime.now(UTC) + current_app.config["JWT_REFRESH_TOKEN_EXPIRES"]


def decode_refresh_token(token: object) -> dict:
    """The claims of a valid, unrevoked refresh token, else :class:`Unauthorized`."""
    if not isinstance(token, str) or not token:
        raise Unauthorized("A refresh token is required.", errors={"refreshToken": ["Missing."]})
    try:
        claims = decode_token(token)
    except PyJWTError:
        raise Unauthorized("The refresh token is invalid or expired.") from None
    if claims.get("type") != "refresh" or not well_formed(claims) or is_revoked(claims):
        raise Unauthorized("The refresh token is invalid or expired.")
    return claims


def consume_refresh_token(claims: dict) -> None:
    """Mark a refresh token used. A second use means it leaked: its whole family is revoked."""
    if not revocations().claim(f"used:{claims['jti']}", _until(claims)):
        revoke_family(claims["fam"])
        logger.warning("refresh token reused: revoked token family {} of subject {}", claims["fam"][:8],
                       claims["sub"][:8])
        raise Unauthorized("This refresh token was already used; every token of its login is now revoked.")


def revoke_token(claims: dict) -> None:
    revocations().revoke(f"jti:{claims['jti']}", _until(claims))


def revoke_family(family: str) -> None:
    revocations().revoke(f"fam:{family}", _refresh_family_until())


def well_formed(claims: dict) -> bool:
    return all(isinstance(claims.get(name), kind) for name, kind in REQUIRED_CLAIMS.items())


def is_revoked(claims: dict) -> bool:
    return revocations().any_revoked([f"jti:{claims['jti']}", f"fam:{claims.get('fam', '')}"])


_ACTIVE_USER = sa.select(User).where(User.fs_uniquifier == sa.bindparam("subject"), User.active.is_(True))


def active_user(subject: str) -> User | None:
    """The active user a token's subject names (None once deactivated, deleted or rotated)."""
    return db.session.scalar(_ACTIVE_USER, {"subject": subject})


def init_jwt(app: Flask) -> JWTManager:
    jwt = JWTManager(app)

    @jwt.user_lookup_loader
    def load_user(_header, claims):
        return active_user(claims["sub"])

    @jwt.token_in_blocklist_loader
    def token_revoked(_header, claims):
        return not well_formed(claims) or is_revoked(claims)

    def refuse(*_args):
        return problem(401, "Unauthorized", INVALID_TOKEN, headers={"WWW-Authenticate": "Bearer"})

    for register in (jwt.expired_token_loader, jwt.invalid_token_loader, jwt.unauthorized_loader,
                     jwt.revoked_token_loader, jwt.user_lookup_error_loader, jwt.needs_fresh_token_loader,
                     jwt.token_verification_failed_loader):
        register(refuse)
    return jwt
