"""catalog: options and variants (stock moves to each product's implicit variant), images

Revision ID: catalog_0002
Revises: catalog_0001
Create Date: 2026-12-02

Every existing product gets one variant with the product's id, SKU, stock and threshold, so
cart lines, order lines and stock movements that name the product name that variant too.
The downgrade folds each product's variants back into its stock (their sum) and threshold
(their lowest), and forgets options, variants and images.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "catalog_0002"
down_revision = "catalog_0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def timestamps():
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    ]


def upgrade():
    op.create_table(
        "product_variants",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("product_id", sa.Uuid, nullable=False),
        sa.Column("sku", sa.String(100), nullable=False),
        sa.Column("price", sa.Numeric(12, 2), nullable=True),
        sa.Column("stock_quantity", sa.Integer, nullable=False, server_default="0"),
        sa.Column("low_stock_threshold", sa.Integer, nullable=False, server_default="5"),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("options", JSON, nullable=False, server_default="{}"),
        sa.Column("option_key", sa.String(500), nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        *timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_product_variants"),
        sa.UniqueConstraint("sku", name="uq_product_variants_sku"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name="fk_product_variants_product_id_products",
                                ondelete="CASCADE"),
        sa.CheckConstraint("price >= 0", name="ck_product_variants_price_not_negative"),
        sa.CheckConstraint("stock_quantity >= 0", name="ck_product_variants_stock_not_negative"),
        sa.CheckConstraint("low_stock_threshold >= 0", name="ck_product_variants_threshold_not_negative"),
    )
    op.create_index("ix_product_variants_product_id", "product_variants", ["product_id"])
    op.create_table(
        "product_images",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("product_id", sa.Uuid, nullable=False),
        sa.Column("variant_id", sa.Uuid, nullable=True),
        sa.Column("alt", sa.String(300), nullable=False, server_default=""),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("original", sa.String(500), nullable=False),
        sa.Column("width", sa.Integer, nullable=True),
        sa.Column("height", sa.Integer, nullable=True),
        sa.Column("renditions", JSON, nullable=False, server_default="{}"),
        *timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_product_images"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], name="fk_product_images_product_id_products",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["variant_id"], ["product_variants.id"],
                                name="fk_product_images_variant_id_product_variants", ondelete="CASCADE"),
    )
    op.create_index("ix_product_images_product_id", "product_images", ["product_id"])
    op.execute("INSERT INTO product_variants (id, product_id, sku, stock_quantity, low_stock_threshold, is_active, "
               "options, option_key, position, created_at, updated_at) "
               "SELECT id, id, sku, stock_quantity, low_stock_threshold, " + _true() + ", '{}', '', 0, created_at, "
               "updated_at FROM products")
    with op.batch_alter_table("stock_movements") as batch:
        batch.add_column(sa.Column("variant_id", sa.Uuid, nullable=True))
        batch.create_foreign_key("fk_stock_movements_variant_id_product_variants", "product_variants",
                                 ["variant_id"], ["id"], ondelete="CASCADE")
        batch.create_index("ix_stock_movements_variant_id", ["variant_id"])
    op.execute("UPDATE stock_movements SET variant_id = product_id")
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("options", JSON, nullable=False, server_default="[]"))
        batch.drop_constraint("ck_products_stock_not_negative", type_="check")
        batch.drop_constraint("ck_products_threshold_not_negative", type_="check")
        batch.drop_column("stock_quantity")
        batch.drop_column("low_stock_threshold")


def downgrade():
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("stock_quantity", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("low_stock_threshold", sa.Integer, nullable=False, server_default="5"))
    op.execute("UPDATE products SET "
               "stock_quantity = (SELECT COALESCE(SUM(stock_quantity), 0) FROM product_variants v "
               "WHERE v.product_id = products.id), "
               "low_stock_threshold = COALESCE((SELECT MIN(low_stock_threshold) FROM product_variants v "
               "WHERE v.product_id = products.id), 5)")
    with op.batch_alter_table("products") as batch:
        batch.create_check_constraint("ck_products_stock_not_negative", "stock_quantity >= 0")
        batch.create_check_constraint("ck_products_threshold_not_negative", "low_stock_threshold >= 0")
        batch.drop_column("options")
    with op.batch_alter_table("stock_movements") as batch:
        batch.drop_index("ix_stock_movements_variant_id")
        batch.drop_constraint("fk_stock_movements_variant_id_product_variants", type_="foreignkey")
        batch.drop_column("variant_id")
    op.drop_table("product_images")
    op.drop_table("product_variants")


def _true() -> str:
    return "true" if op.get_bind().dialect.name == "postgresql" else "1"
