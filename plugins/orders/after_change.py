"""What follows from an order's change, inside the change's transaction: one table from the
order's new events to their handlers (a message bus in the manner of cosmicpython's, run
before the commit so that a handler's failure undoes the change), plus the stock the change
gave back to the shelf. Every use case that changes orders calls :meth:`AfterChange.handle`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from kernel.domain.events import DomainEvent, OrderCancelled, OrderPaid, OrderPlaced, OrderRefunded
from kernel.domain.ports.catalog import CatalogPort, StockLine
from kernel.domain.ports.jobs import JobQueue
from plugins.orders.domain import Order, PaymentRefunds
from plugins.orders.notifications.services import SEND_CONFIRMATION

Handler = Callable[["AfterChange", Order, DomainEvent], None]


@dataclass(frozen=True)
class AfterChange:
    catalog: CatalogPort
    jobs: JobQueue
    # None where the money is already back (a provider's refund event), or no provider is wired
    refunds: PaymentRefunds | None = None
    confirmation_delay: timedelta = timedelta(0)  # the "placed" mail goes out this much later

    def handle(self, orders: Sequence[Order], released: Sequence[StockLine] = ()) -> None:
        """Give back ``released`` stock in one call, then run each handler of the orders' new events."""
        if released:
            self.catalog.release_stock(list(released))
        for order in orders:
            for event in order.events:
                for handler in HANDLERS.get(type(event), ()):
                    handler(self, order, event)


def queue_placed_mail(effects: AfterChange, order: Order, event: OrderPlaced) -> None:
    effects.jobs.enqueue(SEND_CONFIRMATION, str(order.id), "placed", delay=effects.confirmation_delay)


def queue_mail(kind: str) -> Handler:
    """The handler that queues the shopper's ``kind`` mail at once."""
    def handler(effects: AfterChange, order: Order, event: DomainEvent) -> None:
        effects.jobs.enqueue(SEND_CONFIRMATION, str(order.id), kind)

    return handler


def refund_payment(effects: AfterChange, order: Order, event: OrderRefunded) -> None:
    if effects.refunds is not None:
        effects.refunds.refund(order, event.amount)


HANDLERS: dict[type[DomainEvent], tuple[Handler, ...]] = {
    OrderPlaced: (queue_placed_mail,),
    OrderPaid: (queue_mail("paid"),),
    OrderCancelled: (queue_mail("cancelled"),),
    OrderRefunded: (refund_payment,),
}
