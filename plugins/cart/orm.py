"""The cart's tables: ``shopping_carts`` and ``cart_items``.

A cart belongs to a user (one cart each) or to a guest (``token_hash`` set), never both.
Products and their variants are referenced by id only: the cart reads them through the kernel's catalog port
and shows a line whose product has gone as unavailable.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kernel.infrastructure.db import UtcDateTime, metadata

shopping_carts = sa.Table(
    "shopping_carts",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True),
    sa.Column("token_hash", sa.String(64)),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False, index=True),
    # the shopper's pricing choices by input name: {"coupon": "SPRING10", "country": "DE", ...}
    sa.Column("pricing_inputs", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False,
              server_default="{}"),
    sa.CheckConstraint("(user_id IS NULL) <> (token_hash IS NULL)", name="one_owner"),
)

cart_items = sa.Table(
    "cart_items",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("cart_id", sa.Uuid, sa.ForeignKey("shopping_carts.id", ondelete="CASCADE"), nullable=False),
    sa.Column("product_id", sa.Uuid, nullable=False),
    sa.Column("variant_id", sa.Uuid, nullable=False),  # a product without options: its id
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("price_when_added", sa.Numeric(12, 2), nullable=False),
    sa.Column("added_at", UtcDateTime(), nullable=False),
    # one line per variant; its index also serves "the lines of a cart" (no separate idx_cart_items_cart)
    sa.UniqueConstraint("cart_id", "variant_id"),
    sa.CheckConstraint("quantity > 0", name="quantity_positive"),
)
