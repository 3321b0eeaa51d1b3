"""PayPal's money and vocabulary, translated to the kernel's payment port (plain Python)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from kernel.domain.money import Money
from kernel.domain.ports.payments import EventKind, NormalizedEvent, PaymentStatus

PROVIDER = "paypal"
# https://developer.paypal.com/api/rest/reference/currency-codes/ : no decimals for these
ZERO_DECIMAL = frozenset({"HUF", "JPY", "TWD"})


def to_amount(money: Money) -> dict[str, str]:
    """PayPal's amount object: a string value with the currency's decimals."""
    if money.currency in ZERO_DECIMAL:
        if money.amount != money.amount.to_integral_value():
            raise ValueError(f"{money} has a fraction that {money.currency} does not have")
        return {"currency_code": money.currency, "value": str(int(money.amount))}
    return {"currency_code": money.currency, "value": f"{money.amount:.2f}"}


def from_amount(amount: dict) -> Money:
    return Money(Decimal(amount["value"]), amount["currency_code"])


def order_state(order: dict) -> tuple[PaymentStatus, Money, Money, Money]:
    """(status, amount, captured, refunded) of a PayPal order."""
    unit = order["purchase_units"][0]
    amount = from_amount(unit["amount"])
    payments = unit.get("payments") or {}
    zero = Money.zero(amount.currency)
    captures = [c for c in payments.get("captures", []) if c["status"] in ("COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED")]
    captured = sum((from_amount(c["amount"]) for c in captures), zero)
    refunded = sum((from_amount(r["amount"]) for r in payments.get("refunds", []) if r["status"] == "COMPLETED"), zero)
    status = {
        "CREATED": PaymentStatus.REQUIRES_ACTION,
        "SAVED": PaymentStatus.REQUIRES_ACTION,
        "PAYER_ACTION_REQUIRED": PaymentStatus.REQUIRES_ACTION,
        "APPROVED": PaymentStatus.AUTHORIZED,
        "VOIDED": PaymentStatus.CANCELLED,
    }.get(order["status"])
    if status is None:  # COMPLETED
        if captures:
            status = PaymentStatus.REFUNDED if refunded >= captured else PaymentStatus.SUCCEEDED
        else:
            pending = [c for c in payments.get("captures", []) if c["status"] == "PENDING"]
            status = PaymentStatus.PROCESSING if pending else PaymentStatus.FAILED
    return status, amount, captured, refunded


def capture_id(order: dict) -> str | None:
    """The order's capture that refunds go to."""
    for capture in (order["purchase_units"][0].get("payments") or {}).get("captures", []):
        if capture["status"] in ("COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED"):
            return capture["id"]
    return None


EVENT_KINDS = {
    "CHECKOUT.ORDER.APPROVED": EventKind.AUTHORIZED,
    "CHECKOUT.ORDER.VOIDED": EventKind.CANCELLED,
    "PAYMENT.CAPTURE.COMPLETED": EventKind.SUCCEEDED,
    "PAYMENT.CAPTURE.DENIED": EventKind.FAILED,
    "PAYMENT.CAPTURE.DECLINED": EventKind.FAILED,
    "PAYMENT.CAPTURE.REFUNDED": EventKind.REFUNDED,
}


def related_order_id(resource: dict) -> str | None:
    return ((resource.get("supplementary_data") or {}).get("related_ids") or {}).get("order_id")


def normalize_event(event: dict, order_id: str | None) -> NormalizedEvent | None:
    """A verified PayPal event in the port's words. ``order_id`` is the PayPal order the
    resource belongs to (the payment's reference); ``None`` for types the platform does not track."""
    kind = EVENT_KINDS.get(event.get("event_type"))
    if kind is None:
        return None
    resource = event["resource"]
    if event["resource_type"] == "checkout-order":
        unit = resource["purchase_units"][0]
        amount, order_reference = from_amount(unit["amount"]), unit.get("custom_id")
    elif kind == EventKind.REFUNDED:  # the cumulative refunded amount
        amount = from_amount(resource["seller_payable_breakdown"]["total_refunded_amount"])
        order_reference = resource.get("custom_id")
    else:
        amount, order_reference = from_amount(resource["amount"]), resource.get("custom_id")
    return NormalizedEvent(
        provider=PROVIDER, event_id=event["id"], kind=kind, reference=order_id, order_reference=order_reference,
        occurred_at=datetime.fromisoformat(event["create_time"].replace("Z", "+00:00")),
        amount=amount if kind != EventKind.FAILED else None, provider_type=event["event_type"],
        failure_reason=resource.get("status_details", {}).get("reason") if kind == EventKind.FAILED else None,
    )


# What a genuine delivery looks like, checked before asking PayPal (an outbound call per forged request
# would let anyone make the site call PayPal at will).
_AUTH_ALGO = re.compile(r"^SHA(256|384|512)withRSA$")
_TRANSMISSION_ID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SIGNATURE = re.compile(r"^[A-Za-z0-9+/=]{16,1024}$")
EVENT_ID = re.compile(r"^WH-[A-Z0-9-]{1,64}$")
PAYPAL_HOST = re.compile(r"^([a-z0-9-]+\.)*paypal\.com$")
TRANSMISSION_WINDOW = timedelta(minutes=5)


def delivery_problem(headers: dict[str, str], event: object, now: datetime, api_base: str) -> str | None:
    """Why a webhook delivery cannot be genuine (``None`` when PayPal should be asked). ``headers``
    maps ``auth_algo``, ``cert_url``, ``transmission_id``, ``transmission_sig``, ``transmission_time``."""
    if not _AUTH_ALGO.match(headers["auth_algo"]):
        return "an unknown PAYPAL-AUTH-ALGO"
    if not _TRANSMISSION_ID.match(headers["transmission_id"]) or not _SIGNATURE.match(headers["transmission_sig"]):
        return "a malformed PAYPAL-TRANSMISSION-ID or PAYPAL-TRANSMISSION-SIG"
    cert = urlsplit(headers["cert_url"])
    if not ((cert.scheme == "https" and PAYPAL_HOST.match(cert.hostname or ""))
            or headers["cert_url"].startswith(api_base.rstrip("/") + "/")):
        return "a PAYPAL-CERT-URL that is not PayPal's"
    try:
        sent = datetime.fromisoformat(headers["transmission_time"].replace("Z", "+00:00"))
    except ValueError:
        return "a PAYPAL-TRANSMISSION-TIME that is not a time"
    if sent.tzinfo is None or abs(now - sent) > TRANSMISSION_WINDOW:
        return f"a PAYPAL-TRANSMISSION-TIME more than {int(TRANSMISSION_WINDOW.total_seconds())} s from now"
    if not isinstance(event, dict) or not isinstance(event.get("id"), str) or not EVENT_ID.match(event["id"]):
        return "an event without a PayPal webhook event id"
    return None
