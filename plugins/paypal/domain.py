"""PayPal's money and vocabulary, translated to the kernel's payment port (plain Python)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

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
