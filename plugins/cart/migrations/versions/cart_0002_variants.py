"""cart: lines refer to a variant

Revision ID: cart_0002
Revises: cart_0001
Create Date: 2026-12-02

Existing lines move to their product's implicit variant, whose id is the product's. The
downgrade keeps the lines of implicit variants only: a cart could not hold two variants of
one product before.
"""

import sqlalchemy as sa
from alembic import op

revision = "cart_0002"
down_revision = "cart_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("cart_items") as batch:
        batch.add_column(sa.Column("variant_id", sa.Uuid, nullable=True))
    op.execute("UPDATE cart_items SET variant_id = product_id")
    with op.batch_alter_table("cart_items") as batch:
        batch.alter_column("variant_id", existing_type=sa.Uuid, nullable=False)
        batch.drop_constraint("uq_cart_items_cart_id", type_="unique")
        batch.create_unique_constraint("uq_cart_items_cart_id", ["cart_id", "variant_id"])


def downgrade():
    op.execute("DELETE FROM cart_items WHERE variant_id <> product_id")
    with op.batch_alter_table("cart_items") as batch:
        batch.drop_constraint("uq_cart_items_cart_id", type_="unique")
        batch.create_unique_constraint("uq_cart_items_cart_id", ["cart_id", "product_id"])
        batch.drop_column("variant_id")
