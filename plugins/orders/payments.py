"""Payments as the orders side records them, in plain Python: one :class:`Payment` per attempt
and the rules that apply a provider's verified event to the payment and its order.

Events are facts, not commands (see :mod:`kernel.domain.ports.payments`): a repeated or late
event changes nothing it should not, a failure never undoes a success, and refunds carry
the cumulative amount, so only the part not yet recorded is applied.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

from kernel.domain.ports.payments import EventKind, NormalizedEvent
from plugins.orders.domain import Actor, Order, OrderStatus

CREATED = "created"  # stored, not yet known to the provider
SETTLED = frozenset({"succeeded", "refunded"})
OPEN = frozenset({CREATED, "requires_action", "processing"})  # the shopper may still complete it


@dataclass
class Payment:
    id: UUID
    order_id: UUID
    provider: str
    amount: Decimal
    currency: str
    created_at: datetime
    status: str = CREATED
    reference: str | None = None
    refunded_amount: Decimal = Decimal("0.00")

    @classmethod
    def attempt(cls, order: Order, provider: str, at: datetime) -> Payment:
        return cls(id=uuid4(), order_id=order.id, provider=provider, amount=order.total.amount,
                   currency=order.currency, created_at=at)

    def refund_key(self, amount: Decimal) -> str:
        """The provider idempotency key of refunding ``amount`` now: a retry of the same refund
        reuses it, a later refund gets another."""
        return f"{self.id}:refund:{self.refunded_amount + amount}"


@dataclass
class Outcome:
    """What applying an event did, beyond the rows it changed."""

    released: list = field(default_factory=list)  # stock lines to give back
    capture: bool = False  # authorized funds to take now
    refund_late: bool = False  # paid for an order that is already cancelled: give the money back


def apply_event(event: NormalizedEvent, payment: Payment, order: Order, at: datetime, auto_capture: bool) -> Outcome:
    actor, outcome = Actor("provider"), Outcome()
    note = f"{event.provider} {event.kind} ({event.event_id})"
    if event.kind == EventKind.SUCCEEDED:
        if payment.status in SETTLED:
            return outcome
        payment.status = "succeeded"
        if order.status == OrderStatus.PENDING:
            order.mark_paid(actor, at, note)
        elif order.status == OrderStatus.CANCELLED:
            outcome.refund_late = True
    elif event.kind == EventKind.AUTHORIZED:
        if payment.status in SETTLED or payment.status == "authorized":
            return outcome
        payment.status = "authorized"
        outcome.capture = auto_capture and order.status == OrderStatus.PENDING
    elif event.kind == EventKind.REFUNDED:
        amount = event.amount.amount if event.amount is not None else payment.amount
        new = amount - payment.refunded_amount
        if new <= 0:
            return outcome
        payment.refunded_amount = amount
        payment.status = "refunded" if amount >= payment.amount else payment.status
        if order.refundable.amount > 0 and order.status not in (OrderStatus.PENDING, OrderStatus.CANCELLED):
            outcome.released = order.refund(actor, at, min(new, order.refundable.amount), "refunded at the provider")
    elif payment.status not in SETTLED and (payment.status != "authorized" or event.kind == EventKind.CANCELLED):
        payment.status = str(event.kind)  # failed, cancelled, requires_action: the order stays as it is
    return outcome


class PaymentRepository(ABC):
    @abstractmethod
    def add(self, payment: Payment) -> None: ...

    @abstractmethod
    def save(self, payment: Payment) -> None: ...

    @abstractmethod
    def get(self, payment_id: UUID, *, for_update: bool = False) -> Payment | None: ...

    @abstractmethod
    def open_attempt(self, order_id: UUID, provider: str) -> Payment | None:
        """The order's latest attempt the shopper may still complete: a retry reuses it, so its
        idempotency key, and thus the provider's payment, stays the same."""

    @abstractmethod
    def by_reference(self, provider: str, reference: str, *, for_update: bool = False) -> Payment | None: ...

    @abstractmethod
    def settled_for_order(self, order_id: UUID, *, for_update: bool = False) -> Payment | None:
        """The order's payment whose money was captured, if any."""

    @abstractmethod
    def record_event(self, event: NormalizedEvent, payment_id: UUID | None, at: datetime) -> bool:
        """Put the event in the inbox; False when ``(provider, event_id)`` is already there."""
