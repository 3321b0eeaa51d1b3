"""The Stripe payment provider: Checkout Sessions, their PaymentIntents and refunds through the
official ``stripe`` package.

A payment is a Checkout Session (``mode=payment``): its ``url`` is where the shopper pays, on
Stripe's page, which sends them back to the request's ``return_url`` (or ``cancel_url``). The
session's id is the payment's reference. Stripe creates the session's PaymentIntent when the
shopper pays; events about the intent or its charge are named by their session, looked up
with ``GET /v1/checkout/sessions?payment_intent=``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import stripe

from kernel.domain.money import Money
from kernel.domain.ports.payments import (
    IdempotencyKeyReused,
    InvalidPaymentState,
    InvalidWebhookSignature,
    NormalizedEvent,
    PaymentDeclined,
    PaymentError,
    PaymentNotFound,
    PaymentProvider,
    PaymentRequest,
    PaymentSession,
    PaymentState,
    PaymentStatus,
    ProviderCapabilities,
    ProviderUnavailable,
    Refund,
    RefundExceedsCaptured,
    WebhookRequest,
)
from plugins.stripe.domain import PROVIDER, from_minor_units, intent_status, normalize_event, to_minor_units

STATE_CONFLICTS = {"payment_intent_unexpected_state", "charge_not_captured", "charge_disputed"}


class StripeProvider(PaymentProvider):
    name = PROVIDER
    capabilities = ProviderCapabilities(partial_refund=True)

    def __init__(self, *, secret_key: str, webhook_secret: str, capture: str = "automatic",
                 api_base: str = stripe.DEFAULT_API_BASE, timeout_seconds: float = 30,
                 max_network_retries: int = 2, webhook_tolerance_seconds: int = 300):
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")},
            http_client=stripe.RequestsClient(timeout=timeout_seconds),
            max_network_retries=max_network_retries,
        )
        self._webhook_secret = webhook_secret
        self._tolerance = webhook_tolerance_seconds
        self.capture_method = capture
        self.auto_capture = capture == "automatic"

    def __repr__(self) -> str:
        return f"StripeProvider(capture={self.capture_method!r})"

    def create_payment(self, request: PaymentRequest) -> PaymentSession:
        try:
            amount = to_minor_units(request.amount)
        except ValueError as exc:
            raise PaymentError(str(exc), provider=PROVIDER, errors={"amount": [str(exc)]}) from None
        if not request.return_url:
            raise PaymentError("stripe needs the return URL of a Checkout Session", provider=PROVIDER)
        metadata = {**request.metadata, "order_reference": request.order_reference}
        currency = request.amount.currency.lower()
        params = {
            "mode": "payment",
            "line_items": [{"quantity": 1, "price_data": {"currency": currency, "unit_amount": amount, "product_data": {
                "name": request.description or f"Order {request.order_reference}"}}}],
            "success_url": request.return_url,
            "cancel_url": request.cancel_url or request.return_url,
            "client_reference_id": request.order_reference,
            "metadata": metadata,
            "payment_intent_data": {"capture_method": self.capture_method, "metadata": metadata},
        }
        with _translated("create the payment"):
            session = self._client.v1.checkout.sessions.create(params, {"idempotency_key": request.idempotency_key})
        session = session.to_dict()
        if session["amount_total"] != amount or session["currency"] != currency:
            raise IdempotencyKeyReused("the idempotency key was used for a payment of another amount",
                                       provider=PROVIDER)
        return PaymentSession(provider=PROVIDER, reference=session["id"], status=PaymentStatus.REQUIRES_ACTION,
                              amount=from_minor_units(session["amount_total"], currency), approval_url=session["url"])

    def capture(self, reference: str, *, idempotency_key: str, amount: Money | None = None) -> PaymentState:
        params = {"amount_to_capture": to_minor_units(amount)} if amount is not None else {}
        intent = self._intent_id(reference, "capture")
        try:
            with _translated("capture the payment"):
                self._client.v1.payment_intents.capture(intent, params, {"idempotency_key": idempotency_key})
        except InvalidPaymentState:
            state = self.status(reference)
            if state.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED):
                return state
            raise
        return self.status(reference)

    def cancel(self, reference: str, *, idempotency_key: str) -> PaymentState:
        """An open session expires (the shopper can no longer pay); a paid one's intent, if not
        captured yet, is cancelled."""
        session = self._session(reference)
        with _translated("cancel the payment"):
            if session["status"] == "open":
                self._client.v1.checkout.sessions.expire(reference, {}, {"idempotency_key": idempotency_key})
            else:
                self._client.v1.payment_intents.cancel(self._intent_id(reference, "cancel", session), {},
                                                       {"idempotency_key": idempotency_key})
        return self.status(reference)

    def refund(self, reference: str, *, idempotency_key: str, amount: Money | None = None) -> Refund:
        params = {"payment_intent": self._intent_id(reference, "refund")}
        if amount is not None:
            params["amount"] = to_minor_units(amount)
        with _translated("refund the payment"):
            refund = self._client.v1.refunds.create(params, {"idempotency_key": idempotency_key}).to_dict()
        return Refund(provider=PROVIDER, reference=refund["id"], payment_reference=reference,
                      amount=from_minor_units(refund["amount"], refund["currency"]), status=refund["status"])

    def status(self, reference: str) -> PaymentState:
        session = self._session(reference, expand=["payment_intent.latest_charge"])
        currency = session["currency"]
        intent = session["payment_intent"]
        if not isinstance(intent, dict):  # not paid yet: Stripe creates the intent when the shopper pays
            status = PaymentStatus.CANCELLED if session["status"] == "expired" else PaymentStatus.REQUIRES_ACTION
            nothing = from_minor_units(0, currency)
            return PaymentState(provider=PROVIDER, reference=reference, status=status,
                                amount=from_minor_units(session["amount_total"], currency), captured=nothing,
                                refunded=nothing)
        charge = intent.get("latest_charge") if isinstance(intent.get("latest_charge"), dict) else {}
        return PaymentState(provider=PROVIDER, reference=reference, status=intent_status(intent),
                            amount=from_minor_units(intent["amount"], currency),
                            captured=from_minor_units(intent["amount_received"], currency),
                            refunded=from_minor_units(charge.get("amount_refunded", 0), currency))

    def _session(self, reference: str, expand: list[str] | None = None) -> dict:
        with _translated("read the payment"):
            return self._client.v1.checkout.sessions.retrieve(reference, {"expand": expand or []}).to_dict()

    def _intent_id(self, reference: str, action: str, session: dict | None = None) -> str:
        """The session's PaymentIntent; :class:`InvalidPaymentState` while the shopper has not paid."""
        intent = (session or self._session(reference))["payment_intent"]
        if not intent:
            raise InvalidPaymentState(f"stripe could not {action} the payment: the shopper has not paid",
                                      provider=PROVIDER)
        return intent if isinstance(intent, str) else intent["id"]

    def _by_session(self, event: NormalizedEvent | None) -> NormalizedEvent | None:
        """The event named by its Checkout Session; ``None`` for an intent no session of ours made."""
        if event is None or event.reference.startswith("cs_"):
            return event
        with _translated("find the payment's Checkout Session"):
            found = self._client.v1.checkout.sessions.list({"payment_intent": event.reference, "limit": 1}).to_dict()
        return replace(event, reference=found["data"][0]["id"]) if found["data"] else None

    def parse_webhook(self, request: WebhookRequest) -> NormalizedEvent | None:
        """Verified exactly as Stripe signs: HMAC-SHA256 of ``"{t}.{body}"`` with the endpoint
        secret, any of several ``v1`` signatures (secret rotation), ``t`` at most the tolerance old.
        An event about a PaymentIntent costs a call to find its session (the provider down: 503)."""
        try:
            stripe.WebhookSignature.verify_header(request.body.decode("utf-8"), request.header("Stripe-Signature"),
                                                  self._webhook_secret, self._tolerance)
            event = json.loads(request.body)
        except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError) as exc:
            message = exc.user_message if isinstance(exc, stripe.StripeError) else "the body is not UTF-8 JSON"
            raise InvalidWebhookSignature(f"stripe webhook refused: {message}", provider=PROVIDER) from None
        return self._by_session(normalize_event(event))


@contextmanager
def _translated(action: str) -> Iterator[None]:
    """Turn the stripe package's exceptions into the port's, with a one-line message."""
    try:
        yield
    except stripe.CardError as exc:
        raise PaymentDeclined(f"stripe declined the card: {exc.user_message}", provider=PROVIDER,
                              decline_code=(exc.error.decline_code if exc.error else None) or exc.code) from None
    except stripe.IdempotencyError:
        raise IdempotencyKeyReused(f"stripe could not {action}: the idempotency key was used for another request",
                                   provider=PROVIDER) from None
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as exc:
        raise ProviderUnavailable(f"stripe could not {action}: {type(exc).__name__} (timeout, connection failure or "
                                  f"Stripe error {exc.http_status or 'without answer'}); retry with the same "
                                  "idempotency key", provider=PROVIDER) from None
    except (stripe.AuthenticationError, stripe.PermissionError):
        raise PaymentError(f"stripe could not {action}: Stripe refused the API key "
                           "(check [plugins.stripe] secret_key)", provider=PROVIDER) from None
    except stripe.InvalidRequestError as exc:
        message = f"stripe could not {action}: {exc.user_message}"
        if exc.code == "resource_missing":
            raise PaymentNotFound(message, provider=PROVIDER) from None
        if exc.code == "charge_already_refunded" or (exc.param == "amount" and "greater than" in str(exc.user_message)):
            raise RefundExceedsCaptured(message, provider=PROVIDER) from None
        if exc.code in STATE_CONFLICTS:
            raise InvalidPaymentState(message, provider=PROVIDER) from None
        raise PaymentError(message, provider=PROVIDER) from None
    except stripe.StripeError as exc:
        raise PaymentError(f"stripe could not {action}: {type(exc).__name__}", provider=PROVIDER) from None
