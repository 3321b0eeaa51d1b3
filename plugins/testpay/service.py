"""The test payment service: what a real provider runs on its own servers, here in the site's
process and memory (so the demo sells offline).

It holds payments and refunds by idempotency key, lets the hosted page play the shopper
(pay, decline, cancel) and queues an HMAC-signed webhook for every change, which the site
takes with :meth:`TestPayService.take_webhooks` and delivers to its inbox (never while a
caller, such as a refund inside the orders' transaction, waits on the service). Everything is lost when the process stops: a payment started before a
restart is simply started again (the orders side reuses its idempotency key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from kernel.domain.ports.payments import PaymentStatus

SIGNATURE_HEADER = "TestPay-Signature"


class ServiceError(Exception):
    """The service refuses a call: ``code`` says why (the provider translates it to a PaymentError)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class Outage(Exception):
    """The service is down (``"error"``) or answered too late (``"timeout"``, after doing the work)."""


@dataclass
class TestPayment:
    id: str
    key: str
    order_reference: str
    amount: Decimal
    currency: str
    return_url: str | None
    cancel_url: str | None
    status: PaymentStatus = PaymentStatus.REQUIRES_ACTION
    refunded: Decimal = Decimal("0.00")
    refund_keys: dict[str, str] = field(default_factory=dict)  # idempotency key -> refund id

    @property
    def captured(self) -> Decimal:
        return self.amount if self.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED) else Decimal("0.00")


def sign(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


class TestPayService:
    """Thread-safe: the web server's threads and the in-process job consumer share one service."""

    __test__ = False  # not a pytest class, whatever its name

    def __init__(self, secret: bytes):
        self.secret = secret
        self.payments: dict[str, TestPayment] = {}
        self._by_key: dict[str, str] = {}
        self._lock = threading.RLock()
        self.outage: str | None = None  # "error" or "timeout": for the conformance kit's outage tests
        self._webhooks: list[tuple[dict[str, str], bytes]] = []
        # told when a call from the site (a refund, a cancel) queued a webhook; the hosted page
        # delivers the shopper's own webhooks itself before it redirects
        self.on_webhook: Callable[[], None] = lambda: None

    # --- the API the provider calls --------------------------------------------------

    def create(self, *, key: str, order_reference: str, amount: Decimal, currency: str,
               return_url: str | None, cancel_url: str | None) -> TestPayment:
        with self._answer():
            if key in self._by_key:
                payment = self.payments[self._by_key[key]]
                if (payment.amount, payment.currency) != (amount, currency):
                    raise ServiceError("key_reused", "the idempotency key was used for another payment")
                return payment
            payment = TestPayment(id=f"tp_{uuid.uuid4().hex}", key=key, order_reference=order_reference,
                                  amount=amount, currency=currency, return_url=return_url, cancel_url=cancel_url)
            self.payments[payment.id] = payment
            self._by_key[key] = payment.id
            return payment

    def get(self, payment_id: str) -> TestPayment:
        with self._answer():
            return self._payment(payment_id)

    def cancel(self, payment_id: str) -> TestPayment:
        with self._answer():
            payment = self._payment(payment_id)
            if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
                raise ServiceError("state", "a captured payment cannot be cancelled")
            if payment.status != PaymentStatus.CANCELLED:
                payment.status = PaymentStatus.CANCELLED
                self._send("payment.cancelled", payment)
                self.on_webhook()
            return payment

    def refund(self, payment_id: str, *, key: str, amount: Decimal | None) -> tuple[str, Decimal]:
        """A refund of ``amount`` (everything left when None); the same key refunds once."""
        with self._answer():
            payment = self._payment(payment_id)
            if key in payment.refund_keys:
                return payment.refund_keys[key], payment.refunded
            if payment.captured <= 0:
                raise ServiceError("state", "nothing was captured")
            left = payment.captured - payment.refunded
            amount = left if amount is None else amount
            if amount > left or amount <= 0:
                raise ServiceError("exceeds", f"the refund asks for {amount}; {left} can be refunded")
            payment.refunded += amount
            if payment.refunded >= payment.amount:
                payment.status = PaymentStatus.REFUNDED
            refund_id = f"tpr_{uuid.uuid4().hex}"
            payment.refund_keys[key] = refund_id
            self._send("payment.refunded", payment)
            self.on_webhook()
            return refund_id, amount

    # --- the shopper on the hosted page ------------------------------------------------

    def pay(self, payment_id: str) -> TestPayment:
        return self._settle(payment_id, PaymentStatus.SUCCEEDED, "payment.succeeded")

    def decline(self, payment_id: str) -> TestPayment:
        return self._settle(payment_id, PaymentStatus.FAILED, "payment.failed")

    def _settle(self, payment_id: str, status: PaymentStatus, event_type: str) -> TestPayment:
        with self._lock:
            payment = self._payment(payment_id)
            if payment.status not in (PaymentStatus.REQUIRES_ACTION, PaymentStatus.FAILED):
                raise ServiceError("state", f"this payment is {payment.status}")
            payment.status = status
            self._send(event_type, payment)
            return payment

    def take_webhooks(self) -> list[tuple[dict[str, str], bytes]]:
        """The signed webhooks ``(headers, body)`` queued since the last call, oldest first."""
        with self._lock:
            taken, self._webhooks = self._webhooks, []
            return taken

    # --- internals --------------------------------------------------------------------

    def _payment(self, payment_id: str) -> TestPayment:
        try:
            return self.payments[payment_id]
        except KeyError:
            raise ServiceError("not_found", "no such payment") from None

    def _send(self, event_type: str, payment: TestPayment) -> None:
        event = {"id": f"tpe_{uuid.uuid4().hex}", "type": event_type, "created": datetime.now(UTC).isoformat(), "payment": payment.id,
                 "order": payment.order_reference, "amount": str(payment.amount), "refunded": str(payment.refunded),
                 "currency": payment.currency}
        body = json.dumps(event, separators=(",", ":")).encode()
        self._webhooks.append(({"Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret, body)}, body))

    def _answer(self):
        return _Answer(self)


class _Answer:
    """Holds the lock for one call and plays the outage the tests asked for."""

    def __init__(self, service: TestPayService):
        self.service = service

    def __enter__(self):
        if self.service.outage == "error":
            raise Outage("error")
        self.service._lock.acquire()

    def __exit__(self, kind, value, traceback):
        self.service._lock.release()
        if kind is None and self.service.outage == "timeout":
            raise Outage("timeout")
        return False
