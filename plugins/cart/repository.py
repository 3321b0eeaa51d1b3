"""Carts in SQL. Loading a cart costs two queries (the cart, its lines) whatever its size;
saving writes only what changed, in at most three statements."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kernel.infrastructure.db import db
from plugins.cart.domain import CartItem, CartRepository, ShoppingCart
from plugins.cart.orm import cart_items, shopping_carts

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _upsert_lines(insert) -> sa.Insert:
    statement = insert(cart_items)
    return statement.on_conflict_do_update(
        index_elements=["cart_id", "variant_id"],
        set_={"quantity": statement.excluded.quantity, "price_when_added": statement.excluded.price_when_added})


# An add to cart's statements, built once: a statement object keeps its cache key, so SQLAlchemy
# neither rebuilds nor re-keys (nor, for the upsert, compiles) them on every request.
_CART_BY = {(column, locked): (query.with_for_update() if locked else query)
            for column in ("id", "user_id")
            for query in [sa.select(shopping_carts).where(shopping_carts.c[column] == sa.bindparam("key"))]
            for locked in (False, True)}
_LINES = (sa.select(cart_items).where(cart_items.c.cart_id == sa.bindparam("cart_id"))
          .order_by(cart_items.c.added_at, cart_items.c.variant_id))
_ADD_CART = sa.insert(shopping_carts)
_TOUCH_CART = (sa.update(shopping_carts).where(shopping_carts.c.id == sa.bindparam("cart_id"))
               .values(updated_at=sa.bindparam("updated_at"), pricing_inputs=sa.bindparam("pricing_inputs")))
_DROP_LINES = sa.delete(cart_items).where(cart_items.c.cart_id == sa.bindparam("cart_id"),
                                          cart_items.c.variant_id.in_(sa.bindparam("gone", expanding=True)))
_UPSERT_LINES = {dialect: _upsert_lines(insert) for dialect, insert in _INSERTS.items()}


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SqlCartRepository(CartRepository):
    def __init__(self, session=None):
        self.session = session or db.session
        self._loaded: dict[UUID, dict[UUID, CartItem]] = {}  # lines as last read or written

    def get(self, cart_id: UUID, *, for_update: bool = False) -> ShoppingCart | None:
        return self._load("id", cart_id, for_update)

    def of_user(self, user_id: UUID, *, for_update: bool = False) -> ShoppingCart | None:
        return self._load("user_id", user_id, for_update)

    def of_user_created_if_missing(self, user_id: UUID, now: datetime) -> ShoppingCart:
        cart = self.of_user(user_id, for_update=True)
        if cart is None:
            # a concurrent creator makes this insert wait, then do nothing: both get its cart
            self.session.execute(self._insert(shopping_carts).values(self._cart_row(ShoppingCart.for_user(user_id, now)))
                                 .on_conflict_do_nothing(index_elements=["user_id"]))
            cart = self.of_user(user_id, for_update=True)
        return cart

    def save(self, cart: ShoppingCart) -> None:
        before = self._loaded.get(cart.id)
        if before is None:
            self.session.execute(_ADD_CART, self._cart_row(cart))
            before = {}
        else:
            self.session.execute(_TOUCH_CART, {"cart_id": cart.id, "updated_at": cart.updated_at,
                                               "pricing_inputs": cart.pricing_inputs})
        gone = [variant_id for variant_id in before if variant_id not in cart.items]
        changed = [item for variant_id, item in cart.items.items() if before.get(variant_id) != item]
        if gone:
            self.session.execute(_DROP_LINES, {"cart_id": cart.id, "gone": gone})
        if changed:
            self.session.execute(_UPSERT_LINES[self.session.get_bind().dialect.name], [
                {"id": uuid4(), "cart_id": cart.id, "product_id": item.product_id, "variant_id": item.variant,
                 "quantity": item.quantity, "price_when_added": item.price_when_added, "added_at": item.added_at}
                for item in changed
            ])
        self._loaded[cart.id] = dict(cart.items)

    def delete(self, cart: ShoppingCart) -> None:
        self.session.execute(sa.delete(cart_items).where(cart_items.c.cart_id == cart.id))
        self.session.execute(sa.delete(shopping_carts).where(shopping_carts.c.id == cart.id))
        self._loaded.pop(cart.id, None)

    def delete_guest_carts_idle_since(self, cutoff: datetime, limit: int) -> int:
        idle = sa.and_(shopping_carts.c.user_id.is_(None), shopping_carts.c.updated_at < cutoff)
        batch = sa.select(shopping_carts.c.id).where(idle).limit(limit)
        # the condition is repeated on the row itself so a cart touched meanwhile survives
        deleted = self.session.execute(sa.delete(shopping_carts).where(shopping_carts.c.id.in_(batch), idle)
                                       .returning(shopping_carts.c.id)).scalars().all()
        if deleted:  # PostgreSQL already cascaded; SQLite does not enforce foreign keys
            self.session.execute(sa.delete(cart_items).where(cart_items.c.cart_id.in_(deleted)))
        return len(deleted)

    def _load(self, column: str, key: UUID, for_update: bool) -> ShoppingCart | None:
        row = self.session.execute(_CART_BY[column, for_update], {"key": key}).one_or_none()
        if row is None:
            return None
        lines = self.session.execute(_LINES, {"cart_id": row.id}).all()
        items = {line.variant_id: CartItem(line.product_id, line.quantity, line.price_when_added, _aware(line.added_at),
                                           variant_id=line.variant_id)
                 for line in lines}
        self._loaded[row.id] = dict(items)
        return ShoppingCart(row.id, row.user_id, row.token_hash, _aware(row.created_at), _aware(row.updated_at), items,
                            dict(row.pricing_inputs or {}))

    def _insert(self, table: sa.Table):
        return _INSERTS[self.session.get_bind().dialect.name](table)

    @staticmethod
    def _cart_row(cart: ShoppingCart) -> dict:
        return {"id": cart.id, "user_id": cart.user_id, "token_hash": cart.token_hash,
                "created_at": cart.created_at, "updated_at": cart.updated_at, "pricing_inputs": cart.pricing_inputs}
