"""PayPal's REST API over ``requests``: an OAuth2 client-credentials token cached until it
expires, ``PayPal-Request-Id`` on every POST, and errors turned into the port's."""

from __future__ import annotations

import threading
import time
from typing import Any

import requests

from kernel.domain.ports.payments import PaymentError, PaymentNotFound, ProviderUnavailable
from plugins.paypal.domain import PROVIDER

TOKEN_MARGIN_SECONDS = 60  # renew a little before PayPal's expiry


class PayPalApiError(PaymentError):
    """A 4xx answer; ``issue`` is the first of PayPal's ``details[].issue`` codes."""

    def __init__(self, detail: str, *, status_code: int, issue: str | None):
        super().__init__(detail, provider=PROVIDER)
        self.status_code = status_code
        self.issue = issue


class PayPalClient:
    def __init__(self, *, api_base: str, client_id: str, client_secret: str, timeout_seconds: float,
                 clock=time.monotonic):
        self.api_base = api_base.rstrip("/")
        self._credentials = (client_id, client_secret)
        self._timeout = timeout_seconds
        self._clock = clock
        self._session = requests.Session()
        self._token: tuple[str, float] | None = None
        self._token_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PayPalClient(api_base={self.api_base!r})"

    def get(self, path: str) -> dict:
        return self._call("GET", path)

    def post(self, path: str, *, request_id: str, json: Any = None, data: str | None = None) -> dict:
        """POST JSON (or an already encoded JSON string), idempotent by ``request_id``."""
        headers = {"PayPal-Request-Id": request_id, "Prefer": "return=representation",
                   "Content-Type": "application/json"}
        return self._call("POST", path, headers=headers, json=json, data=data)

    def _call(self, method: str, path: str, headers: dict | None = None, **body) -> dict:
        for attempt in (1, 2):
            response = self._send(method, path, headers={**(headers or {}), "Authorization": f"Bearer {self._access_token()}"}, **body)
            if response.status_code == 401 and attempt == 1:  # the token expired early: renew it once
                self._token = None
                continue
            return self._answer(response, f"{method} {path.split('?')[0]}")
        raise AssertionError("unreachable")

    def _access_token(self) -> str:
        with self._token_lock:
            if self._token is None or self._clock() >= self._token[1]:
                response = self._send("POST", "/v1/oauth2/token", data={"grant_type": "client_credentials"},
                                      auth=self._credentials, headers={"Accept": "application/json"})
                if response.status_code in (400, 401):
                    raise PaymentError("paypal refused the client credentials (check [plugins.paypal] client_id and "
                                       "client_secret)", provider=PROVIDER)
                token = self._answer(response, "POST /v1/oauth2/token")
                lifetime = max(int(token.get("expires_in", 0)) - TOKEN_MARGIN_SECONDS, 0)
                self._token = (token["access_token"], self._clock() + lifetime)
            return self._token[0]

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            return self._session.request(method, self.api_base + path, timeout=self._timeout, **kwargs)
        except requests.RequestException as exc:
            raise ProviderUnavailable(f"paypal did not answer {method} {path.split('?')[0]} ({type(exc).__name__}); "
                                      "retry with the same idempotency key", provider=PROVIDER) from None

    @staticmethod
    def _answer(response: requests.Response, call: str) -> dict:
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderUnavailable(f"paypal answered {call} with {response.status_code}; retry with the same "
                                      "idempotency key", provider=PROVIDER)
        try:
            body = response.json() if response.content else {}
        except ValueError:
            raise ProviderUnavailable(f"paypal answered {call} with a body that is not JSON", provider=PROVIDER) from None
        if response.status_code == 404:
            raise PaymentNotFound(f"paypal has no such resource ({call})", provider=PROVIDER)
        if response.status_code >= 400:
            details = body.get("details") or [{}]
            issue = details[0].get("issue")
            description = details[0].get("description") or body.get("message") or body.get("error_description") or ""
            raise PayPalApiError(f"paypal refused {call}: {issue or body.get('name') or response.status_code}: "
                                 f"{description}".rstrip(": "), status_code=response.status_code, issue=issue)
        return body
