"""Outgoing webhooks: which URLs may be called, when a delivery is retried, when an endpoint gives up."""

from __future__ import annotations

import base64
import ipaddress
import secrets
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

SECRET_PREFIX = "whsec_"  # the Standard Webhooks secret format: whsec_ + base64 of the key
RETRIES = 25  # with RETRY_DELAY: 1, 2, 4 ... 32 minutes, then hourly: the last try about 20 hours after the first
RETRY_DELAY_SECONDS = 60
MAX_ATTEMPTS = RETRIES + 1


class UnsafeUrl(ValueError):
    """An endpoint URL that may not be called (the message says why, for the ``url`` field)."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def forbidden_address(address: str) -> bool:
    """Private, loopback, link-local (cloud metadata), multicast, reserved or unspecified: not the internet."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str, resolve: Callable[[str, int], Iterable[str]], allow_private: bool) -> None:
    """Raise :class:`UnsafeUrl` unless ``url`` is http(s) to a host whose every address is public
    (``allow_private`` lifts the address rule, for a site whose receivers are on its own network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeUrl("Must be an http:// or https:// URL with a host.")
    if parts.username or parts.password:
        raise UnsafeUrl("Must not carry a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeUrl("Has an invalid port.") from None
    if allow_private:
        return
    try:
        addresses = set(resolve(parts.hostname, port))
    except OSError:
        raise UnsafeUrl(f"The host {parts.hostname!r} does not resolve.") from None
    if not addresses:
        raise UnsafeUrl(f"The host {parts.hostname!r} does not resolve.")
    if any(forbidden_address(address) for address in addresses):
        raise UnsafeUrl("Resolves to a private, loopback or link-local address; such endpoints are refused.")


@dataclass(frozen=True)
class Attempt:
    """One POST to an endpoint: its answer code (None when none came) and how long it took."""

    status_code: int | None
    duration_ms: int
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def should_disable(consecutive_failures: int, disable_after: int) -> bool:
    """An endpoint that failed this many attempts in a row, with no success between, is disabled."""
    return consecutive_failures >= disable_after


class WebhookStore(ABC):
    """The endpoints and deliveries, as the use cases see them (``SqlWebhookRepository`` in SQL).
    Rows are plain dicts of the tables' columns; an endpoint's secret is only in a delivery's row."""

    @abstractmethod
    def add_endpoint(self, **values) -> None: ...

    @abstractmethod
    def endpoint(self, endpoint_id: uuid.UUID, *, lock: bool = False) -> dict | None: ...

    @abstractmethod
    def endpoints(self) -> list[dict]: ...

    @abstractmethod
    def enabled_endpoints(self) -> list[dict]: ...

    @abstractmethod
    def update_endpoint(self, endpoint_id: uuid.UUID, **values) -> None: ...

    @abstractmethod
    def delete_endpoint(self, endpoint_id: uuid.UUID) -> bool: ...

    @abstractmethod
    def add_deliveries(self, rows: list[dict]) -> list[uuid.UUID]:
        """Insert deliveries, skipping an (endpoint, event) pair that has one already; the new ids."""

    @abstractmethod
    def delivery(self, delivery_id: uuid.UUID, *, lock: bool = False) -> dict | None: ...

    @abstractmethod
    def deliveries_of(self, endpoint_id: uuid.UUID, offset: int, limit: int) -> tuple[list[dict], int]: ...

    @abstractmethod
    def record_attempt(self, delivery_id: uuid.UUID, attempt: Attempt, state: str, now: datetime) -> None: ...

    @abstractmethod
    def set_delivery_state(self, delivery_ids: Iterable[uuid.UUID], state: str, **values) -> None: ...
