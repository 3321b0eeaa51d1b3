"""In-memory fakes of the kernel's ports, for use-case tests that need no Flask and no database.

* :class:`FakeUnitOfWork` keeps the real unit's after-commit semantics: published events and
  ``after_commit`` callbacks run only when the unit commits, and a rollback restores every
  store it was given (a store offers ``state()`` and ``restore(state)``).
* :class:`FakeCatalog`, :class:`FakeCart` and :class:`FakeJobs` stand in for the catalog, cart
  and job ports; :func:`product` makes a catalog snapshot.
* :class:`FakeIdempotencyStore` stands in for the kernel's idempotency store.
* :class:`EventRecorder` is a plugin object that records the domain events a site delivers;
  the ``record_events`` fixture (:mod:`kernel.testing.fixtures`) registers one.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from uuid import UUID, uuid4

from kernel.domain.events import DomainEvent
from kernel.domain.ports.cart import CartLine, CartPort
from kernel.domain.ports.catalog import CatalogPort, InsufficientStock, ProductSnapshot, Shortage, StockLine
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.idempotency.domain import IdempotencyStore, StoredReply
from kernel.plugins import hookimpl


class FakeUnitOfWork(UnitOfWork):
    """Snapshots its stores when a unit begins and when it commits; a rollback restores them."""

    def __init__(self, *stores):
        self.stores = list(stores)
        self.committed = 0
        self.published: list[DomainEvent] = []
        self._pending_events: list[DomainEvent] = []
        self._callbacks: list = []
        self._snapshots = [copy.deepcopy(store.state()) for store in self.stores]

    def __enter__(self):
        self._snapshots = [copy.deepcopy(store.state()) for store in self.stores]
        return self

    def commit(self):
        self.committed += 1
        self.published += self._pending_events
        for callback in self._callbacks:
            callback()
        self._pending_events, self._callbacks = [], []
        self._snapshots = [copy.deepcopy(store.state()) for store in self.stores]

    def rollback(self):
        for store, snapshot in zip(self.stores, self._snapshots, strict=True):
            store.restore(copy.deepcopy(snapshot))
        self._pending_events, self._callbacks = [], []

    def committed_state(self, store):
        """What the last commit kept of ``store`` (its state when no unit has committed yet)."""
        return self._snapshots[self.stores.index(store)]

    def publish(self, event):
        self._pending_events.append(event)

    def after_commit(self, callback):
        self._callbacks.append(callback)


def product(name: str = "Mug", price: str = "10.00", stock: int = 10, *, active: bool = True,
            currency: str = "USD") -> ProductSnapshot:
    return ProductSnapshot(id=uuid4(), sku=name.upper(), name=name, slug=name.lower(), unit_price=Decimal(price),
                           currency=currency, stock_quantity=stock, is_active=active)


class FakeCatalog(CatalogPort):
    """Products by id; reserving is all or nothing, as the real port's. ``calls`` counts reads."""

    def __init__(self, *products: ProductSnapshot):
        self.items: dict[UUID, ProductSnapshot] = {p.id: p for p in products}
        self.calls = 0

    def add(self, name: str, price: str, stock: int, **kwargs) -> ProductSnapshot:
        snapshot = product(name, price, stock, **kwargs)
        self.put(snapshot)
        return snapshot

    def put(self, snapshot: ProductSnapshot) -> None:
        self.items[snapshot.id] = snapshot

    def stock(self, snapshot: ProductSnapshot) -> int:
        return self.items[snapshot.id].stock_quantity

    def products(self, ids: Iterable[UUID]) -> dict[UUID, ProductSnapshot]:
        self.calls += 1
        return {i: self.items[i] for i in ids if i in self.items}

    def unknown_categories(self, ids: Iterable[UUID]) -> set[UUID]:
        known = {category for snapshot in self.items.values() for category in snapshot.category_ids}
        return set(ids) - known

    def reserve_stock(self, lines: Sequence[StockLine]) -> None:
        shortages = [Shortage(line.variant_id, line.quantity, self.items[line.variant_id].stock_quantity)
                     for line in lines if self.items[line.variant_id].stock_quantity < line.quantity]
        if shortages:
            raise InsufficientStock(shortages)
        for line in lines:
            self._change(line.variant_id, -line.quantity)

    def release_stock(self, lines: Sequence[StockLine]) -> None:
        for line in lines:
            self._change(line.variant_id, line.quantity)

    def _change(self, variant_id: UUID, delta: int) -> None:
        snapshot = self.items[variant_id]
        self.items[variant_id] = replace(snapshot, stock_quantity=snapshot.stock_quantity + delta)

    def state(self):
        return self.items

    def restore(self, state):
        self.items = state


class FakeCart(CartPort):
    """Each user's cart as ``{product_id: quantity}``."""

    def __init__(self):
        self.carts: dict = {}

    def lines_for_user(self, user_id):
        return [CartLine(product_id, quantity) for product_id, quantity in self.carts.get(user_id, {}).items()]

    def clear_for_user(self, user_id):
        self.carts.pop(user_id, None)

    def state(self):
        return self.carts

    def restore(self, state):
        self.carts = state


class FakeJobs(JobQueue):
    """Records ``(task, *args)`` when the unit of work commits, as the outbox would hand them over."""

    def __init__(self, uow: UnitOfWork):
        self.uow = uow
        self.enqueued: list[tuple] = []
        self.delays: list = []

    def enqueue(self, task, *args, delay=None, **kwargs):
        def record():
            self.enqueued.append((task, *args))
            self.delays.append(delay)

        self.uow.after_commit(record)


class EventRecorder:
    """A plugin object recording the domain events a site delivers (only ``types``, when given)."""

    def __init__(self, *types: type[DomainEvent]):
        self.types = types or (DomainEvent,)
        self.events: list[DomainEvent] = []

    def _record(self, event: DomainEvent) -> None:
        if isinstance(event, self.types):
            self.events.append(event)

    @hookimpl
    def commerce_order_placed(self, event):
        self._record(event)

    @hookimpl
    def commerce_order_paid(self, event):
        self._record(event)

    @hookimpl
    def commerce_order_cancelled(self, event):
        self._record(event)

    @hookimpl
    def commerce_order_refunded(self, event):
        self._record(event)

    @hookimpl
    def commerce_order_status_changed(self, event):
        self._record(event)

    @hookimpl
    def commerce_stock_low(self, event):
        self._record(event)

    def kinds(self) -> list[str]:
        return [type(event).__name__ for event in self.events]


class FakeIdempotencyStore(IdempotencyStore):
    """Keys and their replies in a dict, expiring like the real store's."""

    def __init__(self):
        self.rows: dict = {}

    def claim(self, request, now, expires_at):
        key = (request.owner, request.key)
        stored = self.rows.get(key)
        if stored is not None and stored.expires_at > now:
            return stored
        self.rows[key] = StoredReply(request.fingerprint, 0, {}, expires_at)
        return None

    def fulfil(self, request, status, body):
        key = (request.owner, request.key)
        self.rows[key] = replace(self.rows[key], status=status, body=body)

    def purge(self, now):
        expired = [key for key, row in self.rows.items() if row.expires_at <= now]
        for key in expired:
            del self.rows[key]
        return len(expired)

    def state(self):
        return self.rows

    def restore(self, state):
        self.rows = state
