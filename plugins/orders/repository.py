"""Persistence adapters of the orders' ports (SQLAlchemy Core over the request's session).

Reads are batched: an order and its lines (and history) take one query per table whatever
the number of lines; a page of orders takes three queries.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import sqlalchemy as sa

from kernel.domain.money import Money
from kernel.domain.pricing import Adjustment, AdjustmentKind
from plugins.orders.domain import (
    Actor,
    Order,
    OrderLine,
    OrderPaymentStatus,
    OrderRepository,
    OrderStatus,
    Transition,
)
from plugins.orders.orm import (
    order_items,
    order_status_history,
    orders,
)

# A checkout's inserts, built once (a statement object keeps its cache key between calls).
_ADD_ORDER, _ADD_LINES, _ADD_TRANSITIONS = orders.insert(), order_items.insert(), order_status_history.insert()


class SqlOrderRepository(OrderRepository):
    def __init__(self, session):
        self.session = session

    def add(self, order: Order) -> None:
        self.session.execute(_ADD_ORDER, [_order_row(order)])
        self.session.execute(_ADD_LINES, [
            {"id": line.id, "order_id": order.id, "product_id": line.product_id, "variant_id": line.variant_id,
             "sku": line.sku,
             "product_name": line.name, "quantity": line.quantity, "unit_price": line.unit_price.amount,
             "discount": line.discount.amount, "position": position}
            for position, line in enumerate(order.lines)])
        self._add_transitions(order)

    def save(self, order: Order) -> None:
        row = _order_row(order)
        for unchanged in ("id", "user_id", "customer_email", "order_date", "payment_method", "currency",
                          "total_amount", "shipping_address", "billing_address", "price_adjustments"):
            row.pop(unchanged)
        self.session.execute(orders.update().where(orders.c.id == order.id).values(**row))
        self._add_transitions(order)

    def get(self, order_id: UUID, *, user_id: UUID | None = None, for_update: bool = False) -> Order | None:
        query = sa.select(orders).where(orders.c.id == order_id)
        if user_id is not None:
            query = query.where(orders.c.user_id == user_id)
        if for_update:
            query = query.with_for_update(of=orders)
        row = self.session.execute(query).mappings().first()
        if row is None:
            return None
        history = self.session.execute(sa.select(order_status_history).where(order_status_history.c.order_id == order_id)
                                       .order_by(order_status_history.c.id)).mappings().all()
        return self._orders([row], with_history=history)[0]

    def attach_guest_orders(self, email: str, user_id: UUID) -> int:
        return self.session.execute(orders.update().where(orders.c.user_id.is_(None),
                                                          sa.func.lower(orders.c.customer_email) == email)
                                    .values(user_id=user_id)).rowcount

    def page(self, *, page: int, page_size: int, user_id: UUID | None = None,
             filters: dict | None = None) -> tuple[list[Order], int]:
        where = _filters(user_id, filters or {})
        total = self.session.execute(sa.select(sa.func.count()).select_from(orders).where(*where)).scalar_one()
        rows = self.session.execute(sa.select(orders).where(*where)
                                    .order_by(orders.c.order_date.desc(), orders.c.id.desc())
                                    .limit(page_size).offset((page - 1) * page_size)).mappings().all()
        return self._orders(rows), total

    def unpaid_before(self, cutoff: datetime, limit: int) -> list[Order]:
        rows = self.session.execute(
            sa.select(orders).where(orders.c.status == str(OrderStatus.PENDING), orders.c.order_date < cutoff)
            .order_by(orders.c.order_date).limit(limit).with_for_update(skip_locked=True)).mappings().all()
        return self._orders(rows)

    # --- internals --------------------------------------------------------------

    def _add_transitions(self, order: Order) -> None:
        if order.new_transitions:
            self.session.execute(_ADD_TRANSITIONS, [
                {"order_id": order.id, "from_status": str(t.from_status) if t.from_status else None,
                 "to_status": str(t.to_status), "actor_kind": t.actor.kind, "actor_id": t.actor.id,
                 "note": t.note[:500], "occurred_at": t.occurred_at}
                for t in order.new_transitions])
        order.new_transitions = []

    def _orders(self, rows, with_history=None) -> list[Order]:
        if not rows:
            return []
        lines = defaultdict(list)
        query = sa.select(order_items).where(order_items.c.order_id.in_([row["id"] for row in rows]))
        for line in self.session.execute(query.order_by(order_items.c.position)).mappings():
            lines[line["order_id"]].append(line)
        return [_order_from(row, lines[row["id"]], with_history or []) for row in rows]


def _filters(user_id: UUID | None, filters: dict) -> list:
    where = []
    if user_id is not None:
        where.append(orders.c.user_id == user_id)
    if filters.get("status"):
        where.append(orders.c.status == str(filters["status"]))
    if filters.get("payment_status"):
        where.append(orders.c.payment_status == str(filters["payment_status"]))
    if filters.get("customer_id"):
        where.append(orders.c.user_id == filters["customer_id"])
    if filters.get("placed_from"):
        where.append(orders.c.order_date >= filters["placed_from"])
    if filters.get("placed_before"):
        where.append(orders.c.order_date < filters["placed_before"])
    return where


def _order_row(order: Order) -> dict:
    return {"id": order.id, "user_id": order.user_id, "customer_email": order.customer_email,
            "order_date": order.order_date, "status": str(order.status), "payment_status": str(order.payment_status),
            "payment_method": order.payment_method, "currency": order.currency, "total_amount": order.total.amount,
            "refunded_amount": order.refunded_amount, "shipping_address": order.shipping_address,
            "billing_address": order.billing_address, "tracking_number": order.tracking_number,
            "stock_reserved": order.stock_reserved, "price_adjustments": [_adjustment_row(a) for a in order.adjustments],
            "updated_at": order.history[-1].occurred_at if order.history else order.order_date}


def _adjustment_row(adjustment: Adjustment) -> dict:
    return {"plugin": adjustment.plugin, "kind": str(adjustment.kind), "label": adjustment.label,
            "amount": str(adjustment.amount), "code": adjustment.code, "included": adjustment.included,
            "variantId": str(adjustment.variant_id) if adjustment.variant_id else None}


def _adjustment_from(row: dict) -> Adjustment:
    return Adjustment(row["plugin"], AdjustmentKind(row["kind"]), row["label"], Decimal(row["amount"]),
                      UUID(row["variantId"]) if row["variantId"] else None, row["code"], row.get("included", False))


def _order_from(row, lines, history) -> Order:
    currency = row["currency"]
    return Order(
        id=row["id"], user_id=row["user_id"], customer_email=row["customer_email"], currency=currency,
        lines=[OrderLine(id=line["id"], product_id=line["product_id"], sku=line["sku"], name=line["product_name"],
                         quantity=line["quantity"], unit_price=Money(line["unit_price"], currency),
                         discount=Money(line["discount"], currency), variant_id=line["variant_id"]) for line in lines],
        shipping_address=row["shipping_address"], billing_address=row["billing_address"],
        payment_method=row["payment_method"], order_date=row["order_date"], status=OrderStatus(row["status"]),
        payment_status=OrderPaymentStatus(row["payment_status"]), refunded_amount=row["refunded_amount"],
        tracking_number=row["tracking_number"], stock_reserved=row["stock_reserved"],
        adjustments=tuple(_adjustment_from(a) for a in row["price_adjustments"] or ()),
        history=[Transition(OrderStatus(h["from_status"]) if h["from_status"] else None, OrderStatus(h["to_status"]),
                            Actor(h["actor_kind"], h["actor_id"]), h["occurred_at"], h["note"]) for h in history],
    )
