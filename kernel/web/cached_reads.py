"""Cached reads: plain anonymous GETs answered from a plugin's cache in front of Flask.

Browsing the catalog is most of a shop's traffic, and once a page is cached the framework
around it costs several times more than the cache lookup (docs/benchmarks.md). A plugin
registers a *cached read* for an endpoint (the ``commerce_cached_reads`` hook): a function that
returns the cached answer for a request's path and query, or ``None``. This WSGI middleware
answers a request with it when it can, with the headers the app would send (``ETag``,
``Cache-Control``, the secure headers, ``X-Request-ID``) and counted against the same rate-limit
counter, so a client cannot tell the two paths apart (``tests/catalog/test_catalog_cached_reads.py``).

Everything else goes through the app unchanged: other methods, a bearer token, a cookie, a CORS
``Origin``, a conditional request, an over-long query, an endpoint with a rate limit of its own,
a cache miss, a query the read does not accept (the app answers its 400), and a client over its
limit or a limiter store that fails (the app answers as its limiter decides).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from loguru import logger
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map
from werkzeug.wrappers import Request

from kernel.web.api import query_too_long

# Requests whose answer may differ from the cached one, or that need the app's own handling.
_NEEDS_THE_APP = ("HTTP_AUTHORIZATION", "HTTP_COOKIE", "HTTP_ORIGIN", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
                  "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_RANGE")
Headers = list[tuple[str, str]]


class CachedAnswer(Protocol):
    body: bytes  # the JSON as sent
    etag: str  # unquoted


@dataclass(frozen=True)
class CachedRead:
    """``read(view_args, query)`` returns the cached answer, or ``None`` to let the app answer."""

    read: Callable[[Mapping[str, Any], MultiDict], CachedAnswer | None]
    cache_control: str


class CachedReads:
    """The WSGI middleware; ``count_hit(endpoint, client)`` counts the request against the
    endpoint's rate limit and returns the ``X-RateLimit-*`` headers, or ``None`` when the client is
    over its limit; ``common_headers(environ)`` are the headers every answer of the app carries."""

    def __init__(self, app: Callable, url_map: Map, reads: Mapping[str, CachedRead], *,
                 count_hit: Callable[[str, str], Headers | None], common_headers: Callable[[dict], Iterable]):
        self.app = app
        self.url_map = url_map
        self.reads = dict(reads)
        self.count_hit = count_hit
        self.common_headers = common_headers

    def __call__(self, environ: dict, start_response):
        try:
            answer = self.answer(environ)
        except Exception:  # noqa: BLE001 - a fault here must not cost the client its answer: the app gives it
            logger.exception("cached read failed; the app answers instead")
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        headers, body = answer
        start_response("200 OK", headers)
        return [body]

    def answer(self, environ: dict) -> tuple[Headers, bytes] | None:
        if environ["REQUEST_METHOD"] != "GET" or any(name in environ for name in _NEEDS_THE_APP):
            return None
        try:
            endpoint, view_args = self.url_map.bind_to_environ(environ).match()
        except HTTPException:  # no such route, another method, or a redirect to the canonical URL
            return None
        cached_read = self.reads.get(endpoint)
        if cached_read is None:
            return None
        request = Request(environ)  # parses the query exactly as the app's request would
        if query_too_long(request.query_string):
            return None
        try:
            found = cached_read.read(view_args, request.args)
        except UnicodeDecodeError:
            return None
        if not found:
            return None
        limit_headers = self.count_hit(endpoint, environ.get("REMOTE_ADDR") or "127.0.0.1")
        if limit_headers is None:
            return None
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(found.body))),
                   ("ETag", f'"{found.etag}"'), ("Cache-Control", cached_read.cache_control),
                   *self.common_headers(environ), *limit_headers]  # no Date: the server adds it (gunicorn always)
        return headers, found.body
