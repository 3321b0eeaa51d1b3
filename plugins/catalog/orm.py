"""The catalog's tables (SQLAlchemy Core, on the kernel's shared metadata).

The full-text index is an expression GIN index that exists on PostgreSQL only
(``ddl_if``); SQLite searches with ``LIKE`` instead (see :mod:`plugins.catalog.repository`).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql  # also registers to_tsvector and friends

from kernel.infrastructure.db import UtcDateTime, metadata

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
SEARCH_CONFIG = "english"
SEARCH_INDEX_SQL = f"to_tsvector('{SEARCH_CONFIG}'::regconfig, (name::text || ' '::text) || description)"


def _timestamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", UtcDateTime(), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", UtcDateTime(), nullable=False, server_default=sa.func.now()),
    ]


categories = sa.Table(
    "categories",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("slug", sa.String(255), nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("parent_id", sa.Uuid, sa.ForeignKey("categories.id", ondelete="RESTRICT"), index=True),
    sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
    *_timestamps(),
)

products = sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("slug", sa.String(255), nullable=False, unique=True),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("price", sa.Numeric(12, 2), nullable=False),
    sa.Column("sku", sa.String(100), nullable=False, unique=True),
    sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("options", JSON, nullable=False, server_default="[]"),  # [{"name": "Size", "values": ["S", "M"]}]
    sa.Column("category_id", sa.Uuid, sa.ForeignKey("categories.id", ondelete="RESTRICT"), index=True),
    sa.Column("rating_average", sa.Numeric(3, 2)),
    sa.Column("rating_count", sa.Integer, nullable=False, server_default="0"),
    *_timestamps(),
    sa.CheckConstraint("price >= 0", name="price_not_negative"),
    sa.Index("ix_products_price", "price"),
    sa.Index("ix_products_created_at", "created_at"),
    # Written as SQLAlchemy reflects it from PostgreSQL, so that Alembic's comparison sees no change;
    # queries use search_document(), which PostgreSQL parses to the same expression.
    sa.Index("ix_products_search", sa.text(SEARCH_INDEX_SQL), postgresql_using="gin").ddl_if(dialect="postgresql"),
)


def search_document(table: sa.Table = products) -> sa.ColumnElement:
    """The text that full-text search matches: name and description (PostgreSQL ``tsvector``)."""
    return sa.func.to_tsvector(sa.text(f"'{SEARCH_CONFIG}'::regconfig"), table.c.name + sa.text("' '") + table.c.description)



product_reviews = sa.Table(
    "product_reviews",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("product_id", sa.Uuid, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("rating", sa.SmallInteger, nullable=False),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    *_timestamps(),
    sa.UniqueConstraint("product_id", "user_id", name="uq_product_reviews_product_id_user_id"),
    sa.CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
)

# A product without options has one variant with the product's id and SKU (plugins.catalog.variants).
product_variants = sa.Table(
    "product_variants",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("product_id", sa.Uuid, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("sku", sa.String(100), nullable=False, unique=True),
    sa.Column("price", sa.Numeric(12, 2)),  # NULL: the product's price
    sa.Column("stock_quantity", sa.Integer, nullable=False, server_default="0"),
    sa.Column("low_stock_threshold", sa.Integer, nullable=False, server_default="5"),
    sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("options", JSON, nullable=False, server_default="{}"),  # {"Size": "M", "Colour": "Red"}
    sa.Column("option_key", sa.String(500), nullable=False, server_default=""),  # "|colour=red|size=m|"
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("weight", sa.Numeric(10, 3)),  # kg per unit; NULL: not given (weight-based shipping counts 0)
    sa.Column("tax_class", sa.String(32), nullable=False, server_default="standard"),
    *_timestamps(),
    sa.CheckConstraint("price >= 0", name="price_not_negative"),
    sa.CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
    sa.CheckConstraint("weight >= 0", name="weight_not_negative"),
    sa.CheckConstraint("low_stock_threshold >= 0", name="threshold_not_negative"),
)

product_images = sa.Table(
    "product_images",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("product_id", sa.Uuid, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("variant_id", sa.Uuid, sa.ForeignKey("product_variants.id", ondelete="CASCADE")),
    sa.Column("alt", sa.String(300), nullable=False, server_default=""),
    sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    sa.Column("original", sa.String(500), nullable=False),  # a media storage key, or an imported URL
    sa.Column("width", sa.Integer),
    sa.Column("height", sa.Integer),
    sa.Column("renditions", JSON, nullable=False, server_default="{}"),  # {"thumbnail": key, "card": ..., "full": ...}
    *_timestamps(),
)

stock_movements = sa.Table(
    "stock_movements",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("product_id", sa.Uuid, sa.ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("variant_id", sa.Uuid, sa.ForeignKey("product_variants.id", ondelete="CASCADE"), index=True),
    sa.Column("delta", sa.Integer, nullable=False),
    sa.Column("stock_after", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(200), nullable=False),
    sa.Column("created_at", UtcDateTime(), nullable=False, server_default=sa.func.now()),
)


# A CSV import run in the background: the file until it has run, then its progress and report.
product_imports = sa.Table(
    "product_imports",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=True),  # dropped once the run ends
    sa.Column("total_rows", sa.Integer, nullable=False),
    sa.Column("rows_done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created", sa.Integer, nullable=False, server_default="0"),
    sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("rejected", sa.Integer, nullable=False, server_default="0"),
    sa.Column("errors", JSON, nullable=False),
    sa.Column("failure", sa.Text, nullable=True),
    *_timestamps(),
    sa.Column("finished_at", UtcDateTime(), nullable=True),
    sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="state"),
)

TABLES = [categories, products, product_variants, product_images, product_reviews, stock_movements, product_imports]
