"""RFC 9457 ``application/problem+json`` answers for every error the API gives."""

from __future__ import annotations

import redis
import sqlalchemy.exc
from flask import Response, json, request
from loguru import logger
from werkzeug.exceptions import HTTPException, InternalServerError

from kernel.domain.errors import DomainError

PROBLEM_TYPE = "about:blank"
MEDIA_TYPE = "application/problem+json"


def problem(status: int, title: str, detail: str | None = None, *, errors: dict | None = None,
            headers: dict | None = None, **extra) -> Response:
    body = problem_document(status, title, detail, request.path, errors=errors, **extra)
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def problem_document(status: int, title: str, detail: str | None, instance: str, *, errors: dict | None = None,
                     **extra) -> dict:
    body = {"type": PROBLEM_TYPE, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    body["instance"] = instance
    return body


def from_domain_error(error: DomainError) -> Response:
    return problem(error.status, error.title, error.detail, errors=error.errors, headers=error.headers, **error.extra)


def from_http_exception(error: HTTPException) -> Response:
    """Werkzeug/flask-smorest errors, including webargs validation errors (``data.messages``)."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    if errors and set(errors) <= {"json", "query", "form", "headers", "files", "path", "view_args", "cookies"}:
        # webargs nests messages under the location; flatten it. A body that is not JSON at all
        # has messages for the location itself ({"json": ["Invalid JSON body."]}): keep those.
        errors = {key: value for location, messages in errors.items()
                  for key, value in (messages.items() if isinstance(messages, dict) else [(location, messages)])}
    status = error.code or 500
    detail = data.get("message") or (_validation_detail(errors) if errors else error.description)
    headers = dict(data.get("headers") or {})
    if error.response is not None and "Retry-After" in error.response.headers:
        headers["Retry-After"] = error.response.headers["Retry-After"]
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    return problem(status, error.name, detail, errors=errors, headers=headers)


def _validation_detail(errors: dict) -> str:
    return "Invalid input: " + ", ".join(sorted(str(field) for field in errors))


# A backing service that is down or saturated: the client may retry; nothing is a bug here.
UNAVAILABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, sqlalchemy.exc.OperationalError,
               sqlalchemy.exc.InterfaceError, sqlalchemy.exc.TimeoutError)
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_TITLE = "Service Unavailable"
UNAVAILABLE_DETAIL = "A service this request needs is unavailable; retry shortly."


def from_unavailable(error: Exception) -> Response:
    """PostgreSQL or Redis unreachable (or the connection pool exhausted): 503, retry later.
    SQLite's OperationalError (e.g. a missing table: migrations not run) stays a 500."""
    if isinstance(error, sqlalchemy.exc.OperationalError) and not (
            error.connection_invalidated or type(error.orig).__module__.startswith("psycopg2")):
        return from_unexpected(error)
    logger.warning("{} {} answered 503: {}: {}", request.method, request.path, type(error).__name__,
                   str(error).splitlines()[0] if str(error) else "")
    return problem(503, UNAVAILABLE_TITLE, UNAVAILABLE_DETAIL, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def from_unexpected(error: Exception) -> Response:
    """A bug: log the traceback with the request id, answer without it."""
    original = getattr(error, "original_exception", None) or error
    if isinstance(error, InternalServerError) and original is error:
        logger.error("internal server error on {} {}", request.method, request.path)
    else:
        logger.opt(exception=original).error("unhandled error on {} {}", request.method, request.path)
    return problem(500, "Internal Server Error", "The server met an unexpected error; it has been logged.")
