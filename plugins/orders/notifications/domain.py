"""Which mail an order's state allows, and what the mail says, in plain Python."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from kernel.domain.pricing import AdjustmentKind
from plugins.orders.domain import Order, OrderLine, OrderStatus

# the order states each mail describes truthfully: a mail whose order has left them is not sent
MAIL_STATES = {
    "placed": frozenset(OrderStatus) - {OrderStatus.CANCELLED, OrderStatus.REFUNDED},
    "paid": frozenset({OrderStatus.PAID, OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.COMPLETED}),
    "cancelled": frozenset({OrderStatus.CANCELLED}),
}

ADDRESS_ORDER = ("name", "street", "street2", "city", "state", "zip_code", "country")


def format_address(address: dict) -> str:
    return ", ".join(str(address[key]) for key in ADDRESS_ORDER if address.get(key))


MAIL_WORDING = {  # kind: (heading, subject's verb)
    "placed": ("Thank you for your order", "confirmed"),
    "paid": ("We received your payment for order", "paid"),
    "cancelled": ("We cancelled your order", "cancelled"),
}


def confirmation_mail(order: Order, kind: str) -> tuple[str, str]:
    short = str(order.id)[:8]
    heading, verb = MAIL_WORDING[kind]
    lines = [f"{heading} {short}.", "", f"Order: {order.id}", f"Status: {order.status}",
             f"Payment: {order.payment_method} ({order.payment_status})", ""]
    lines += [_line(line) for line in order.lines]
    lines += ["", *_breakdown(order), f"Total: {order.total}", "", "Shipping to:",
              "  " + format_address(order.shipping_address)]
    return f"Order {short} {verb}", "\n".join(lines)


def _line(line: OrderLine) -> str:
    text = f"  {line.quantity} x {line.name} ({line.sku}) at {line.unit_price.amount} = {line.total.amount}"
    return text + (f" (after a discount of {line.discount.amount})" if line.discount.amount else "")


def _breakdown(order: Order) -> list[str]:
    """Subtotal, then each discount, shipping charge and tax (a discount spread over lines once)."""
    if not order.adjustments:
        return []
    sums: dict[tuple[AdjustmentKind, str, bool], Decimal] = {}
    for adjustment in order.adjustments:
        key = (adjustment.kind, adjustment.label, adjustment.included)
        sums[key] = sums.get(key, 0) + adjustment.amount
    return [f"Subtotal: {order.breakdown.subtotal} {order.currency}",
            *(f"{'incl. ' if included else ''}{label}: {'-' if kind is AdjustmentKind.DISCOUNT else ''}"
              f"{amount} {order.currency}" for (kind, label, included), amount in sums.items())]


class NotificationLog(ABC):
    """Which order notifications went out, so a repeated job or event sends nothing."""

    @abstractmethod
    def claim(self, order_id: UUID, kind: str, at: datetime) -> bool:
        """True if this (order, kind) had not been claimed yet; the claim commits with the unit."""

    @abstractmethod
    def release(self, order_id: UUID, kind: str) -> None:
        """Forget a claim whose mail could not be handed over, so a retry sends it."""
