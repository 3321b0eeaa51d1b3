"""Where revoked tokens and used refresh tokens are remembered until they would expire anyway.

Keys: ``jti:<id>`` (one token), ``fam:<id>`` (every token of a login, see :mod:`tokens`),
``used:<id>`` (a refresh token already exchanged). Redis when the site has Redis, otherwise
the ``revoked_tokens`` table. Both are shared by every worker process of the site.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

import redis
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.identity.orm import revoked_tokens
from kernel.infrastructure.db import db
from kernel.site import SiteConfig


class RevocationStore(Protocol):
    def revoke(self, key: str, until: datetime) -> None:
        """Remember ``key`` as revoked until ``until``."""

    def claim(self, key: str, until: datetime) -> bool:
        """Record ``key`` atomically; False when it was already recorded (by any worker)."""

    def any_revoked(self, keys: list[str]) -> bool:
        """Whether any of ``keys`` is recorded."""


class RedisRevocations:
    def __init__(self, url: str, prefix: str, options: dict[str, float]):
        self.redis = redis.Redis.from_url(url, **options)
        self.prefix = prefix

    def _expiry(self, until: datetime) -> int:
        return max(int(until.timestamp()) + 1, int(datetime.now(UTC).timestamp()) + 1)

    def revoke(self, key: str, until: datetime) -> None:
        self.redis.set(self.prefix + key, 1, exat=self._expiry(until))

    def claim(self, key: str, until: datetime) -> bool:
        return bool(self.redis.set(self.prefix + key, 1, nx=True, exat=self._expiry(until)))

    def any_revoked(self, keys: list[str]) -> bool:
        return self.redis.exists(*(self.prefix + key for key in keys)) > 0


class SqlRevocations:
    """The ``revoked_tokens`` table, written on its own connection so that a revocation
    holds whatever happens to the request's transaction."""

    def _insert(self, key: str, until: datetime) -> bool:
        try:
            with db.engine.begin() as connection:
                connection.execute(revoked_tokens.delete().where(revoked_tokens.c.expires_at < datetime.now(UTC)))
                connection.execute(revoked_tokens.insert().values(key=key, expires_at=until))
            return True
        except IntegrityError:
            return False

    def revoke(self, key: str, until: datetime) -> None:
        self._insert(key, until)

    def claim(self, key: str, until: datetime) -> bool:
        return self._insert(key, until)

    def any_revoked(self, keys: list[str]) -> bool:
        query = sa.select(sa.func.count()).select_from(revoked_tokens).where(revoked_tokens.c.key.in_(keys))
        with db.engine.connect() as connection:
            return connection.execute(query).scalar_one() > 0


def revocation_store(site: SiteConfig) -> RevocationStore:
    """The first Redis the site already uses (limiter storage, cache, job queue), else the database."""
    urls = site.redis_urls
    return RedisRevocations(urls[0], f"commerce:{site.name}:tokens:", site.redis_options) if urls else SqlRevocations()
