"""Liveness (``/healthz``) and readiness (``/readyz``: database and Redis reachable)."""

from __future__ import annotations

import functools

import redis
from flask import Blueprint, jsonify
from sqlalchemy import text

from kernel.context import commerce
from kernel.infrastructure.db import db
from kernel.web.auth import public

health = Blueprint("health", __name__)


@health.get("/healthz")
@public
def healthz():
    return jsonify(status="ok")


@functools.cache
def _probe_client(url: str, connect_timeout: float, socket_timeout: float) -> redis.Redis:
    """One client (and connection pool) per Redis URL, reused by every probe."""
    return redis.Redis.from_url(url, socket_connect_timeout=connect_timeout, socket_timeout=socket_timeout)


@health.get("/readyz")
@public
def readyz():
    site = commerce().site
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"unreachable: {type(exc).__name__}"
    finally:
        db.session.rollback()
    for url in site.redis_urls:
        try:
            _probe_client(url, site.redis["connect_timeout"], site.redis["socket_timeout"]).ping()
            checks.setdefault("redis", "ok")
        except Exception as exc:
            checks["redis"] = f"unreachable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503
