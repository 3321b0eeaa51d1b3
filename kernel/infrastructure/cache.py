"""flask-caching behind the cache port: ``simple://`` (one process) or ``redis://`` (shared)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import redis
from flask_caching import Cache
from loguru import logger

from kernel.domain.ports.cache import CachePort

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


def cache_config(url: str, site_name: str, default_timeout: int, redis_options: dict[str, float]) -> dict[str, Any]:
    config = {"CACHE_DEFAULT_TIMEOUT": default_timeout, "CACHE_KEY_PREFIX": f"commerce:{site_name}:"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url, CACHE_OPTIONS=dict(redis_options))
    elif url in ("simple://", ""):
        config["CACHE_TYPE"] = "SimpleCache"
    elif url == "null://":
        config["CACHE_TYPE"] = "NullCache"
    else:
        raise ValueError(f"[cache] url: unsupported cache URL {url!r} (simple://, null:// or redis://...)")
    return config


class FlaskCache(CachePort):
    """Every backend error is treated as a miss, so reads fall back to the database.

    After a failure the backend is left alone for ``pause_seconds`` (every call is a miss), then
    one call tries it again: a hung Redis costs one request a timeout now and then, not every
    request several. The outage
    is logged when it starts and when the backend answers again, not on every call."""

    def __init__(self, cache: Cache, pause_seconds: float = 5.0):
        self._cache = cache
        self._pause = pause_seconds
        self._retry_at: float | None = None  # set while the backend is failing
        self._state = threading.Lock()  # a worker's threads see the outage start and end once

    def _safely(self, operation: str, call, default=None):
        with self._state:
            if self._retry_at is not None:
                if time.monotonic() < self._retry_at:
                    return default
                self._retry_at = time.monotonic() + self._pause  # this call tries; concurrent ones still skip
        try:
            result = call()
        except UNREACHABLE as exc:
            with self._state:
                started = self._retry_at is None
                self._retry_at = time.monotonic() + self._pause
            if started:
                logger.warning("cache {} failed: {}: {}; reads go to the database until it answers", operation,
                               type(exc).__name__, exc)
            return default
        except Exception as exc:  # an unpicklable value, a corrupt entry: this call only
            logger.warning("cache {} failed: {}: {}", operation, type(exc).__name__, exc)
            return default
        with self._state:
            ended, self._retry_at = self._retry_at is not None, None
        if ended:
            logger.info("cache answers again")
        return result

    def get(self, key: str) -> Any | None:
        return self._safely("get", lambda: self._cache.get(key))

    def get_many(self, *keys: str) -> list[Any | None]:
        return self._safely("get", lambda: list(self._cache.get_many(*keys)), [None] * len(keys))

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self._safely("set", lambda: self._cache.set(key, value, timeout=timeout))

    def delete(self, *keys: str) -> None:
        self.forget(keys, ())

    def forget(self, keys: Iterable[str], namespaces: Iterable[str]) -> None:
        """On Redis one pipelined round trip (cachelib's ``delete_many`` checks each key with an
        ``EXISTS`` of its own after the ``DEL``: four round trips for a product's change)."""
        keys, namespaces = list(keys), list(namespaces)
        backend = self._cache.cache
        if not hasattr(backend, "_write_client"):
            if keys:
                self._safely("delete", lambda: self._cache.delete_many(*keys))
            for namespace in namespaces:
                self.bump(namespace)
            return

        def one_round_trip():
            prefix = backend._get_prefix()
            pipe = backend._write_client.pipeline(transaction=False)
            if keys:
                pipe.delete(*(prefix + key for key in keys))
            for namespace in namespaces:
                pipe.incr(prefix + self.generation_key(namespace))
            pipe.execute()

        self._safely("forget", one_round_trip)

    def generation(self, namespace: str) -> int:
        return self._safely("generation", lambda: self._cache.get(self.generation_key(namespace)), 0) or 0

    def bump(self, namespace: str) -> None:
        key = self.generation_key(namespace)

        def increment():
            backend = self._cache.cache
            if hasattr(backend, "_write_client"):  # Redis: atomic INCR, no expiry
                backend.inc(key)
            else:
                self._cache.set(key, (self._cache.get(key) or 0) + 1, timeout=0)

        self._safely("bump", increment)
