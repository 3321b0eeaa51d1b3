"""kernel: verified emails and address books

Revision ID: kernel_0005
Revises: kernel_0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "kernel_0005"
down_revision = "kernel_0004"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("email_verified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "user_addresses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("street2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("zip_code", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("is_default_shipping", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("is_default_billing", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_addresses_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_addresses")),
    )
    op.create_index(op.f("ix_user_addresses_user_id"), "user_addresses", ["user_id"], unique=False)
    for kind in ("shipping", "billing"):
        op.create_index(f"uq_user_addresses_default_{kind}", "user_addresses", ["user_id"], unique=True,
                        postgresql_where=sa.text(f"is_default_{kind}"), sqlite_where=sa.text(f"is_default_{kind}"))


def downgrade():
    op.drop_table("user_addresses")
    op.drop_column("users", "email_verified_at")
