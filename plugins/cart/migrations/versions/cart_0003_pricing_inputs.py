"""cart: the shopper's pricing choices (coupon, destination, shipping method)

Revision ID: cart_0003
Revises: cart_0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "cart_0003"
down_revision = "cart_0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("shopping_carts") as batch:
        batch.add_column(sa.Column("pricing_inputs", JSON, nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("shopping_carts") as batch:
        batch.drop_column("pricing_inputs")
