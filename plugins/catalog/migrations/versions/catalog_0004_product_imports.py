"""catalog: product_imports, CSV imports run in the background with their progress

Revision ID: catalog_0004
Revises: catalog_0003
Create Date: 2026-12-03

One row per import started from the console: the uploaded file until the job has read it,
then the rows done out of the file's total, the created, updated and rejected counts and the
rejected rows' messages.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "catalog_0004"
down_revision = "catalog_0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    op.create_table(
        "product_imports",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=True),
        sa.Column("total_rows", sa.Integer, nullable=False),
        sa.Column("rows_done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("errors", JSON, nullable=False),
        sa.Column("failure", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_product_imports"),
        sa.CheckConstraint("state IN ('queued', 'running', 'done', 'failed')", name="ck_product_imports_state"),
    )


def downgrade():
    op.drop_table("product_imports")
