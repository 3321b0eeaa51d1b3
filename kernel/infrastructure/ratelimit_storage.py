"""A Redis limiter storage that answers a request's ``X-RateLimit-*`` headers from its hit.

flask-limiter counts a hit with one script call, then reads the window back (``GET`` + ``TTL``)
to write the headers: three Redis round trips on every request. Here the counting script also
returns the window's time to live, and the storage remembers what the hit saw, so the headers
need no round trip of their own. What it remembers lives only until the next request starts
(:func:`forget_windows`), so a later check never reads an old count.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from limits.storage import RedisStorage

SCHEME_PREFIX = "commerce+"

INCR_WITH_TTL = """
local current = redis.call("incrby", KEYS[1], ARGV[2])
if current == tonumber(ARGV[2]) then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""

# prefixed key -> (count after the hit, the window's end as a timestamp)
_windows: ContextVar[dict[str, tuple[int, float]] | None] = ContextVar("rate_limit_windows", default=None)


def forget_windows() -> None:
    """Drop what earlier hits saw (called when a request starts)."""
    _windows.set(None)


def storage_uri(uri: str) -> str:
    """The limiter storage URI for a site's ``storage_url``: Redis URLs get this storage."""
    scheme = uri.split("://", 1)[0]
    return SCHEME_PREFIX + uri if scheme in ("redis", "rediss") else uri


class WindowedRedisStorage(RedisStorage):
    STORAGE_SCHEME = [SCHEME_PREFIX + "redis", SCHEME_PREFIX + "rediss"]

    def __init__(self, uri: str, **options) -> None:
        super().__init__(uri.removeprefix(SCHEME_PREFIX), **options)

    def initialize_storage(self, uri: str) -> None:
        super().initialize_storage(uri)
        self.lua_incr_with_ttl = self.get_connection().register_script(INCR_WITH_TTL)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        key = self.prefixed_key(key)
        count, ttl = self.lua_incr_with_ttl([key], [expiry, amount])
        windows = _windows.get()
        if windows is None:
            windows = {}
            _windows.set(windows)
        windows[key] = (int(count), max(int(ttl), 0) + time.time())
        return int(count)

    def get(self, key: str) -> int:
        seen = (_windows.get() or {}).get(self.prefixed_key(key))
        return seen[0] if seen else super().get(key)

    def get_expiry(self, key: str) -> float:
        seen = (_windows.get() or {}).get(self.prefixed_key(key))
        return seen[1] if seen else super().get_expiry(key)
