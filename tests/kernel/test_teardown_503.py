"""A backing service failing after the app made its answer (the session's rollback at teardown)
becomes one well-formed 503 problem: the server is told the status and headers once, so a
server that appends a second call's headers (gunicorn does) cannot send two Content-Lengths."""

from __future__ import annotations

import json

import redis

from kernel.web.teardown import UnavailableAfterTheAnswer


class Server:
    """Records ``start_response`` calls the way gunicorn keeps them: every call's headers appended."""

    def __init__(self):
        self.calls, self.headers = [], []

    def start_response(self, status, headers, exc_info=None):
        self.calls.append(status)
        self.headers += headers
        return lambda data: None


def app_failing_at_teardown(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "705")])
    raise redis.exceptions.ConnectionError("Connection refused")


def app_answering(environ, start_response):
    start_response("201 CREATED", [("Content-Length", "2")])
    return [b"{}"]


def test_a_failure_after_the_answer_is_one_503_with_one_content_length():
    server = Server()
    body = b"".join(UnavailableAfterTheAnswer(app_failing_at_teardown, lambda given: "req-1")(
        {"PATH_INFO": "/api/products/mug", "REQUEST_METHOD": "GET"}, server.start_response))
    assert server.calls == ["503 SERVICE UNAVAILABLE"]
    assert [value for name, value in server.headers if name == "Content-Length"] == [str(len(body))]
    assert ("Retry-After", "5") in server.headers and json.loads(body)["status"] == 503


def test_an_answer_without_a_failure_passes_through_unchanged():
    server = Server()
    body = UnavailableAfterTheAnswer(app_answering, lambda given: "req-1")({}, server.start_response)
    assert server.calls == ["201 CREATED"] and server.headers == [("Content-Length", "2")] and list(body) == [b"{}"]
