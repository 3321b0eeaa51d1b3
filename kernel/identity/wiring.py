"""Wiring identity into a site's app: Flask-Security (users, roles, argon2id), flask-jwt-extended
(bearer tokens), CORS and the production start-up checks."""

from __future__ import annotations

import os
from dataclasses import dataclass

from flask import Flask
from flask.sessions import SessionInterface
from flask_cors import CORS
from flask_security import Security, SQLAlchemySessionUserDatastore

from kernel.identity import account_tokens
from kernel.identity.domain import PermissionGrants
from kernel.identity.orm import Role, User
from kernel.identity.revocation import RevocationStore, revocation_store
from kernel.identity.tokens import init_jwt, jwt_config
from kernel.infrastructure.db import db
from kernel.site import DEV_SECRET_PREFIX, SiteConfig, SiteError

MIN_SECRET_LENGTH = 32
# How many workers and threads serve the site: deploy/gunicorn.conf.py sets both from the server's
# own settings before any worker starts (so ``gunicorn -w 2`` counts); other servers set them.
WORKERS_ENV, THREADS_ENV = "WEB_CONCURRENCY", "GUNICORN_THREADS"
# argon2id with OWASP's first recommended parameters (46 MiB, 1 pass, 1 lane). Hashes made with
# other parameters are rehashed at the next successful login.
ARGON2_OPTIONS = {"argon2__type": "ID", "argon2__memory_cost": 47104, "argon2__time_cost": 1,
                  "argon2__parallelism": 1}
CORS_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "If-None-Match", "X-Cart-Token", "X-Request-ID"]
CORS_EXPOSED = ["ETag", "Retry-After", "X-Request-ID", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                "X-RateLimit-Reset"]


@dataclass
class IdentityServices:
    """Who may do what (the roles' permissions) and which tokens are revoked, for one site."""

    grants: PermissionGrants
    revocations: RevocationStore

    @classmethod
    def for_site(cls, site: SiteConfig, permissions: list[dict]) -> IdentityServices:
        """``permissions``: the answers of ``commerce_permissions`` (permission -> roles)."""
        return cls(grants=PermissionGrants.from_declarations(permissions), revocations=revocation_store(site))


def security_config(site: SiteConfig) -> dict:
    return {
        "SECURITY_PASSWORD_HASH": "argon2",
        "SECURITY_PASSWORD_SINGLE_HASH": True,
        "SECURITY_PASSWORD_HASH_PASSLIB_OPTIONS": ARGON2_OPTIONS,
        # a bearer-token JSON API: no session login, no CSRF tokens, no cookies
        "SECURITY_CSRF_PROTECT_MECHANISMS": [],
        "SECURITY_CSRF_IGNORE_UNAUTH_ENDPOINTS": True,
        "WTF_CSRF_CHECK_DEFAULT": False,
        "WTF_CSRF_ENABLED": False,
        "SECURITY_TOKEN_AUTHENTICATION_HEADER": None,
        "SECURITY_SEND_REGISTER_EMAIL": False,
        "SECURITY_CLI_USERS_NAME": False,  # ours is `commerce users`, which validates like the API
        "SECURITY_CLI_ROLES_NAME": False,
        "PREFERRED_URL_SCHEME": "https" if site.security["https"] else "http",
        **account_tokens.security_config(),
        **jwt_config(site),
    }


def check_production(site: SiteConfig) -> None:
    """A production site refuses to start with settings that are only safe on a laptop."""
    if not site.production:
        return
    where = site.source
    for section, key in (("security", "jwt_secret"), ("site", "secret_key")):
        secret = site.sections[section][key]
        if not secret or secret.startswith(DEV_SECRET_PREFIX) or len(secret) < MIN_SECRET_LENGTH:
            raise SiteError(f"{where}: [{section}] {key}: a production site needs its own secret of at least "
                            f"{MIN_SECRET_LENGTH} characters")
    if site.sections["site"]["debug"]:
        raise SiteError(f"{where}: [site] debug: must be off on a production site")
    workers, threads = (int(os.environ.get(name) or 1) for name in (WORKERS_ENV, THREADS_ENV))
    if site.limiter_storage.startswith("memory://") and workers * threads > 1:
        raise SiteError(f"{where}: [rate_limits] storage_url: memory:// counts per process and is not meant for "
                        f"a server of {workers} workers x {threads} threads ({WORKERS_ENV}, {THREADS_ENV}); "
                        f"use redis://")


def init_identity(app: Flask, site: SiteConfig) -> None:
    check_production(site)
    app.config.update(security_config(site))
    security = Security(app, SQLAlchemySessionUserDatastore(db.session, User, Role), register_blueprint=False)
    _without_login_state(app, security)
    init_jwt(app)
    if site.security["cors_origins"]:
        CORS(app, resources={r"/api/*": {"origins": site.security["cors_origins"]}}, allow_headers=CORS_HEADERS,
             expose_headers=CORS_EXPOSED, supports_credentials=False, max_age=600)


class _NoSessions(SessionInterface):
    """No session cookie is read or written: callers authenticate with bearer tokens only."""

    def open_session(self, app, request):
        return None  # Flask then uses its null session, which refuses writes

    def save_session(self, app, session, response):
        pass


def _without_login_state(app: Flask, security: Security) -> None:
    """Flask-Security serves this API for its user store and password hashing; who is calling
    comes from the JWT (``kernel.web.auth``). So there is no session, and Flask-Principal's
    per-request identity loading (a session and token lookup nothing here reads) is removed: an
    anonymous request pays for neither, and answers no longer vary on a cookie."""
    app.session_interface = _NoSessions()
    app.before_request_funcs[None].remove(security.principal._on_before_request)
