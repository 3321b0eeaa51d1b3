"""In-memory fakes of the ports the order use cases talk to (no Flask, no database)."""

from __future__ import annotations

import copy
from dataclasses import replace
from decimal import Decimal
from uuid import uuid4

from kernel.domain.ports.cart import CartLine, CartPort
from kernel.domain.ports.catalog import CatalogPort, InsufficientStock, ProductSnapshot, Shortage
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.orders.domain import IdempotencyStore, OrderRepository, OrderStatus, StoredReply
from plugins.orders.notifications.domain import NotificationLog


class FakeUnitOfWork(UnitOfWork):
    """Keeps work staged until commit; a rollback restores every registered fake."""

    def __init__(self, *stores):
        self.stores = list(stores)
        self.committed = 0
        self.published = []
        self._pending_events = []
        self._callbacks = []
        self._snapshots = None

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
        if self._snapshots is not None:
            for store, snapshot in zip(self.stores, self._snapshots):
                store.restore(copy.deepcopy(snapshot))
        self._pending_events, self._callbacks = [], []

    def publish(self, event):
        self._pending_events.append(event)

    def after_commit(self, callback):
        self._callbacks.append(callback)


class FakeCatalog(CatalogPort):
    def __init__(self):
        self.items: dict = {}

    def add(self, name, price, stock, *, active=True, currency="USD"):
        product = ProductSnapshot(id=uuid4(), sku=name.upper(), name=name, slug=name, unit_price=Decimal(price),
                                  currency=currency, stock_quantity=stock, is_active=active)
        self.items[product.id] = product
        return product

    def stock(self, product):
        return self.items[product.id].stock_quantity

    def products(self, ids):
        return {i: self.items[i] for i in ids if i in self.items}

    def reserve_stock(self, lines):
        shortages = [Shortage(line.variant_id, line.quantity, self.items[line.variant_id].stock_quantity)
                     for line in lines if self.items[line.variant_id].stock_quantity < line.quantity]
        if shortages:
            raise InsufficientStock(shortages)
        for line in lines:
            self._change(line.variant_id, -line.quantity)

    def release_stock(self, lines):
        for line in lines:
            self._change(line.variant_id, line.quantity)

    def _change(self, product_id, delta):
        product = self.items[product_id]
        self.items[product_id] = replace(product, stock_quantity=product.stock_quantity + delta)

    def state(self):
        return self.items

    def restore(self, state):
        self.items = state


class FakeCart(CartPort):
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
    def __init__(self, uow_getter):
        self.uow_getter = uow_getter
        self.enqueued = []
        self.delays = []

    def enqueue(self, task, *args, delay=None, **kwargs):
        def record():
            self.enqueued.append((task, *args))
            self.delays.append(delay)

        self.uow_getter().after_commit(record)


class FakeOrders(OrderRepository):
    def __init__(self):
        self.rows: dict = {}

    def add(self, order):
        order.new_transitions = []
        self.rows[order.id] = copy.deepcopy(order)

    def get(self, order_id, *, user_id=None, for_update=False):
        order = self.rows.get(order_id)
        if order is None or (user_id is not None and order.user_id != user_id):
            return None
        return copy.deepcopy(order)

    def save(self, order):
        order.new_transitions = []
        self.rows[order.id] = copy.deepcopy(order)

    def page(self, *, page, page_size, user_id=None, filters=None):
        orders = sorted((o for o in self.rows.values() if user_id is None or o.user_id == user_id),
                        key=lambda o: o.order_date, reverse=True)
        return orders[(page - 1) * page_size: page * page_size], len(orders)

    def unpaid_before(self, cutoff, limit):
        return [copy.deepcopy(o) for o in self.rows.values()
                if o.status == OrderStatus.PENDING and o.order_date < cutoff][:limit]

    def state(self):
        return self.rows

    def restore(self, state):
        self.rows = state


class FakeReplies(IdempotencyStore):
    def __init__(self):
        self.rows: dict = {}

    def claim(self, request, now, expires_at):
        key = (request.user_id, request.key)
        stored = self.rows.get(key)
        if stored is not None and stored.expires_at > now:
            return stored
        self.rows[key] = StoredReply(request.fingerprint, 0, {}, expires_at)
        return None

    def fulfil(self, request, status, body):
        key = (request.user_id, request.key)
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


class FakeNotificationLog(NotificationLog):
    def __init__(self):
        self.sent = set()

    def claim(self, order_id, kind, at):
        if (order_id, kind) in self.sent:
            return False
        self.sent.add((order_id, kind))
        return True

    def release(self, order_id, kind):
        self.sent.discard((order_id, kind))

    def state(self):
        return self.sent

    def restore(self, state):
        self.sent = state
