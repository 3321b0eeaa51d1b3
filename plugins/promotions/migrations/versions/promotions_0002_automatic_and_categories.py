"""promotions: automatic promotions (no code) and categories as a promotion's target

Revision ID: promotions_0002
Revises: promotions_0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "promotions_0002"
down_revision = "promotions_0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    with op.batch_alter_table("promotions") as batch:
        batch.add_column(sa.Column("category_ids", JSON, nullable=False, server_default="[]"))
        batch.alter_column("code", existing_type=sa.String(64), nullable=True)


def downgrade():
    op.execute("DELETE FROM promotions WHERE code IS NULL")  # automatic promotions cannot be kept
    with op.batch_alter_table("promotions") as batch:
        batch.alter_column("code", existing_type=sa.String(64), nullable=False)
        batch.drop_column("category_ids")
