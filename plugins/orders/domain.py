"""Orders in plain Python: the order, its lines, its life cycle and the rules between them.

The state machine lives in :data:`TRANSITIONS`; every change of status goes through
:meth:`Order._move`, which refuses an illegal move (409), records who moved the order
and when, and collects the domain events that the use case publishes after commit.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from kernel.domain.errors import Conflict, ValidationFailed
from kernel.domain.events import DomainEvent, OrderCancelled, OrderPaid, OrderPlaced, OrderRefunded, OrderStatusChanged
from kernel.domain.money import Money
from kernel.domain.ports.catalog import ProductSnapshot, StockLine
from kernel.domain.pricing import Adjustment, AdjustmentKind, DraftLine, PriceBreakdown


class OrderStatus(StrEnum):
    PENDING = "Pending"
    PAID = "Paid"
    PROCESSING = "Processing"
    SHIPPED = "Shipped"
    COMPLETED = "Completed"
    CANCELLED = "Cancelled"
    REFUNDED = "Refunded"


class OrderPaymentStatus(StrEnum):
    PENDING = "Pending"
    PAID = "Paid"
    PARTIALLY_REFUNDED = "PartiallyRefunded"
    REFUNDED = "Refunded"
    VOIDED = "Voided"  # cancelled before any money was taken


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset({S.PAID, S.CANCELLED}),
    S.PAID: frozenset({S.PROCESSING, S.CANCELLED, S.REFUNDED}),
    S.PROCESSING: frozenset({S.SHIPPED, S.CANCELLED, S.REFUNDED}),
    S.SHIPPED: frozenset({S.COMPLETED, S.REFUNDED}),
    S.COMPLETED: frozenset({S.REFUNDED}),
    S.CANCELLED: frozenset(),
    S.REFUNDED: frozenset(),
}
# Who may cancel from where: a shopper before the order is being prepared, staff until it ships,
# the expiry job only while unpaid.
CANCELLABLE_BY = {
    "customer": frozenset({S.PENDING, S.PAID}),
    "staff": frozenset({S.PENDING, S.PAID, S.PROCESSING}),
    "system": frozenset({S.PENDING}),
}
REFUNDABLE = frozenset({S.PAID, S.PROCESSING, S.SHIPPED, S.COMPLETED})
GOODS_NOT_SENT = frozenset({S.PENDING, S.PAID, S.PROCESSING})  # stock goes back to the shelf


class IllegalTransition(Conflict):
    title = "Illegal order transition"


@dataclass(frozen=True)
class Actor:
    """Who changed an order: a ``customer``, a ``staff`` member or the ``system`` (jobs)."""

    kind: str
    id: UUID | None = None

    @classmethod
    def system(cls) -> Actor:
        return cls("system")


@dataclass(frozen=True)
class LineRequest:
    """``product_id`` names a product without options, or the product of ``variant_id``."""

    product_id: UUID
    quantity: int
    variant_id: UUID | None = None

    @property
    def variant(self) -> UUID:
        """What the line sells: the variant, or the product's implicit variant (same id)."""
        return self.variant_id or self.product_id


@dataclass(frozen=True)
class OrderLine:
    """A line as sold: name, SKU and unit price are copied from the catalog; ``discount`` is the
    whole line's share of the order's discounts (so no cent is lost splitting it per unit)."""

    id: UUID
    product_id: UUID | None  # None once the product was deleted from the catalog
    sku: str  # the variant's
    name: str  # with the variant's option values
    quantity: int
    unit_price: Money
    discount: Money
    variant_id: UUID | None = None  # None once the variant was deleted

    @property
    def gross(self) -> Money:
        return self.unit_price * self.quantity

    @property
    def total(self) -> Money:
        return self.gross - self.discount


@dataclass(frozen=True)
class Transition:
    from_status: OrderStatus | None
    to_status: OrderStatus
    actor: Actor
    occurred_at: datetime
    note: str = ""


@dataclass
class Order:
    id: UUID
    user_id: UUID | None  # None once the customer's account was deleted
    customer_email: str | None
    currency: str
    lines: list[OrderLine]
    shipping_address: dict
    billing_address: dict | None
    payment_method: str
    order_date: datetime
    status: OrderStatus = S.PENDING
    payment_status: OrderPaymentStatus = OrderPaymentStatus.PENDING
    refunded_amount: Decimal = Decimal("0.00")
    tracking_number: str | None = None
    stock_reserved: bool = True
    adjustments: tuple[Adjustment, ...] = ()  # from the pricing pipeline at checkout
    history: list[Transition] = field(default_factory=list)
    new_transitions: list[Transition] = field(default_factory=list, repr=False)
    events: list[DomainEvent] = field(default_factory=list, repr=False)

    # --- creation ---------------------------------------------------------------

    @classmethod
    def place(cls, *, user_id: UUID, customer_email: str | None, currency: str, requests: Sequence[LineRequest],
              products: dict[UUID, ProductSnapshot], shipping_address: dict, billing_address: dict | None,
              payment_method: str, at: datetime, pricing: PriceBreakdown | None = None) -> Order:
        """A new Pending order priced from the catalog's snapshots and the pricing pipeline's
        adjustments (the caller reserves its stock)."""
        lines = [_line_from(request, products[request.variant], currency, pricing) for request in requests]
        order = cls(id=uuid4(), user_id=user_id, customer_email=customer_email, currency=currency, lines=lines,
                    shipping_address=dict(shipping_address),
                    billing_address=dict(billing_address) if billing_address else None,
                    payment_method=payment_method, order_date=at,
                    adjustments=tuple(pricing.adjustments) if pricing else ())
        order._record(None, S.PENDING, Actor("customer", user_id), at, "")
        order.events.append(OrderPlaced(order_id=order.id, user_id=user_id, total_amount=order.total.amount,
                                        currency=currency, occurred_at=at))
        return order

    # --- reading ----------------------------------------------------------------

    @property
    def breakdown(self) -> PriceBreakdown:
        """Subtotal, discounts, shipping, tax and total, as fixed at checkout."""
        return PriceBreakdown(self.currency, tuple(DraftLine(line.variant_id or line.id, line.product_id or line.id,
                                                             line.quantity, line.unit_price.amount)
                                                   for line in self.lines), self.adjustments)

    @property
    def total(self) -> Money:
        return Money(self.breakdown.total, self.currency)

    @property
    def shipping_method(self) -> str | None:
        return next((a.code for a in self.adjustments if a.kind is AdjustmentKind.SHIPPING), None)

    @property
    def refundable(self) -> Money:
        return self.total - Money(self.refunded_amount, self.currency)

    def stock_lines(self) -> list[StockLine]:
        return [StockLine(variant_id=line.variant_id, quantity=line.quantity)
                for line in self.lines if line.variant_id is not None]

    # --- life cycle -------------------------------------------------------------

    def mark_paid(self, actor: Actor, at: datetime, note: str = "") -> None:
        self._move(S.PAID, actor, at, note)
        self.payment_status = OrderPaymentStatus.PAID
        self.events.append(OrderPaid(order_id=self.id, user_id=self.user_id, amount=self.total.amount,
                                     currency=self.currency, occurred_at=at))

    def start_processing(self, actor: Actor, at: datetime) -> None:
        self._move(S.PROCESSING, actor, at, "")

    def ship(self, actor: Actor, at: datetime, tracking_number: str) -> None:
        if not tracking_number.strip():
            raise ValidationFailed("A shipment needs a tracking number.", errors={"trackingNumber": ["Required."]})
        self._move(S.SHIPPED, actor, at, f"tracking {tracking_number.strip()}")
        self.tracking_number = tracking_number.strip()

    def complete(self, actor: Actor, at: datetime) -> None:
        self._move(S.COMPLETED, actor, at, "")

    def cancel(self, actor: Actor, at: datetime, reason: str = "") -> list[StockLine]:
        """Cancel; a paid order is refunded in full. Returns the stock to release (once only)."""
        if S.CANCELLED in TRANSITIONS[self.status] and self.status not in CANCELLABLE_BY.get(actor.kind, ()):
            who = {"customer": "its shopper", "system": "the expiry job"}.get(actor.kind, actor.kind)
            raise IllegalTransition(f"An order that is {self.status} can no longer be cancelled by {who}.",
                                    extra={"orderStatus": str(self.status), "requestedStatus": str(S.CANCELLED)})
        was_paid = self.status != S.PENDING
        self._move(S.CANCELLED, actor, at, reason)
        self.events.append(OrderCancelled(order_id=self.id, user_id=self.user_id, reason=reason or "cancelled",
                                          occurred_at=at))
        if was_paid:
            self._take_refund(self.refundable, at)
        else:
            self.payment_status = OrderPaymentStatus.VOIDED
        return self._release_stock()

    def refund(self, actor: Actor, at: datetime, amount: Decimal | None = None, reason: str = "") -> list[StockLine]:
        """Refund ``amount`` (default: everything not yet refunded). A refund that reaches the
        total moves the order to Refunded; if the goods never left, their stock is released."""
        if self.status not in REFUNDABLE:
            raise IllegalTransition(f"An order that is {self.status} cannot be refunded.",
                                    extra={"orderStatus": str(self.status)})
        money = self.refundable if amount is None else Money(amount, self.currency)
        if money.amount <= 0 or self.refundable < money:
            raise ValidationFailed(f"A refund must be more than 0 and at most {self.refundable}.",
                                   errors={"amount": [f"Must be between 0.01 and {self.refundable.amount}."]})
        goods_on_shelf = self.status in GOODS_NOT_SENT
        if money == self.refundable:
            self._move(S.REFUNDED, actor, at, reason)
        else:
            self._record(self.status, self.status, actor, at, f"partial refund {money}" + (f": {reason}" if reason else ""))
        self._take_refund(money, at)
        return self._release_stock() if self.status == S.REFUNDED and goods_on_shelf else []

    # --- internals --------------------------------------------------------------

    def _take_refund(self, money: Money, at: datetime) -> None:
        self.refunded_amount = (Money(self.refunded_amount, self.currency) + money).amount
        full = self.refundable.amount == 0
        self.payment_status = OrderPaymentStatus.REFUNDED if full else OrderPaymentStatus.PARTIALLY_REFUNDED
        self.events.append(OrderRefunded(order_id=self.id, user_id=self.user_id, amount=money.amount,
                                         currency=self.currency, full=full, occurred_at=at))

    def _release_stock(self) -> list[StockLine]:
        if not self.stock_reserved:
            return []
        self.stock_reserved = False
        return self.stock_lines()

    def _move(self, to: OrderStatus, actor: Actor, at: datetime, note: str) -> None:
        if to not in TRANSITIONS[self.status]:
            raise IllegalTransition(f"An order that is {self.status} cannot become {to}.",
                                    extra={"orderStatus": str(self.status), "requestedStatus": str(to)})
        self._record(self.status, to, actor, at, note)
        self.status = to

    def _record(self, from_status, to, actor, at, note) -> None:
        transition = Transition(from_status, to, actor, at, note)
        self.history.append(transition)
        self.new_transitions.append(transition)
        self.events.append(OrderStatusChanged(order_id=self.id, user_id=self.user_id,
                                              from_status=str(from_status) if from_status else None,
                                              to_status=str(to), occurred_at=at))

    def take_events(self) -> list[DomainEvent]:
        events, self.events = self.events, []
        return events


def _line_from(request: LineRequest, product: ProductSnapshot, currency: str,
               pricing: PriceBreakdown | None) -> OrderLine:
    if product.currency != currency:
        raise ValidationFailed(f"{product.name} is priced in {product.currency}, this shop sells in {currency}.")
    discount = pricing.line_discount(product.id) if pricing else 0
    return OrderLine(id=uuid4(), product_id=product.of_product, sku=product.sku, name=product.label,
                     quantity=request.quantity, unit_price=Money(product.unit_price, currency),
                     discount=Money(discount, currency), variant_id=product.id)


def merge_lines(requests: Iterable[LineRequest]) -> list[LineRequest]:
    """One line per variant (quantities of repeated ones added up), in first-seen order."""
    first: dict[UUID, LineRequest] = {}
    quantities: dict[UUID, int] = {}
    for request in requests:
        first.setdefault(request.variant, request)
        quantities[request.variant] = quantities.get(request.variant, 0) + request.quantity
    return [replace(first[variant], quantity=quantity) for variant, quantity in quantities.items()]


# --- idempotency ----------------------------------------------------------------


# --- ports this plugin's use cases need (implemented in repository.py) ----------


class OrderRepository(ABC):
    @abstractmethod
    def add(self, order: Order) -> None: ...

    @abstractmethod
    def get(self, order_id: UUID, *, user_id: UUID | None = None, for_update: bool = False) -> Order | None:
        """The order (only if it belongs to ``user_id`` when given); ``for_update`` locks its row."""

    @abstractmethod
    def save(self, order: Order) -> None:
        """Persist status changes and the order's new transitions."""

    @abstractmethod
    def page(self, *, page: int, page_size: int, user_id: UUID | None = None,
             filters: dict | None = None) -> tuple[list[Order], int]:
        """Orders newest first (lines included), and how many match."""

    @abstractmethod
    def unpaid_before(self, cutoff: datetime, limit: int) -> list[Order]:
        """Pending orders placed before ``cutoff``, locked; orders locked elsewhere are skipped."""

    @abstractmethod
    def attach_guest_orders(self, email: str, user_id: UUID) -> int:
        """Give the guest orders placed with ``email`` (in any case) to ``user_id``; how many."""


class PaymentRefunds(ABC):
    """Gives a refunded order's money back where it was paid (its payment provider)."""

    @abstractmethod
    def refund(self, order: Order, amount: Decimal) -> None:
        """Refund ``amount`` inside the change's transaction: a refusal raises, and the whole
        change is rolled back. An order paid outside any provider needs nothing done."""
