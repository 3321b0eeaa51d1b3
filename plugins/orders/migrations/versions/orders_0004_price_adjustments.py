"""orders: the pricing pipeline's adjustments (discounts, shipping, tax) kept with each order

Revision ID: orders_0004_price_adjustments
Revises: orders_0003_variants
Create Date: 2026-12-03

Existing orders had none: their total was the sum of their lines.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "orders_0004_price_adjustments"
down_revision = "orders_0003_variants"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("price_adjustments", JSON, nullable=False, server_default="[]"))


def downgrade():
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("price_adjustments")
