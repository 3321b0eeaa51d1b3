"""Payments as the orders side records them, in plain Python: one :class:`Payment` per attempt
and the rules that apply a provider's verified event to the payment and its order.

Events are facts, not commands (see :mod:`kernel.domain.ports.payments`): a repeated or late
event changes nothing it should not, a failure never undoes a success, and refunds carry
the cumulative amount, so only the part not yet recorded is applied. Providers deliver in any
order, so the payment records each fact and :func:`settle` then derives the order from the
payment: the order's paid and refunded amounts end up equal to the provider's.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from kernel.domain.ports.payments import EventKind, NormalizedEvent, PaymentStatus
from plugins.orders.domain import REFUNDABLE, Actor, Order, OrderPaymentStatus, OrderStatus

# An attempt's status: ``created`` (stored, not yet known to the provider), then the port's
# PaymentStatus values (built from them, so the two lists cannot drift apart).
AttemptStatus = StrEnum("AttemptStatus", {"CREATED": "created", **{status.name: status.value for status in PaymentStatus}})
SETTLED = frozenset({AttemptStatus.SUCCEEDED, AttemptStatus.REFUNDED})  # the money was captured
OPEN = frozenset({AttemptStatus.CREATED, AttemptStatus.REQUIRES_ACTION, AttemptStatus.PROCESSING})  # the shopper may still complete it


@dataclass
class Payment:
    id: UUID
    order_id: UUID
    provider: str
    amount: Decimal
    currency: str
    created_at: datetime
    status: AttemptStatus = AttemptStatus.CREATED
    reference: str | None = None
    refunded_amount: Decimal = Decimal("0.00")

    @classmethod
    def attempt(cls, order: Order, provider: str, at: datetime) -> Payment:
        return cls(id=uuid4(), order_id=order.id, provider=provider, amount=order.total.amount,
                   currency=order.currency, created_at=at)

    @property
    def refundable(self) -> Decimal:
        """What is left to give back at the provider."""
        return self.amount - self.refunded_amount

    def refund_key(self, amount: Decimal) -> str:
        """The provider idempotency key of refunding ``amount`` now: a retry of the same refund
        reuses it, a later refund gets another."""
        return f"{self.id}:refund:{self.refunded_amount + amount}"

    def record_refund(self, cumulative: Decimal) -> None:
        """The provider has given back ``cumulative`` in all (never less than already recorded).
        A refund also proves the money was captured (its event may come before the success)."""
        self.refunded_amount = max(self.refunded_amount, cumulative)
        self.status = AttemptStatus.REFUNDED if self.refundable <= 0 else AttemptStatus.SUCCEEDED


@dataclass(frozen=True)
class PaymentEventRecord:
    """One verified provider event as the inbox keeps it (``amount``: a refund's cumulative sum)."""

    kind: str
    event_id: str
    amount: Decimal | None
    occurred_at: datetime
    received_at: datetime


@dataclass(frozen=True)
class PaymentRecord:
    """An attempt with the provider's events about it, for staff reading an order's payments."""

    payment: Payment
    updated_at: datetime
    events: tuple[PaymentEventRecord, ...]


@dataclass
class Outcome:
    """What applying an event did, beyond the rows it changed."""

    released: list = field(default_factory=list)  # stock lines to give back
    capture: bool = False  # authorized funds to take now
    refund_late: bool = False  # paid for an order that is already cancelled: give the money back


def apply_event(event: NormalizedEvent, payment: Payment, order: Order, at: datetime, auto_capture: bool) -> Outcome:
    """Record what the event says about the payment, then bring the order in line with it.
    A failed refund changes neither: the order's refund was recorded when staff asked for it."""
    if event.kind == EventKind.REFUND_FAILED:
        return Outcome()
    if event.kind == EventKind.AUTHORIZED:
        if payment.status in SETTLED or payment.status == AttemptStatus.AUTHORIZED:
            return Outcome()
        payment.status = AttemptStatus.AUTHORIZED
        return Outcome(capture=auto_capture and order.status == OrderStatus.PENDING)
    was_settled = payment.status in SETTLED
    if event.kind == EventKind.SUCCEEDED:
        payment.status = payment.status if was_settled else AttemptStatus.SUCCEEDED
    elif event.kind == EventKind.REFUNDED:  # the cumulative amount
        payment.record_refund(event.amount.amount if event.amount is not None else payment.amount)
    elif not was_settled and (payment.status != AttemptStatus.AUTHORIZED or event.kind == EventKind.CANCELLED):
        payment.status = AttemptStatus(str(event.kind))  # failed, cancelled, requires_action: the order stays as it is
    return settle(order, payment, at, f"{event.provider} {event.kind} ({event.event_id})", newly_settled=not was_settled)


def settle(order: Order, payment: Payment, at: datetime, note: str, *, newly_settled: bool) -> Outcome:
    """Make the order's paid and refunded amounts those of its captured payment, whatever order
    the provider's events came in: pay a pending order, record refunds the order has not seen."""
    outcome = Outcome()
    if payment.status not in SETTLED:
        return outcome
    actor = Actor("provider")
    if order.status == OrderStatus.PENDING:
        order.mark_paid(actor, at, note)
    elif order.status == OrderStatus.CANCELLED and newly_settled and order.payment_status == OrderPaymentStatus.VOIDED:
        outcome.refund_late = payment.refundable > 0
    owed = min(payment.refunded_amount - order.refunded_amount, order.refundable.amount)
    if owed > 0 and order.status in REFUNDABLE:
        outcome.released = order.refund(actor, at, owed, "refunded at the provider")
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
    def records_for_order(self, order_id: UUID) -> list[PaymentRecord]:
        """Every attempt of the order, oldest first, each with its events in the order received."""

    @abstractmethod
    def record_event(self, event: NormalizedEvent, payment_id: UUID | None, at: datetime) -> bool:
        """Put the event in the inbox; False when ``(provider, event_id)`` is already there."""

    @abstractmethod
    def lock_reference(self, provider: str, reference: str) -> None:
        """Serialize, until the transaction ends, everything done for this provider payment id:
        an event that arrives while its payment's reference is being stored is then either
        applied at once or held and seen by :meth:`adopt_held_events`."""

    @abstractmethod
    def adopt_held_events(self, payment: Payment) -> list[NormalizedEvent]:
        """The inbox's events for the payment's reference that arrived before the reference was
        stored, oldest first, now linked to the payment."""
