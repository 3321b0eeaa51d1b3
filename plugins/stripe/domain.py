"""Stripe's money and vocabulary, translated to the kernel's payment port (plain Python)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from kernel.domain.money import Money
from kernel.domain.ports.payments import EventKind, MalformedWebhookEvent, NormalizedEvent, PaymentStatus

PROVIDER = "stripe"
# https://docs.stripe.com/currencies#zero-decimal and #three-decimal
ZERO_DECIMAL = frozenset("BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split())
THREE_DECIMAL = frozenset("BHD JOD KWD OMR TND".split())


def exponent(currency: str) -> int:
    currency = currency.upper()
    return 0 if currency in ZERO_DECIMAL else 3 if currency in THREE_DECIMAL else 2


def to_minor_units(money: Money) -> int:
    """Stripe's integer amount: cents for USD, yen for JPY (which has no fractional unit)."""
    minor = money.amount.scaleb(exponent(money.currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{money} has a fraction that {money.currency} does not have")
    return int(minor)


def from_minor_units(amount: int, currency: str) -> Money:
    return Money(Decimal(amount).scaleb(-exponent(currency)), currency.upper())


def intent_status(intent: dict) -> PaymentStatus:
    status = intent["status"]
    if status == "requires_payment_method":
        return PaymentStatus.FAILED if intent.get("last_payment_error") else PaymentStatus.REQUIRES_ACTION
    if status == "succeeded":
        charge = intent.get("latest_charge")
        refunded = charge.get("amount_refunded", 0) if isinstance(charge, dict) else 0
        return PaymentStatus.REFUNDED if refunded and refunded >= intent["amount_received"] else PaymentStatus.SUCCEEDED
    return {
        "requires_confirmation": PaymentStatus.REQUIRES_ACTION,
        "requires_action": PaymentStatus.REQUIRES_ACTION,
        "processing": PaymentStatus.PROCESSING,
        "requires_capture": PaymentStatus.AUTHORIZED,
        "canceled": PaymentStatus.CANCELLED,
    }[status]


# Stripe event type -> (kind, the amount field that goes with it); checkout.session.completed
# says succeeded only once paid (with manual capture the intent's events tell the rest)
EVENT_KINDS = {
    "checkout.session.completed": (EventKind.SUCCEEDED, "amount_total"),
    "checkout.session.expired": (EventKind.CANCELLED, None),
    "payment_intent.succeeded": (EventKind.SUCCEEDED, "amount_received"),
    "payment_intent.payment_failed": (EventKind.FAILED, None),
    "payment_intent.canceled": (EventKind.CANCELLED, None),
    "payment_intent.requires_action": (EventKind.REQUIRES_ACTION, None),
    "payment_intent.amount_capturable_updated": (EventKind.AUTHORIZED, "amount_capturable"),
    "charge.refunded": (EventKind.REFUNDED, "amount_refunded"),
}


def normalize_event(event: dict) -> NormalizedEvent | None:
    """A verified Stripe event in the port's words; ``None`` for types the platform does not track.
    Raises :class:`MalformedWebhookEvent` for a tracked type that lacks what it needs."""
    if not isinstance(event, dict) or event.get("type") not in EVENT_KINDS:
        return None
    if event["type"] == "checkout.session.completed" and _object(event).get("payment_status") != "paid":
        return None
    try:
        return _normalized(event, *EVENT_KINDS[event["type"]])
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise MalformedWebhookEvent(f"stripe webhook refused: the {event['type']} event has no valid "
                                    f"{exc.args[0] if isinstance(exc, KeyError) else 'content'}",
                                    provider=PROVIDER) from None


def _object(event: dict) -> dict:
    obj = (event.get("data") or {}).get("object") if isinstance(event.get("data"), dict) else None
    return obj if isinstance(obj, dict) else {}


def _normalized(event: dict, kind: EventKind, amount_field: str | None) -> NormalizedEvent:
    """``reference`` is the PaymentIntent's id, or the Checkout Session's for a session event: the
    provider then names every event by its session (the payment's reference)."""
    obj = event["data"]["object"]
    reference = obj["payment_intent"] if obj.get("object") == "charge" else obj["id"]
    if not isinstance(event["id"], str) or not isinstance(reference, str):
        raise TypeError("ids are strings")
    error = obj.get("last_payment_error") or {}
    return NormalizedEvent(
        provider=PROVIDER,
        event_id=event["id"],
        kind=kind,
        reference=reference,
        occurred_at=datetime.fromtimestamp(event["created"], tz=UTC),
        order_reference=(obj.get("metadata") or {}).get("order_reference"),
        amount=from_minor_units(obj[amount_field], obj["currency"]) if amount_field else None,
        provider_type=event["type"],
        failure_reason=(error.get("decline_code") or error.get("code")) if kind == EventKind.FAILED else None,
    )
