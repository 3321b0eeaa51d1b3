"""A payment provider in memory for the orders side's tests: HMAC-signed JSON webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from decimal import Decimal

from kernel.domain.money import Money
from kernel.domain.ports.payments import (
    EventKind,
    InvalidWebhookSignature,
    NormalizedEvent,
    PaymentProvider,
    PaymentSession,
    PaymentState,
    PaymentStatus,
    ProviderCapabilities,
    ProviderUnavailable,
    Refund,
    WebhookRequest,
)
from kernel.plugins import PluginManifest, hookimpl

SECRET = b"whsec_test"


class FakePay(PaymentProvider):
    name = "fakepay"
    capabilities = ProviderCapabilities(partial_refund=True)

    def __init__(self):
        self.sessions: dict[str, PaymentSession] = {}  # by idempotency key
        self.refunds: list[tuple[str, str, Decimal | None]] = []
        self.down = False

    def create_payment(self, request):
        if request.idempotency_key not in self.sessions:
            reference = f"pay_{len(self.sessions) + 1}"
            self.sessions[request.idempotency_key] = PaymentSession(
                provider=self.name, reference=reference, status=PaymentStatus.REQUIRES_ACTION, amount=request.amount,
                client_secret=f"{reference}_secret")
        return self.sessions[request.idempotency_key]

    def capture(self, reference, *, idempotency_key, amount=None):
        session = self._session(reference)
        return PaymentState(self.name, reference, PaymentStatus.SUCCEEDED, session.amount, session.amount,
                            Money.zero(session.amount.currency))

    def cancel(self, reference, *, idempotency_key):
        raise NotImplementedError

    def refund(self, reference, *, idempotency_key, amount=None):
        if self.down:
            raise ProviderUnavailable("fakepay is down", provider=self.name)
        if all(key != idempotency_key for key, _, _ in self.refunds):
            self.refunds.append((idempotency_key, reference, amount.amount if amount else None))
        return Refund(self.name, f"re_{len(self.refunds)}", reference, amount or self._session(reference).amount,
                      "succeeded")

    def status(self, reference):
        raise NotImplementedError

    def parse_webhook(self, request: WebhookRequest):
        expected = hmac.new(SECRET, request.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, request.header("X-Fakepay-Signature") or ""):
            raise InvalidWebhookSignature("bad signature", provider=self.name)
        data = json.loads(request.body)
        if data["type"] not in {kind.value for kind in EventKind}:
            return None
        amount = Money(Decimal(data["amount"]), "USD") if data.get("amount") else None
        return NormalizedEvent(provider=self.name, event_id=data["id"], kind=EventKind(data["type"]),
                               reference=data["reference"], occurred_at=datetime.now(UTC), amount=amount)

    def _session(self, reference):
        return next(s for s in self.sessions.values() if s.reference == reference)


def signed(event: dict, secret: bytes = SECRET) -> tuple[bytes, dict]:
    body = json.dumps(event).encode()
    return body, {"X-Fakepay-Signature": hmac.new(secret, body, hashlib.sha256).hexdigest(),
                  "Content-Type": "application/json"}


# This module is also a test-only plugin named "fakepay" (see the ``paying`` fixture).
manifest = PluginManifest(name="fakepay", version="0.0.0", kernel=">=0.1", description="in-memory payment provider")
providers: dict[str, FakePay] = {}


@hookimpl
def commerce_payment_providers(site):
    return [providers.setdefault(site.name, FakePay())]
