"""orders: order lines refer to the variant they sold

Revision ID: orders_0003_variants
Revises: orders_0002
Create Date: 2026-12-02

Existing lines name their product's implicit variant, whose id is the product's.
"""

import sqlalchemy as sa
from alembic import op

revision = "orders_0003_variants"
down_revision = "orders_0002"
branch_labels = None
depends_on = "catalog_0002"


def upgrade():
    with op.batch_alter_table("order_items") as batch:
        batch.add_column(sa.Column("variant_id", sa.Uuid, nullable=True))
        batch.create_foreign_key("fk_order_items_variant_id_product_variants", "product_variants",
                                 ["variant_id"], ["id"], ondelete="SET NULL")
        batch.create_index("ix_order_items_variant_id", ["variant_id"])
    op.execute("UPDATE order_items SET variant_id = product_id "
               "WHERE product_id IN (SELECT id FROM product_variants)")


def downgrade():
    with op.batch_alter_table("order_items") as batch:
        batch.drop_index("ix_order_items_variant_id")
        batch.drop_constraint("fk_order_items_variant_id_product_variants", type_="foreignkey")
        batch.drop_column("variant_id")
