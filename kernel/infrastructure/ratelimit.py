"""flask-limiter configured from the site's ``[rate_limits]`` table.

``default`` applies to every route per client; ``"METHOD /path" = "5/hour"`` replaces it for
one route. The client is the socket's address unless the site trusts N proxies
(``[security] trusted_proxies``), in which case ProxyFix takes the address they saw.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from kernel.infrastructure.ratelimit_storage import forget_windows, storage_uri
from kernel.site import NAMED_LIMITS, SiteConfig, SiteError

DEFAULT_LIMIT = "100/minute"
# the design's numbers, used where a site does not set its own
ROUTE_DEFAULTS = {"POST /api/users/register": "5/hour", "POST /api/users/login": "10/minute"}


def init_limiter(app: Flask, site: SiteConfig) -> Limiter:
    limits = site.rate_limits
    # before the limiter's own hooks, so its checks never read a window an earlier request saw
    app.before_request(forget_windows)
    app.teardown_request(lambda _exc: forget_windows())
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[limits.get("default", DEFAULT_LIMIT)],
        storage_uri=storage_uri(limits.get("storage_url", "memory://")),
        headers_enabled=True,
        key_prefix=f"commerce:{site.name}:limits",
        strategy="fixed-window",
        swallow_errors=True,  # a limiter store outage must not take the shop down
    )
    app.extensions["commerce_limiter"] = limiter
    return limiter


def apply_route_limits(app: Flask, limiter: Limiter, site: SiteConfig) -> None:
    """Attach the site's per-route limits (over :data:`ROUTE_DEFAULTS`); a limit the site sets
    naming no route stops start-up (typos)."""
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
