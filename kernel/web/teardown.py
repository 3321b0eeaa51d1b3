"""The 503 for a backing service that fails after the answer is made.

Flask-SQLAlchemy rolls the request's session back when the app context ends, after the view and
every error handler have run. When PostgreSQL went away during the request, that rollback raises
outside the app's handlers and the server would send its own empty 500 (no problem, no request
id). This WSGI middleware, right around Flask, turns such an error into the same 503 problem with
``Retry-After`` that a request failing inside the view gets. Nothing has been sent yet at that
point: WSGI servers send the status line with the first byte of the body. Flask has already
called ``start_response`` with the answer it meant to send, though, and gunicorn appends the
headers of a second call to the first call's (two ``Content-Length`` values, which clients
refuse), so the middleware holds the app's call back until the app has returned.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import json
from loguru import logger

from kernel.web.problems import (
    MEDIA_TYPE,
    RETRY_AFTER_SECONDS,
    UNAVAILABLE,
    UNAVAILABLE_DETAIL,
    UNAVAILABLE_TITLE,
    problem_document,
)


def _no_write(data: bytes) -> None:
    raise RuntimeError("the app behind UnavailableAfterTheAnswer must return its body, not write() it")


class UnavailableAfterTheAnswer:
    def __init__(self, app: Callable, request_id_for: Callable[[str], str]):
        self.app = app
        self.request_id_for = request_id_for

    def __call__(self, environ: dict, start_response):
        held: list[tuple] = []

        def hold(status, headers, exc_info=None):
            held[:] = [(status, headers, exc_info)]
            return _no_write

        try:
            body = self.app(environ, hold)
        except UNAVAILABLE as error:
            path = environ.get("PATH_INFO", "")
            logger.warning("{} {} answered 503 after its teardown failed: {}: {}", environ.get("REQUEST_METHOD"),
                           path, type(error).__name__, str(error).splitlines()[0] if str(error) else "")
            body = json.dumps(problem_document(503, UNAVAILABLE_TITLE, UNAVAILABLE_DETAIL, path)).encode()
            start_response("503 SERVICE UNAVAILABLE", [
                ("Content-Type", MEDIA_TYPE), ("Content-Length", str(len(body))),
                ("Retry-After", str(RETRY_AFTER_SECONDS)), ("Cache-Control", "no-store"),
                ("X-Request-ID", self.request_id_for(environ.get("HTTP_X_REQUEST_ID", "")))])
            return [body]
        start_response(*held[-1])
        return body
