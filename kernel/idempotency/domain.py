"""The idempotency rule, in plain Python: claim a key, answer a retry from what was stored."""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from kernel.domain.errors import ValidationFailed

KEY_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class IdempotentRequest:
    """An unsafe request carrying an ``Idempotency-Key``: whose key it is (a user, or a guest's
    namespace), the key, and a fingerprint of what was asked (method, path, body)."""

    owner: UUID
    key: str
    fingerprint: str

    @staticmethod
    def fingerprint_of(method: str, path: str, body) -> str:
        canonical = json.dumps([method.upper(), path, body], sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class StoredReply:
    fingerprint: str
    status: int
    body: dict
    expires_at: datetime


@dataclass(frozen=True)
class Reply:
    """An answer to send: its status and body, and whether it is a stored one sent again."""

    status: int
    body: dict
    replayed: bool = False


class IdempotencyStore(ABC):
    @abstractmethod
    def claim(self, request: IdempotentRequest, now: datetime, expires_at: datetime) -> StoredReply | None:
        """Reserve the key for this request, or return the reply already stored under it.

        A concurrent request with the same key waits until the first one finishes.
        """

    @abstractmethod
    def fulfil(self, request: IdempotentRequest, status: int, body: dict) -> None:
        """Store the reply of a claimed key (in the same transaction as the work)."""

    @abstractmethod
    def purge(self, now: datetime) -> int:
        """Forget the keys whose lifetime is over; returns how many."""


def answer_once(store: IdempotencyStore, request: IdempotentRequest | None, now: datetime,
                work: Callable[[], tuple[int, dict]]) -> Reply:
    """Run ``work`` (inside the caller's unit of work, which commits the claim with it) unless
    the key already has an answer; the same key with another request is a 422.

    A failed ``work`` rolls the claim back with everything else, so a retry tries again."""
    if request is not None:
        stored = store.claim(request, now, now + KEY_LIFETIME)
        if stored is not None:
            if stored.fingerprint != request.fingerprint:
                raise ValidationFailed("This Idempotency-Key was already used for a different request.",
                                       errors={"Idempotency-Key": ["Use a new key for a new request."]})
            return Reply(stored.status, stored.body, replayed=True)
    status, body = work()
    if request is not None:
        store.fulfil(request, status, body)
    return Reply(status, body)
