"""The orders' tables (SQLAlchemy Core on the kernel's shared metadata).

``orders``/``order_items`` hold the orders and their lines, plus what the life cycle needs:
a per-order status history, the mails already sent and the daily sales reports.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kernel.infrastructure.db import UtcDateTime, metadata

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.Numeric(12, 2)


def _when(name: str, **kwargs) -> sa.Column:
    return sa.Column(name, UtcDateTime(), nullable=False, **kwargs)


orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    # SET NULL: deleting an account keeps its orders (the books) without their owner
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="SET NULL")),
    sa.Column("customer_email", sa.String(255)),
    _when("order_date"),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("payment_status", sa.String(20), nullable=False),
    sa.Column("payment_method", sa.String(100), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("total_amount", MONEY, nullable=False),
    sa.Column("refunded_amount", MONEY, nullable=False, server_default="0"),
    sa.Column("shipping_address", JSON, nullable=False),
    sa.Column("billing_address", JSON),
    sa.Column("tracking_number", sa.String(100)),
    sa.Column("stock_reserved", sa.Boolean, nullable=False),
    # the pricing pipeline's adjustments at checkout: [{plugin, kind, label, amount, variantId, code}]
    sa.Column("price_adjustments", JSON, nullable=False, server_default="[]"),
    _when("updated_at"),
    sa.CheckConstraint("total_amount >= 0", name="total_not_negative"),
    sa.CheckConstraint("refunded_amount >= 0 AND refunded_amount <= total_amount", name="refund_within_total"),
    sa.Index("ix_orders_user_id_order_date", "user_id", "order_date"),  # my orders, newest first
    sa.Index("ix_orders_status_order_date", "status", "order_date"),  # staff filters, unpaid expiry
    sa.Index("ix_orders_order_date", "order_date"),  # staff list, daily report
)

order_items = sa.Table(
    "order_items",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    # the line keeps its snapshot (sku, name, prices) if the product is ever deleted
    sa.Column("product_id", sa.Uuid, sa.ForeignKey("products.id", ondelete="SET NULL"), index=True),
    # what stock was reserved from (NULL once the variant was deleted)
    sa.Column("variant_id", sa.Uuid, sa.ForeignKey("product_variants.id", ondelete="SET NULL"), index=True),
    sa.Column("sku", sa.String(100), nullable=False),
    sa.Column("product_name", sa.String(255), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("unit_price", MONEY, nullable=False),
    sa.Column("discount", MONEY, nullable=False, server_default="0"),
    sa.Column("position", sa.SmallInteger, nullable=False),
    sa.CheckConstraint("quantity > 0", name="quantity_positive"),
)

order_status_history = sa.Table(
    "order_status_history",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("from_status", sa.String(20)),
    sa.Column("to_status", sa.String(20), nullable=False),
    sa.Column("actor_kind", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.Uuid),
    sa.Column("note", sa.String(500), nullable=False, server_default=""),
    _when("occurred_at"),
)

order_notifications = sa.Table(
    "order_notifications",
    metadata,
    sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    _when("sent_at"),
)

order_sales_reports = sa.Table(
    "order_sales_reports",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("orders", sa.Integer, nullable=False),
    sa.Column("cancelled", sa.Integer, nullable=False),
    sa.Column("revenue", MONEY, nullable=False),
    sa.Column("top_products", JSON, nullable=False),
    _when("generated_at"),
)

payments = sa.Table(
    "payments",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),  # also the provider idempotency key of the attempt
    sa.Column("order_id", sa.Uuid, sa.ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("provider", sa.String(50), nullable=False),
    sa.Column("reference", sa.String(255)),
    sa.Column("amount", MONEY, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("refunded_amount", MONEY, nullable=False, server_default="0"),
    _when("created_at"),
    _when("updated_at"),
    sa.UniqueConstraint("provider", "reference", name="uq_payments_provider_reference"),
)

# The webhook inbox: each verified event once, by (provider, event_id); also the payments' history.
payment_events = sa.Table(
    "payment_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("provider", sa.String(50), nullable=False),
    sa.Column("event_id", sa.String(255), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("reference", sa.String(255), nullable=False),
    sa.Column("amount", MONEY),
    sa.Column("payment_id", sa.Uuid, sa.ForeignKey("payments.id", ondelete="SET NULL"), index=True),
    _when("occurred_at"),
    _when("received_at"),
    sa.UniqueConstraint("provider", "event_id", name="uq_payment_events_provider_event_id"),
)

TABLES = [orders, order_items, order_status_history, order_notifications,
          order_sales_reports, payments, payment_events]
