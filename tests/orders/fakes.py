"""In-memory fakes of the orders' own ports (the kernel's ports are faked in kernel.testing.fakes)."""

from __future__ import annotations

import copy

from plugins.orders.domain import OrderRepository, OrderStatus
from plugins.orders.notifications.domain import NotificationLog


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

    def attach_guest_orders(self, email, user_id):
        guests = [o for o in self.rows.values() if o.user_id is None and (o.customer_email or "").lower() == email]
        for order in guests:
            order.user_id = user_id
        return len(guests)

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
