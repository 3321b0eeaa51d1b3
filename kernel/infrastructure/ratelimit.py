"""flask-limiter configured from the site's ``[rate_limits]`` table.

``default`` applies to every route per client; ``"METHOD /path" = "5/hour"`` replaces it for
one route. The client is the socket's address unless the site trusts N proxies
(``[security] trusted_proxies``), in which case ProxyFix takes the address they saw.

Counters live on the site's Redis (:attr:`SiteConfig.limiter_storage`). When that Redis cannot
be reached, each worker counts in its own memory until it answers again (flask-limiter's
in-memory fallback): the shop stays up and limits still hold per worker. The switch and the
recovery are logged once each, not per request.

Only a 429 carries the limiter's ``Retry-After``: flask-limiter would put the time left in its
window on every answer and over a 503's own value (:func:`keep_retry_after_for_429`).
"""

from __future__ import annotations

import logging

import redis
from flask import Flask, Response
from flask_limiter import HeaderNames, Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many

from kernel.infrastructure.ratelimit_storage import forget_windows, storage_uri
from kernel.site import NAMED_LIMITS, SiteConfig, SiteError

DEFAULT_LIMIT = "100/minute"
LIMITER_RETRY_AFTER = "X-Commerce-Limit-Retry-After"  # where flask-limiter writes it; never sent
# sign-up, sign-in and account-mail limits used where a site does not set its own
ROUTE_DEFAULTS = {"POST /api/users/register": "5/hour", "POST /api/users/login": "10/minute",
                  "POST /api/auth/password/forgot": "5/hour", "POST /api/auth/password/reset": "10/hour",
                  "POST /api/auth/email/resend": "5/hour", "POST /api/auth/email/verify": "10/hour"}


def init_limiter(app: Flask, site: SiteConfig) -> Limiter:
    # before the limiter's own hooks, so its checks never read a window an earlier request saw
    app.before_request(forget_windows)
    app.after_request(keep_retry_after_for_429)  # registered first, so it runs after the limiter's
    storage = site.limiter_storage
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[site.rate_limits.get("default", DEFAULT_LIMIT)],
        storage_uri=storage_uri(storage),
        storage_options=site.redis_options if storage.startswith(("redis://", "rediss://")) else {},
        headers_enabled=True,
        header_name_mapping={HeaderNames.RETRY_AFTER: LIMITER_RETRY_AFTER},
        key_prefix=limit_key_prefix(site),
        strategy="fixed-window",
        in_memory_fallback_enabled=True,  # a limiter store outage must not take the shop down
        swallow_errors=True,
    )
    return limiter


class _OutageLoggedOnce(logging.Filter):
    """Requests already waiting on the storage when it failed come back with the same error after
    the limiter has switched to memory (and logged it): flask-limiter would log each with its
    traceback ("Swallowing error"). Drop those; other errors are still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not isinstance(error, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError))


_LIMITER_LOG = logging.getLogger("flask-limiter")
if not any(isinstance(existing, _OutageLoggedOnce) for existing in _LIMITER_LOG.filters):
    _LIMITER_LOG.addFilter(_OutageLoggedOnce())


def keep_retry_after_for_429(response: Response) -> Response:
    """The limiter's ``Retry-After`` is the time left in the window: true only for a 429."""
    waited = response.headers.pop(LIMITER_RETRY_AFTER, None)
    if response.status_code == 429 and waited is not None:
        response.headers["Retry-After"] = waited
    return response


def limit_key_prefix(site: SiteConfig) -> str:
    return f"commerce:{site.name}:limits"


def apply_route_limits(app: Flask, limiter: Limiter, site: SiteConfig) -> set[str]:
    """Attach the site's per-route limits (over :data:`ROUTE_DEFAULTS`); a limit the site sets
    naming no route stops start-up (typos). Returns the endpoints that got a limit of their own."""
    limited = set()
    for key, value in {**ROUTE_DEFAULTS, **site.rate_limits}.items():
        if key in NAMED_LIMITS:
            continue
        method, path = key.split(" ", 1)
        endpoints = [rule.endpoint for rule in app.url_map.iter_rules() if rule.rule == path and method in rule.methods]
        if not endpoints and key not in site.rate_limits:
            continue
        if not endpoints:
            raise SiteError(f"{site.source}: [rate_limits] {key!r} names no route of this site")
        for endpoint in endpoints:
            app.view_functions[endpoint] = limiter.limit(value, methods=[method])(app.view_functions[endpoint])
        limited.update(endpoints)
    return limited


class DefaultLimitCounter:
    """Counts a request answered outside Flask (``kernel.web.cached_reads``) against the site's
    default limit, on the very counter flask-limiter keeps for that endpoint and client (its key
    is ``key_prefix, client, endpoint``), and gives the ``X-RateLimit-*`` headers it would send.

    Returns ``None`` when the client is over the limit or the store fails, so that the app
    answers (its 429, or what ``swallow_errors`` decides); that request is counted once more,
    which changes nothing for a client already refused.
    """

    def __init__(self, limiter: Limiter, item: RateLimitItem, key_prefix: str):
        self._limiter = limiter
        self._item = item
        self._prefix = key_prefix

    @classmethod
    def for_site(cls, limiter: Limiter, site: SiteConfig) -> DefaultLimitCounter | None:
        """``None`` when the default is several limits (``"100/minute;1000/hour"``): one is mirrored."""
        items = parse_many(site.rate_limits.get("default", DEFAULT_LIMIT))
        return cls(limiter, items[0], limit_key_prefix(site)) if len(items) == 1 else None

    def __call__(self, endpoint: str, client: str) -> list[tuple[str, str]] | None:
        strategy, identifiers = self._limiter.limiter, (self._prefix, client, endpoint)
        try:
            if not strategy.hit(self._item, *identifiers):
                return None
            reset, remaining = strategy.get_window_stats(self._item, *identifiers)  # the window the hit saw
        except Exception:  # noqa: BLE001 - any store failure: the app's limiter decides, and logs it
            return None
        finally:
            forget_windows()  # no Flask request starts here to drop it, and clients are many
        return [("X-RateLimit-Limit", str(self._item.amount)), ("X-RateLimit-Remaining", str(remaining)),
                ("X-RateLimit-Reset", str(int(reset + 1)))]
