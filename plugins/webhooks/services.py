"""Use cases: staff manage endpoints; jobs fan events out to deliveries and deliver them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.events import EVENT_TYPES
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.webhooks.domain import MAX_ATTEMPTS, Attempt, UnsafeUrl, WebhookStore, new_secret, should_disable


def utcnow() -> datetime:
    return datetime.now(UTC)


class DeliveryFailed(Exception):
    """Raised by a delivery job so that the jobs platform retries it with back-off."""


@dataclass(frozen=True)
class Collaborators:
    """What the use cases need from the running site, built by :mod:`plugins.webhooks.bootstrap`."""

    uow: UnitOfWork
    repository: WebhookStore
    check_url: Callable[[str], None]  # raises UnsafeUrl
    enqueue: Callable[..., object]  # the site's job queue
    clock: Callable[[], datetime] = utcnow


class WebhookEndpoints:
    """Staff's endpoints: each signs its deliveries with a secret shown once, when it is created."""

    def __init__(self, c: Collaborators):
        self.c = c

    def create(self, url: str, event_types: list[str], description: str) -> dict:
        self._check(url, event_types)
        endpoint_id, secret = uuid.uuid4(), new_secret()
        with self.c.uow:
            self.c.repository.add_endpoint(id=endpoint_id, url=url, event_types=sorted(set(event_types)),
                                           description=description, secret=secret, enabled=True,
                                           consecutive_failures=0, created_at=self.c.clock())
            created = self.c.repository.endpoint(endpoint_id)
            self.c.uow.commit()
        return {**created, "secret": secret}

    def list(self) -> list[dict]:
        with self.c.uow:
            return self.c.repository.endpoints()

    def get(self, endpoint_id: uuid.UUID) -> dict:
        with self.c.uow:
            return self._endpoint(endpoint_id)

    def update(self, endpoint_id: uuid.UUID, changes: dict) -> dict:
        """Change url, event types, description or ``enabled`` (enabling again forgets past failures)."""
        with self.c.uow:
            current = self._endpoint(endpoint_id, lock=True)
            self._check(changes.get("url", current["url"]), changes.get("event_types", current["event_types"]))
            if "event_types" in changes:
                changes["event_types"] = sorted(set(changes["event_types"]))
            if changes.get("enabled"):
                changes.update(consecutive_failures=0, disabled_reason=None)
            if changes:
                self.c.repository.update_endpoint(endpoint_id, **changes)
            updated = self.c.repository.endpoint(endpoint_id)
            self.c.uow.commit()
        return updated

    def delete(self, endpoint_id: uuid.UUID) -> None:
        with self.c.uow:
            if not self.c.repository.delete_endpoint(endpoint_id):
                raise NotFound("No such webhook endpoint.")
            self.c.uow.commit()

    def deliveries(self, endpoint_id: uuid.UUID, page: int, page_size: int) -> tuple[list[dict], int]:
        with self.c.uow:
            self._endpoint(endpoint_id)
            return self.c.repository.deliveries_of(endpoint_id, (page - 1) * page_size, page_size)

    def replay(self, endpoint_id: uuid.UUID, delivery_id: uuid.UUID) -> dict:
        """Send a delivery again, with a fresh round of attempts (same webhook-id: receivers deduplicate)."""
        with self.c.uow:
            delivery = self.c.repository.delivery(delivery_id, lock=True)
            if delivery is None or delivery["endpoint_id"] != endpoint_id:
                raise NotFound("No such delivery.")
            self.c.repository.set_delivery_state([delivery_id], "pending", attempts=0, error=None)
            self.c.enqueue("webhooks.deliver", str(delivery_id))
            self.c.uow.commit()
        return {"deliveryId": delivery_id, "state": "pending"}

    def _endpoint(self, endpoint_id: uuid.UUID, *, lock: bool = False) -> dict:
        endpoint = self.c.repository.endpoint(endpoint_id, lock=lock)
        if endpoint is None:
            raise NotFound("No such webhook endpoint.")
        return endpoint

    def _check(self, url: str, event_types: list[str]) -> None:
        unknown = sorted(set(event_types) - set(EVENT_TYPES))
        if unknown:
            raise ValidationFailed(f"Unknown event type {unknown[0]!r}.",
                                   errors={"eventTypes": [f"Each one of: {', '.join(EVENT_TYPES)}."]})
        try:
            self.c.check_url(url)
        except UnsafeUrl as exc:
            raise ValidationFailed(f"This endpoint URL is refused: {exc}", errors={"url": [str(exc)]}) from None


class WebhookDelivery:
    """The jobs' side: one delivery per enabled endpoint and event it asked for, each sent until it lands."""

    def __init__(self, c: Collaborators, send: Callable[[str, str, str, str, datetime], Attempt],
                 disable_after: int):
        self.c = c
        self.send = send
        self.disable_after = disable_after

    def fan_out(self, events: list[dict]) -> int:
        """``events``: the outbox's ``{id, type, data, createdAt}``; returns how many deliveries were new."""
        with self.c.uow:
            endpoints = self.c.repository.enabled_endpoints()
            now = self.c.clock()
            rows = [{"id": uuid.uuid4(), "endpoint_id": endpoint["id"], "event_id": event["id"],
                     "event_type": event["type"], "body": webhook_body(event), "state": "pending", "attempts": 0,
                     "created_at": now}
                    for event in events for endpoint in endpoints if event["type"] in endpoint["event_types"]]
            created = self.c.repository.add_deliveries(rows)
            for delivery_id in created:
                self.c.enqueue("webhooks.deliver", str(delivery_id))
            self.c.uow.commit()
        return len(created)

    def deliver(self, delivery_id: uuid.UUID) -> None:
        """One attempt; raises :class:`DeliveryFailed` when another one is due later."""
        with self.c.uow:
            delivery = self.c.repository.delivery(delivery_id)
            self.c.uow.rollback()  # no transaction stays open while the receiver answers
        if delivery is None or delivery["state"] != "pending":
            return
        if not delivery["enabled"]:
            with self.c.uow:
                self.c.repository.set_delivery_state([delivery_id], "failed", error="the endpoint is disabled")
                self.c.uow.commit()
            return
        attempt = self.send(delivery["url"], delivery["secret"], message_id(delivery), delivery["body"],
                            self.c.clock())
        if not self._record(delivery, attempt):
            raise DeliveryFailed(f"webhook delivery {delivery_id}: {attempt.error}")

    def _record(self, delivery: dict, attempt: Attempt) -> bool:
        """Store the attempt and its consequences; whether the delivery is settled (no retry)."""
        with self.c.uow:
            endpoint = self.c.repository.endpoint(delivery["endpoint_id"], lock=True)
            if endpoint is None:  # deleted meanwhile: its deliveries went with it
                return True
            failures = 0 if attempt.succeeded else endpoint["consecutive_failures"] + 1
            disabling = endpoint["enabled"] and should_disable(failures, self.disable_after)
            gives_up = delivery["attempts"] + 1 >= MAX_ATTEMPTS or disabling or not endpoint["enabled"]
            state = "succeeded" if attempt.succeeded else "failed" if gives_up else "pending"
            self.c.repository.record_attempt(delivery["id"], attempt, state, self.c.clock())
            changes: dict = {"consecutive_failures": failures}
            if disabling:
                changes.update(enabled=False, disabled_reason=f"{failures} failed deliveries in a row")
                self.c.enqueue("webhooks.mail_disabled", str(endpoint["id"]))
            self.c.repository.update_endpoint(endpoint["id"], **changes)
            self.c.uow.commit()
        return state != "pending"


def webhook_body(event: dict) -> str:
    """The Standard Webhooks payload shape ``{type, timestamp, data}``, plus the event's ``sequence``
    (its outbox id): deliveries are independent, so receivers order them by it."""
    return json.dumps({"type": event["type"], "timestamp": event["createdAt"], "sequence": event["id"],
                       "data": event["data"]}, separators=(",", ":"))


def message_id(delivery: dict) -> str:
    """``webhook-id``: the same for every attempt and replay of one event to one endpoint."""
    return f"msg_{delivery['event_id']}_{delivery['endpoint_id'].hex[:12]}"
