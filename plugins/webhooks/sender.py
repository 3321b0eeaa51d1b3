"""The HTTP side of a delivery: a POST signed per Standard Webhooks, with the answer timed."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import datetime

import requests
from standardwebhooks.webhooks import Webhook

from plugins.webhooks.domain import Attempt, UnsafeUrl

USER_AGENT = "commerce-webhooks/1"


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (raises OSError when it does not)."""
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class SignedSender:
    def __init__(self, check_url: Callable[[str], None], timeout: float):
        self.check_url = check_url
        self.timeout = timeout

    def __call__(self, url: str, secret: str, message_id: str, body: str, now: datetime) -> Attempt:
        try:  # again now: a host name may resolve elsewhere than when the endpoint was registered
            self.check_url(url)
        except UnsafeUrl as exc:
            return Attempt(status_code=None, duration_ms=0, error=f"refused: {exc}")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(secret).sign(message_id, now, body),
        }
        started = time.monotonic()
        try:
            answer = requests.post(url, data=body.encode(), headers=headers, timeout=self.timeout,
                                   allow_redirects=False)
        except requests.RequestException as exc:
            return Attempt(None, _ms_since(started), f"{type(exc).__name__}: no answer")
        error = None if 200 <= answer.status_code < 300 else f"answered {answer.status_code}"
        return Attempt(answer.status_code, _ms_since(started), error)


def _ms_since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
