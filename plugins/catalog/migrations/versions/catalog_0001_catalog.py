"""catalog: categories, products, reviews and stock movements

Revision ID: catalog_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "catalog_0001"
down_revision = None
branch_labels = ("catalog",)
depends_on = "kernel_0003"

SEARCH_INDEX_SQL = "to_tsvector('english'::regconfig, (name::text || ' '::text) || description)"


def timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade():
    op.create_table(
        "categories",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("slug", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("parent_id", sa.Uuid, nullable=True),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        *timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_categories"),
        sa.UniqueConstraint("slug", name="uq_categories_slug"),
        sa.ForeignKeyConstraint(["parent_id"], ["categories.id"], name="fk_categories_parent_id_categories",
                                ondelete="RESTRICT"),
    )
    op.create_index("ix_categories_parent_id", "categories", ["parent_id"])

    op.create_table(
        "products",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("slug", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("price", sa.Numeric(12, 2), nullable=False),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("stock_quantity", sa.Integer, nullable=False, server_default="0"),
        sa.Column("low_stock_threshold", sa.Integer, nullable=False, server_default="5"),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("category_id", sa.Uuid, nullable=True),
        sa.Column("rating_average", sa.Numeric(3, 2), nullable=True),
        sa.Column("rating_count", sa.Integer, nullable=False, server_default="0"),
        *timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("slug", name="uq_products_slug"),
        sa.UniqueConstraint("sku", name="uq_products_sku"),
        sa.ForeignKeyConstraint(["category_id"], ["categories.id"], name="fk_products_category_id_categories",
                                ondelete="RESTRICT"),
        sa.CheckConstraint("price >= 0", name="ck_products_price_not_negative"),
        sa.CheckConstraint("stock_quantity >= 0", name="ck_products_stock_not_negative"),
        sa.CheckConstraint("low_stock_threshold >= 0", name="ck_products_threshold_not_negative"),
    )
    op.create_index("ix_products_category_id", "products", ["category_id"])
    op.create_index("ix_products_price", "products", ["price"])
    op.create_index("ix_products_created_at", "products", ["created_at"])
    if op.get_bind().dialect.name == "postgresql":  # full-text search; SQLite searches with LIKE
        op.create_index("ix_products_search", "products", [sa.text(SEARCH_INDEX_SQL)], postgresql_using="gin")

    op.create_table(
        "product_reviews",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("product_id", sa.Uuid, nullable=False),
        sa.Column("user_id", sa.Uuid, nullable=False),
        sa.Column("rating", sa.SmallInteger, nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        *timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_product_reviews"),
        sa.UniqueConstraint("product_id", "user_id", name="uq_product_reviews_product_id_user_id"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name="fk_product_reviews_product_id_products",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_product_reviews_user_id_users", ondelete="CASCADE"),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_product_reviews_rating_range"),
    )
    op.create_index("ix_product_reviews_user_id", "product_reviews", ["user_id"])

    op.create_table(
        "stock_movements",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("product_id", sa.Uuid, nullable=False),
        sa.Column("delta", sa.Integer, nullable=False),
        sa.Column("stock_after", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("id", name="pk_stock_movements"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name="fk_stock_movements_product_id_products",
                                ondelete="CASCADE"),
    )
    op.create_index("ix_stock_movements_product_id", "stock_movements", ["product_id"])


def downgrade():
    op.drop_table("stock_movements")
    op.drop_table("product_reviews")
    op.drop_table("products")
    op.drop_table("categories")
