"""In-memory stand-ins for the cart's ports, for tests that need no Flask and no database."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from uuid import UUID, uuid4

from kernel.domain.ports.catalog import CatalogPort, ProductSnapshot, StockLine
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.cart.domain import CartRepository, ShoppingCart


def product(name="Mug", price="10.00", stock=10, active=True) -> ProductSnapshot:
    return ProductSnapshot(id=uuid4(), sku=name.upper(), name=name, slug=name.lower(), unit_price=Decimal(price),
                           currency="USD", stock_quantity=stock, is_active=active)


class FakeCatalog(CatalogPort):
    def __init__(self, *products: ProductSnapshot):
        self.items = {p.id: p for p in products}
        self.calls = 0

    def put(self, snapshot: ProductSnapshot) -> None:
        self.items[snapshot.id] = snapshot

    def products(self, ids: Iterable[UUID]) -> dict[UUID, ProductSnapshot]:
        self.calls += 1
        return {i: self.items[i] for i in ids if i in self.items}

    def reserve_stock(self, lines: Sequence[StockLine]) -> None:
        raise NotImplementedError

    def release_stock(self, lines: Sequence[StockLine]) -> None:
        raise NotImplementedError


class FakeCartRepository(CartRepository):
    """Changes are staged and become visible to later units of work only once committed."""

    def __init__(self):
        self.committed: dict[UUID, ShoppingCart] = {}
        self.staged: dict[UUID, ShoppingCart] = {}

    def get(self, cart_id, *, for_update=False):
        return copy.deepcopy(self.staged.get(cart_id))

    def of_user(self, user_id, *, for_update=False):
        return next((copy.deepcopy(c) for c in self.staged.values() if c.user_id == user_id), None)

    def of_user_created_if_missing(self, user_id, now):
        cart = self.of_user(user_id)
        if cart is None:
            cart = ShoppingCart.for_user(user_id, now)
            self.save(cart)
        return cart

    def save(self, cart):
        self.staged[cart.id] = copy.deepcopy(cart)

    def delete(self, cart):
        self.staged.pop(cart.id, None)

    def delete_guest_carts_idle_since(self, cutoff: datetime, limit: int) -> int:
        idle = [c.id for c in self.staged.values() if c.user_id is None and c.updated_at < cutoff][:limit]
        for cart_id in idle:
            del self.staged[cart_id]
        return len(idle)


class FakeUnitOfWork(UnitOfWork):
    def __init__(self, carts: FakeCartRepository):
        self.carts = carts
        self.commits = 0

    def commit(self):
        self.carts.committed = copy.deepcopy(self.carts.staged)
        self.commits += 1

    def rollback(self):
        self.carts.staged = copy.deepcopy(self.carts.committed)

    def publish(self, event):
        raise NotImplementedError

    def after_commit(self, callback):
        raise NotImplementedError
