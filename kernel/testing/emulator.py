"""A base for local stand-ins of a payment provider's HTTP API, for tests only.

A test points the plugin's configurable API base URL at :attr:`ProviderEmulator.base_url`,
so the plugin's real HTTP code runs against a server that follows the provider's documented
API. Subclasses declare werkzeug routing ``rules`` whose endpoints name their methods; each
method takes ``(request, **url_args)`` and returns a :class:`werkzeug.Response` or raises
:class:`EmulatorError`. The base class adds what every provider's tests need: an outage
switch (5xx or a stall), idempotency-key replay, and the webhooks the provider sends.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from kernel.domain.ports.payments import WebhookRequest


class EmulatorError(Exception):
    """Answer the current request with ``status`` and the provider's error ``body``."""

    def __init__(self, status: int, body: dict):
        super().__init__(status, body)
        self.status = status
        self.body = body


def json_response(body: Any, status: int = 200, headers: dict | None = None) -> Response:
    return Response(json.dumps(body), status=status, mimetype="application/json", headers=headers)


class ProviderEmulator:
    """A threaded HTTP server on 127.0.0.1 and a random port; use it as a context manager."""

    rules: list[Rule] = []
    stall_seconds = 1.0  # how long a "timeout" outage holds each answer; make the client's timeout shorter

    def __init__(self):
        self.lock = threading.RLock()
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers) of every call
        self.webhook_sink: Callable[[WebhookRequest], Any] | None = None
        self._url_map = Map([rule.empty() for rule in self.rules])
        self._failure: str | None = None
        self._idempotent: dict[str, tuple[Any, Response]] = {}
        self._webhooks: list[WebhookRequest] = []
        self._undelivered: list[WebhookRequest] = []
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()

    # --- knobs for tests ---------------------------------------------------

    @contextmanager
    def outage(self, kind: str = "error") -> Iterator[None]:
        """While active, ``"error"`` answers every call with the provider's 500 (nothing is done)
        and ``"timeout"`` does the work but answers only after :attr:`stall_seconds` (the
        client gives up first, not knowing the outcome)."""
        if kind not in ("error", "timeout"):
            raise ValueError("outage kind is 'error' or 'timeout'")
        self._failure = kind
        try:
            yield
        finally:
            self._failure = None

    def take_webhooks(self) -> list[WebhookRequest]:
        """The webhooks sent since the last call, oldest first."""
        with self.lock:
            sent, self._webhooks = self._webhooks, []
        return sent

    def post_webhooks_to(self, url: str) -> None:
        """Deliver webhooks over HTTP to ``url`` (a live site's ``/api/payments/<provider>/webhook``).
        With Flask's test client, set :attr:`webhook_sink` to a function that posts instead."""
        import requests

        self.webhook_sink = lambda delivery: requests.post(url, data=delivery.body, headers=dict(delivery.headers),
                                                           timeout=10)

    def calls(self, method: str, path_prefix: str) -> list[dict[str, str]]:
        """Headers of the calls made with ``method`` to paths starting with ``path_prefix``."""
        return [headers for m, path, headers in self.requests if m == method and path.startswith(path_prefix)]

    # --- for subclasses ------------------------------------------------------

    def send_webhook(self, headers: dict[str, str], body: bytes) -> WebhookRequest:
        """Record a webhook as the provider would send it. :attr:`webhook_sink`, if set, receives
        it on :meth:`deliver_webhooks`: providers send webhooks asynchronously, after answering
        the call that caused them, and a test says when that happens."""
        delivery = WebhookRequest(headers=headers, body=body)
        with self.lock:
            self._webhooks.append(delivery)
            self._undelivered.append(delivery)
        return delivery

    def deliver_webhooks(self) -> None:
        """Hand the webhooks not yet delivered to :attr:`webhook_sink`, in order, outside the
        emulator's lock (the receiver may call the emulator back)."""
        with self.lock:
            pending, self._undelivered = self._undelivered, []
        if self.webhook_sink is not None:
            for delivery in pending:
                self.webhook_sink(delivery)

    def idempotent(self, key: str | None, fingerprint: Any, handle: Callable[[], Response],
                   mismatch: Callable[[], Response]) -> Response:
        """Run ``handle`` once per idempotency key: a replay with the same ``fingerprint`` gets
        the first answer again, one with another fingerprint gets ``mismatch()``."""
        if not key:
            return handle()
        with self.lock:
            if key in self._idempotent:
                first_fingerprint, response = self._idempotent[key]
                if first_fingerprint != fingerprint:
                    return mismatch()
                return Response(response.get_data(), status=response.status_code, headers=dict(response.headers))
            response = handle()
            if response.status_code < 500:
                self._idempotent[key] = (fingerprint, response)
            return response

    def server_error(self) -> Response:
        """The provider's answer to a call during an ``"error"`` outage."""
        return json_response({"error": "internal server error"}, 500)

    # --- WSGI ---------------------------------------------------------------

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        with self.lock:
            self.requests.append((request.method, request.path, dict(request.headers)))
        failure = self._failure
        if failure == "error":
            return self.server_error()(environ, start_response)
        response = self._dispatch(request)
        if failure == "timeout":
            time.sleep(self.stall_seconds)
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        try:
            endpoint, args = self._url_map.bind_to_environ(request.environ).match()
            return getattr(self, endpoint)(request, **args)
        except EmulatorError as exc:
            return json_response(exc.body, exc.status)
        except HTTPException as exc:
            return json_response({"error": exc.name}, exc.code or 500)
