"""The :class:`PaymentProvider` of the test payment service: translates the port's calls and the
service's signed webhooks, as a real provider plugin does over HTTP."""

from __future__ import annotations

import hmac
import json
from contextlib import contextmanager
from datetime import datetime

from kernel.domain.money import Money
from kernel.domain.ports.payments import (
    EventKind,
    IdempotencyKeyReused,
    InvalidPaymentState,
    InvalidWebhookSignature,
    NormalizedEvent,
    PaymentNotFound,
    PaymentProvider,
    PaymentRequest,
    PaymentSession,
    PaymentState,
    ProviderCapabilities,
    ProviderUnavailable,
    Refund,
    RefundExceedsCaptured,
    WebhookRequest,
)
from plugins.testpay.service import SIGNATURE_HEADER, Outage, ServiceError, TestPayment, TestPayService, sign

NAME = "testpay"
CHECKOUT_PATH = "/api/payments/testpay/checkout/"
EVENT_KINDS = {"payment.succeeded": EventKind.SUCCEEDED, "payment.failed": EventKind.FAILED,
               "payment.cancelled": EventKind.CANCELLED, "payment.refunded": EventKind.REFUNDED}
ERRORS = {"not_found": PaymentNotFound, "key_reused": IdempotencyKeyReused, "state": InvalidPaymentState,
          "exceeds": RefundExceedsCaptured}


class TestPayProvider(PaymentProvider):
    """Payments settle at once when the shopper presses "Pay" on the hosted page (no capture step)."""

    __test__ = False  # not a pytest class, whatever its name

    name = NAME
    capabilities = ProviderCapabilities(partial_refund=True)

    def __init__(self, service: TestPayService):
        self.service = service

    def create_payment(self, request: PaymentRequest) -> PaymentSession:
        with self._calling():
            payment = self.service.create(key=request.idempotency_key, order_reference=request.order_reference,
                                          amount=request.amount.amount, currency=request.amount.currency,
                                          return_url=request.return_url, cancel_url=request.cancel_url)
        return PaymentSession(provider=NAME, reference=payment.id, status=payment.status,
                              amount=request.amount, approval_url=CHECKOUT_PATH + payment.id)

    def capture(self, reference, *, idempotency_key, amount=None) -> PaymentState:
        state = self.status(reference)
        if state.captured.amount <= 0:
            raise InvalidPaymentState(f"testpay: a payment that is {state.status} cannot be captured", provider=NAME)
        return state

    def cancel(self, reference, *, idempotency_key) -> PaymentState:
        with self._calling():
            return _state(self.service.cancel(reference))

    def refund(self, reference, *, idempotency_key, amount: Money | None = None) -> Refund:
        with self._calling():
            refund_id, refunded = self.service.refund(reference, key=idempotency_key,
                                                      amount=None if amount is None else amount.amount)
            payment = self.service.get(reference)
        return Refund(NAME, refund_id, reference, Money(refunded, payment.currency), "succeeded")

    def status(self, reference) -> PaymentState:
        with self._calling():
            return _state(self.service.get(reference))

    def parse_webhook(self, request: WebhookRequest) -> NormalizedEvent | None:
        signature = request.header(SIGNATURE_HEADER) or ""
        if not hmac.compare_digest(signature, sign(self.service.secret, request.body)):
            raise InvalidWebhookSignature("testpay: the webhook signature does not match", provider=NAME)
        try:
            event = json.loads(request.body)
            kind = EVENT_KINDS.get(event["type"])
            if kind is None:
                return None
            amount = event["refunded"] if kind == EventKind.REFUNDED else event["amount"]
            return NormalizedEvent(provider=NAME, event_id=event["id"], kind=kind, reference=event["payment"],
                                   occurred_at=datetime.fromisoformat(event["created"]),
                                   order_reference=event["order"], amount=Money(amount, event["currency"]),
                                   provider_type=event["type"])
        except (ValueError, KeyError, TypeError):
            raise InvalidWebhookSignature("testpay: the signed webhook is not a testpay event", provider=NAME) from None

    @contextmanager
    def _calling(self):
        """The service's refusals and outages as the port's errors."""
        try:
            yield
        except ServiceError as exc:
            error = ERRORS[exc.code]
            raise error(f"testpay: {exc}", provider=NAME) from None
        except Outage as exc:
            raise ProviderUnavailable(f"testpay: the service did not answer ({exc})", provider=NAME) from None


def _state(payment: TestPayment) -> PaymentState:
    def money(amount):
        return Money(amount, payment.currency)

    return PaymentState(provider=NAME, reference=payment.id, status=payment.status, amount=money(payment.amount),
                        captured=money(payment.captured), refunded=money(payment.refunded))
