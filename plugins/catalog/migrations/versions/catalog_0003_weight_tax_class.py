"""catalog: a variant's weight (for shipping rates by weight) and tax class (for tax rates by class)

Revision ID: catalog_0003
Revises: catalog_0002
Create Date: 2026-12-03

Existing variants have no weight and the standard tax class, which prices them as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "catalog_0003"
down_revision = "catalog_0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("product_variants") as batch:
        batch.add_column(sa.Column("weight", sa.Numeric(10, 3), nullable=True))
        batch.add_column(sa.Column("tax_class", sa.String(32), nullable=False, server_default="standard"))
        batch.create_check_constraint("ck_product_variants_weight_not_negative", "weight >= 0")


def downgrade():
    with op.batch_alter_table("product_variants") as batch:
        batch.drop_constraint("ck_product_variants_weight_not_negative", type_="check")
        batch.drop_column("tax_class")
        batch.drop_column("weight")
