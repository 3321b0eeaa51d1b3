"""The promotions' tables: ``promotions`` (coupons) and ``promotion_redemptions`` (one row per order
that used one, for the per-customer limit and the books)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kernel.infrastructure.db import UtcDateTime, metadata

MONEY = sa.Numeric(12, 2)

promotions = sa.Table(
    "promotions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("code", sa.String(64), unique=True),  # stored in capitals; NULL: an automatic promotion
    sa.Column("description", sa.String(200), nullable=False, server_default=""),
    sa.Column("discount_type", sa.String(20), nullable=False),
    sa.Column("value", MONEY, nullable=False),
    sa.Column("product_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False,
              server_default="[]"),
    sa.Column("category_ids", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False,
              server_default="[]"),
    sa.Column("min_subtotal", MONEY),
    sa.Column("starts_at", UtcDateTime()),
    sa.Column("ends_at", UtcDateTime()),
    sa.Column("usage_limit", sa.Integer),
    sa.Column("per_customer_limit", sa.Integer),
    sa.Column("times_used", sa.Integer, nullable=False, server_default="0"),
    sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    # the limit holds even against a bug elsewhere: the database refuses one use too many
    sa.CheckConstraint("usage_limit IS NULL OR times_used <= usage_limit", name="within_usage_limit"),
)

promotion_redemptions = sa.Table(
    "promotion_redemptions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("promotion_id", sa.Uuid, sa.ForeignKey("promotions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("order_id", sa.Uuid, nullable=False),  # the orders plugin's; no foreign key across plugins
    sa.Column("customer_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("customer_email", sa.String(255)),
    sa.Column("redeemed_at", UtcDateTime(), nullable=False),
    sa.UniqueConstraint("promotion_id", "order_id"),
    sa.Index("ix_promotion_redemptions_promotion_id_customer_id", "promotion_id", "customer_id"),
)

TABLES = [promotions, promotion_redemptions]
