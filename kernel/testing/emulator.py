"""A base for local stand-ins of a payment provider's HTTP API, for tests only.

A test points the plugin's configurable API base URL at :attr:`ProviderEmulator.base_url`,
so the plugin's real HTTP code runs against a server that follows the provider's documented
API. Subclasses declare werkzeug routing ``rules`` whose endpoints name their methods; each
method takes ``(request, **url_args)`` and returns a :class:`werkzeug.Response` or raises
:class:`EmulatorError`. The base class adds what every provider's tests need: an outage
switch (5xx or a stall), idempotency-key replay, and the webhooks the provider sends.

The base keeps its own state in one name-mangled attribute, so no subclass attribute or
method can shadow it. A bug in an emulator (any other exception) answers 500, prints its
traceback and fails the test when the emulator closes. Run one as its own process for
end-to-end tests: ``python -m kernel.testing.emulator tests.emulators.stripe:StripeEmulator
--port 8111`` prints its base URL and serves until stopped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.serving import BaseWSGIServer, make_server
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


@dataclass
class _Delivery:
    request: WebhookRequest
    url: str | None  # the payment's own webhook URL, if the provider was given one


@dataclass
class _BaseState:
    """Everything the base class keeps, out of the subclasses' way."""

    url_map: Map
    server: BaseWSGIServer
    thread: threading.Thread
    failure: str | None = None
    replies: dict[str, tuple[Any, Response]] = field(default_factory=dict)  # idempotency key -> first answer
    outbox: list[_Delivery] = field(default_factory=list)  # webhooks sent, not yet taken or delivered
    crashes: list[str] = field(default_factory=list)  # tracebacks of the emulator's own bugs


class EmulatorCrashed(AssertionError):
    """The emulator itself failed while answering (a bug in the test double, not the plugin)."""


class ProviderEmulator:
    """A threaded HTTP server on 127.0.0.1 (a random port unless ``port``); use it as a context manager."""

    rules: list[Rule] = []
    stall_seconds = 1.0  # how long a "timeout" outage holds each answer; make the client's timeout shorter
    deliver_delay = 0.05  # with ``auto_deliver``, how long after it is sent a webhook is delivered

    def __init__(self, *, port: int = 0):
        self.lock = threading.RLock()
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path, headers) of every call
        self.webhook_sink: Callable[[WebhookRequest], Any] | None = None
        self.webhook_url: str | None = None  # where deliveries without their own URL are posted
        self.auto_deliver = False  # deliver each webhook shortly after it is sent, as a live provider does
        server = make_server("127.0.0.1", port, self.__wsgi, threaded=True)
        self.__base = _BaseState(url_map=Map([rule.empty() for rule in self.rules]), server=server,
                                 thread=threading.Thread(target=server.serve_forever, daemon=True))
        self.base_url = f"http://127.0.0.1:{server.server_port}"

    def __enter__(self):
        self.__base.thread.start()
        return self

    def __exit__(self, exc_type, *exc_info):
        self.__base.server.shutdown()
        self.__base.server.server_close()
        if self.__base.crashes and exc_type is None:
            raise EmulatorCrashed("the emulator failed while answering:\n" + "\n".join(self.__base.crashes))

    # --- knobs for tests ---------------------------------------------------

    @contextmanager
    def outage(self, kind: str = "error") -> Iterator[None]:
        """While active, ``"error"`` answers every call with the provider's 500 (nothing is done)
        and ``"timeout"`` does the work but answers only after :attr:`stall_seconds` (the
        client gives up first, not knowing the outcome)."""
        if kind not in ("error", "timeout"):
            raise ValueError("outage kind is 'error' or 'timeout'")
        self.__base.failure = kind
        try:
            yield
        finally:
            self.__base.failure = None

    def take_webhooks(self) -> list[WebhookRequest]:
        """The webhooks sent and not yet taken or delivered, oldest first (one queue with
        :meth:`deliver_webhooks`: each webhook goes one way)."""
        return [delivery.request for delivery in self.__take()]

    def post_webhooks_to(self, url: str, *, at_once: bool = False) -> None:
        """Deliver webhooks over HTTP to ``url`` (a live site's ``/api/payments/<provider>/webhook``)
        unless a webhook has its own URL; ``at_once``: shortly after each is sent (a browser test,
        where no test code says when), else on :meth:`deliver_webhooks`. With Flask's test
        client, set :attr:`webhook_sink` to a function that posts instead."""
        self.webhook_url, self.auto_deliver = url, at_once

    def calls(self, method: str, path_prefix: str) -> list[dict[str, str]]:
        """Headers of the calls made with ``method`` to paths starting with ``path_prefix``."""
        return [headers for m, path, headers in self.requests if m == method and path.startswith(path_prefix)]

    # --- for subclasses ------------------------------------------------------

    def send_webhook(self, headers: dict[str, str], body: bytes, *, url: str | None = None) -> WebhookRequest:
        """Queue a webhook as the provider would send it, to the payment's own ``url`` when the
        provider was given one (its query string reaches the plugin). Providers send webhooks
        asynchronously, after answering the call that caused them: a test says when, with
        :meth:`take_webhooks` or :meth:`deliver_webhooks`."""
        delivery = WebhookRequest(headers=headers, body=body, query_string=urlsplit(url).query if url else "",
                                  client_address="127.0.0.1")
        with self.lock:
            self.__base.outbox.append(_Delivery(delivery, url))
        if self.auto_deliver:  # after the answer of the call that caused it, from another thread
            threading.Timer(self.deliver_delay, self.deliver_webhooks).start()
        return delivery

    def deliver_webhooks(self) -> None:
        """Hand the queued webhooks to :attr:`webhook_sink`, or post them to their URL, in order,
        outside the emulator's lock (the receiver may call the emulator back)."""
        import requests

        for delivery in self.__take():
            if self.webhook_sink is not None:
                self.webhook_sink(delivery.request)
            elif delivery.url or self.webhook_url:
                requests.post(delivery.url or self.webhook_url, data=delivery.request.body,
                              headers=dict(delivery.request.headers), timeout=10)

    def idempotent(self, key: str | None, fingerprint: Any, handle: Callable[[], Response],
                   mismatch: Callable[[], Response]) -> Response:
        """Run ``handle`` once per idempotency key: a replay with the same ``fingerprint`` gets
        the first answer again, one with another fingerprint gets ``mismatch()``."""
        if not key:
            return handle()
        with self.lock:
            replies = self.__base.replies
            if key in replies:
                first_fingerprint, response = replies[key]
                if first_fingerprint != fingerprint:
                    return mismatch()
                return Response(response.get_data(), status=response.status_code, headers=dict(response.headers))
            response = handle()
            if response.status_code < 500:
                replies[key] = (fingerprint, response)
            return response

    def server_error(self) -> Response:
        """The provider's answer to a call during an ``"error"`` outage."""
        return json_response({"error": "internal server error"}, 500)

    # --- WSGI ---------------------------------------------------------------

    def __take(self) -> list[_Delivery]:
        with self.lock:
            taken, self.__base.outbox = self.__base.outbox, []
        return taken

    def __wsgi(self, environ, start_response):
        request = Request(environ)
        with self.lock:
            self.requests.append((request.method, request.path, dict(request.headers)))
        failure = self.__base.failure
        if failure == "error":
            return self.server_error()(environ, start_response)
        response = self.__dispatch(request)
        if failure == "timeout":
            time.sleep(self.stall_seconds)
        return response(environ, start_response)

    def __dispatch(self, request: Request) -> Response:
        try:
            endpoint, args = self.__base.url_map.bind_to_environ(request.environ).match()
            return getattr(self, endpoint)(request, **args)
        except EmulatorError as exc:
            return json_response(exc.body, exc.status)
        except HTTPException as exc:
            return json_response({"error": exc.name}, exc.code or 500)
        except Exception as exc:  # a bug in the emulator: visible in the test's output, and fails it on close
            trace = traceback.format_exc()
            print(f"{type(self).__name__} failed on {request.method} {request.path}:\n{trace}", file=sys.stderr)
            with self.lock:
                self.__base.crashes.append(trace)
            return json_response({"error": "emulator_crashed", "message": f"{type(exc).__name__}: {exc}"}, 500)


def main(argv: list[str] | None = None) -> None:
    """Serve one emulator class (``module:Class``) in this process until interrupted."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("emulator", help="module:Class of a ProviderEmulator subclass")
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args(argv)
    module, _, name = options.emulator.partition(":")
    emulator = getattr(importlib.import_module(module), name)(port=options.port)
    with emulator:
        print(emulator.base_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
