"""The PayPal payment provider: Orders v2 with ``intent: CAPTURE``, captures, refunds, and
webhooks verified by PayPal's verify-webhook-signature call."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from kernel.domain.money import Money
from kernel.domain.ports.payments import (
    IdempotencyKeyReused,
    InvalidPaymentState,
    InvalidWebhookSignature,
    NormalizedEvent,
    PaymentDeclined,
    PaymentError,
    PaymentProvider,
    PaymentRequest,
    PaymentSession,
    PaymentState,
    PaymentStatus,
    ProviderCapabilities,
    Refund,
    RefundExceedsCaptured,
    UnsupportedPaymentOperation,
    WebhookRequest,
)
from plugins.paypal.client import PayPalApiError, PayPalClient
from plugins.paypal.domain import (
    PROVIDER,
    capture_id,
    delivery_problem,
    from_amount,
    normalize_event,
    order_state,
    related_order_id,
    to_amount,
)

TRANSMISSION_HEADERS = {
    "auth_algo": "PAYPAL-AUTH-ALGO",
    "cert_url": "PAYPAL-CERT-URL",
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
}
REFUND_TOO_LARGE = {"REFUND_AMOUNT_EXCEEDED", "CAPTURE_FULLY_REFUNDED", "TRANSACTION_ALREADY_REFUNDED"}
DECLINED = {"INSTRUMENT_DECLINED", "TRANSACTION_REFUSED", "PAYER_CANNOT_PAY"}


class PayPalProvider(PaymentProvider):
    """The shopper approves at PayPal; the ``authorized`` event that follows asks the site to
    :meth:`capture`. PayPal cannot cancel an uncaptured order: :meth:`cancel` leaves it to expire."""

    name = PROVIDER
    capabilities = ProviderCapabilities(partial_refund=True)
    auto_capture = True

    def __init__(self, *, client_id: str, client_secret: str, webhook_id: str,
                 api_base: str = "https://api-m.paypal.com", timeout_seconds: float = 30,
                 return_url: str | None = None, cancel_url: str | None = None, brand_name: str | None = None,
                 clock=lambda: datetime.now(UTC)):
        self._api = PayPalClient(api_base=api_base, client_id=client_id, client_secret=client_secret,
                                 timeout_seconds=timeout_seconds)
        self._webhook_id = webhook_id
        self._return_url, self._cancel_url, self._brand_name = return_url, cancel_url, brand_name
        self._clock = clock

    def __repr__(self) -> str:
        return f"PayPalProvider(api_base={self._api.api_base!r})"

    def create_payment(self, request: PaymentRequest) -> PaymentSession:
        try:
            amount = to_amount(request.amount)
        except ValueError as exc:
            raise PaymentError(str(exc), provider=PROVIDER, errors={"amount": [str(exc)]}) from None
        context = {"return_url": request.return_url or self._return_url,
                   "cancel_url": request.cancel_url or self._cancel_url,
                   "user_action": "PAY_NOW", "brand_name": self._brand_name}
        body = {
            "intent": "CAPTURE",
            "purchase_units": [{"reference_id": "default", "custom_id": request.order_reference,
                                "description": request.description[:127] or None, "amount": amount}],
            "payment_source": {"paypal": {"experience_context": {k: v for k, v in context.items() if v}}},
        }
        order = self._api.post("/v2/checkout/orders", request_id=request.idempotency_key, json=body)
        unit = order["purchase_units"][0]
        if unit["amount"] != amount or unit.get("custom_id") != request.order_reference:
            raise IdempotencyKeyReused("the idempotency key was used for another payment", provider=PROVIDER)
        approval = next(link["href"] for link in order["links"] if link["rel"] in ("payer-action", "approve"))
        return PaymentSession(provider=PROVIDER, reference=order["id"], status=order_state(order)[0],
                              amount=from_amount(unit["amount"]), approval_url=approval)

    def capture(self, reference: str, *, idempotency_key: str, amount: Money | None = None) -> PaymentState:
        state = self.status(reference)
        if amount is not None and amount != state.amount:
            raise UnsupportedPaymentOperation("paypal captures an order's whole amount", provider=PROVIDER)
        if state.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
            return state
        try:
            self._api.post(f"/v2/checkout/orders/{reference}/capture", request_id=idempotency_key, json={})
        except PayPalApiError as exc:
            if exc.issue in DECLINED:
                raise PaymentDeclined(exc.detail, provider=PROVIDER, decline_code=exc.issue) from None
            if exc.issue == "ORDER_ALREADY_CAPTURED":
                return self.status(reference)
            raise InvalidPaymentState(exc.detail, provider=PROVIDER) from None
        return self.status(reference)

    def cancel(self, reference: str, *, idempotency_key: str) -> PaymentState:
        state = self.status(reference)
        if state.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, PaymentStatus.PROCESSING):
            raise InvalidPaymentState(f"paypal order {reference} is captured; refund it instead", provider=PROVIDER)
        return PaymentState(provider=PROVIDER, reference=reference, status=PaymentStatus.CANCELLED,
                            amount=state.amount, captured=state.captured, refunded=state.refunded)

    def refund(self, reference: str, *, idempotency_key: str, amount: Money | None = None) -> Refund:
        order = self._api.get(f"/v2/checkout/orders/{reference}")
        capture = capture_id(order)
        if capture is None:
            raise InvalidPaymentState(f"paypal order {reference} has no capture to refund", provider=PROVIDER)
        body = {"amount": to_amount(amount)} if amount is not None else {}
        try:
            refund = self._api.post(f"/v2/payments/captures/{capture}/refund", request_id=idempotency_key, json=body)
        except PayPalApiError as exc:
            if exc.issue in REFUND_TOO_LARGE:
                raise RefundExceedsCaptured(exc.detail, provider=PROVIDER) from None
            raise
        return Refund(provider=PROVIDER, reference=refund["id"], payment_reference=reference,
                      amount=from_amount(refund["amount"]), status=refund["status"].lower().replace("completed", "succeeded"))

    def status(self, reference: str) -> PaymentState:
        status, amount, captured, refunded = order_state(self._api.get(f"/v2/checkout/orders/{reference}"))
        return PaymentState(provider=PROVIDER, reference=reference, status=status, amount=amount,
                            captured=captured, refunded=refunded)

    def parse_webhook(self, request: WebhookRequest) -> NormalizedEvent | None:
        """Asks PayPal whether a delivery that looks genuine (:func:`delivery_problem`) is, passing
        the raw body verbatim (a re-serialised event would not match the signature), then
        translates it. The verification call is read-only: it gets an idempotency id of our own."""
        headers = {field: request.header(name) for field, name in TRANSMISSION_HEADERS.items()}
        missing = [TRANSMISSION_HEADERS[field] for field, value in headers.items() if not value]
        if missing:
            raise InvalidWebhookSignature(f"paypal webhook refused: no {missing[0]} header", provider=PROVIDER)
        try:
            raw = request.body.decode("utf-8")
            event = json.loads(raw)
        except ValueError:
            raise InvalidWebhookSignature("paypal webhook refused: the body is not UTF-8 JSON", provider=PROVIDER) from None
        problem = delivery_problem(headers, event, self._clock(), self._api.api_base)
        if problem:
            raise InvalidWebhookSignature(f"paypal webhook refused: {problem}", provider=PROVIDER)
        envelope = json.dumps({**headers, "webhook_id": self._webhook_id})
        verification = self._api.post("/v1/notifications/verify-webhook-signature", request_id=uuid.uuid4().hex,
                                      data=envelope[:-1] + ', "webhook_event": ' + raw + "}")
        if verification.get("verification_status") != "SUCCESS":
            raise InvalidWebhookSignature("paypal webhook refused: PayPal did not verify its signature",
                                          provider=PROVIDER)
        return normalize_event(event, self._order_id(event))

    def _order_id(self, event: dict) -> str | None:
        resource = event.get("resource") or {}
        if event.get("resource_type") == "checkout-order":
            return resource.get("id")
        order_id = related_order_id(resource)
        if order_id is None and event.get("resource_type") == "refund":
            capture = next((link["href"].rsplit("/", 1)[-1] for link in resource.get("links", []) if link["rel"] == "up"), None)
            order_id = related_order_id(self._api.get(f"/v2/payments/captures/{capture}")) if capture else None
        return order_id
