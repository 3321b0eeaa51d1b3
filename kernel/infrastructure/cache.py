"""flask-caching behind the cache port: ``simple://`` (one process) or ``redis://`` (shared)."""

from __future__ import annotations

from typing import Any

from flask_caching import Cache
from loguru import logger

from kernel.domain.ports.cache import CachePort


def cache_config(url: str, site_name: str, default_timeout: int) -> dict[str, Any]:
    config = {"CACHE_DEFAULT_TIMEOUT": default_timeout, "CACHE_KEY_PREFIX": f"commerce:{site_name}:"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        config.update(CACHE_TYPE="RedisCache", CACHE_REDIS_URL=url,
                      CACHE_OPTIONS={"socket_timeout": 0.5, "socket_connect_timeout": 0.5})
    elif url in ("simple://", ""):
        config["CACHE_TYPE"] = "SimpleCache"
    elif url == "null://":
        config["CACHE_TYPE"] = "NullCache"
    else:
        raise ValueError(f"[cache] url: unsupported cache URL {url!r} (simple://, null:// or redis://...)")
    return config


class FlaskCache(CachePort):
    """Every backend error is logged and treated as a miss, so reads fall back to the database."""

    def __init__(self, cache: Cache):
        self._cache = cache

    def _safely(self, operation: str, call, default=None):
        try:
            return call()
        except Exception as exc:  # redis down, timeouts, unpicklable values
            logger.warning("cache {} failed: {}: {}", operation, type(exc).__name__, exc)
            return default

    def get(self, key: str) -> Any | None:
        return self._safely("get", lambda: self._cache.get(key))

    def get_many(self, *keys: str) -> list[Any | None]:
        return self._safely("get", lambda: list(self._cache.get_many(*keys)), [None] * len(keys))

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self._safely("set", lambda: self._cache.set(key, value, timeout=timeout))

    def delete(self, *keys: str) -> None:
        self._safely("delete", lambda: self._cache.delete_many(*keys))

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
