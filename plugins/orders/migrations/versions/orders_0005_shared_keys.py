"""orders: checkout's idempotency keys move to the kernel's store (kernel_0006)

Revision ID: orders_0005_shared_keys
Revises: orders_0004_price_adjustments
Create Date: 2026-12-03

The keys still alive are copied, so a retry that straddles the upgrade still gets its answer.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "orders_0005_shared_keys"
down_revision = "orders_0004_price_adjustments"
branch_labels = None
depends_on = "kernel_0006"

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
COLUMNS = "key, fingerprint, status_code, response, created_at, expires_at"


def upgrade():
    op.execute(f"INSERT INTO idempotency_keys (owner, {COLUMNS}) SELECT user_id, {COLUMNS} FROM order_idempotency_keys")
    op.drop_table("order_idempotency_keys")


def downgrade():
    op.create_table(
        "order_idempotency_keys",
        sa.Column("user_id", sa.Uuid, nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("status_code", sa.SmallInteger, nullable=True),
        sa.Column("response", JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "key", name=op.f("pk_order_idempotency_keys")),
    )
    op.create_index("ix_order_idempotency_keys_expires_at", "order_idempotency_keys", ["expires_at"])
    op.execute(f"INSERT INTO order_idempotency_keys (user_id, {COLUMNS}) SELECT owner, {COLUMNS} FROM idempotency_keys")
