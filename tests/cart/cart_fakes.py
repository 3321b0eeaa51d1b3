"""An in-memory stand-in for the cart's own repository port (the kernel's ports are faked in
kernel.testing.fakes)."""

from __future__ import annotations

import copy
from datetime import datetime
from uuid import UUID

from plugins.cart.domain import CartRepository, ShoppingCart


class FakeCartRepository(CartRepository):
    """The carts as the running unit of work sees them (``staged``); the kernel's
    FakeUnitOfWork keeps what was committed and restores it on rollback."""

    def __init__(self):
        self.staged: dict[UUID, ShoppingCart] = {}

    def state(self):
        return self.staged

    def restore(self, state):
        self.staged = state

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
