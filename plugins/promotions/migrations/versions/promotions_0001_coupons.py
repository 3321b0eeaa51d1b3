"""promotions: coupons and their redemptions

Revision ID: promotions_0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "promotions_0001"
down_revision = None
branch_labels = ("promotions",)
depends_on = "kernel_0003"

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MONEY = sa.Numeric(12, 2)
WHEN = sa.DateTime(timezone=True)


def upgrade():
    op.create_table(
        "promotions",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("description", sa.String(200), nullable=False, server_default=""),
        sa.Column("discount_type", sa.String(20), nullable=False),
        sa.Column("value", MONEY, nullable=False),
        sa.Column("product_ids", JSON, nullable=False, server_default="[]"),
        sa.Column("min_subtotal", MONEY, nullable=True),
        sa.Column("starts_at", WHEN, nullable=True),
        sa.Column("ends_at", WHEN, nullable=True),
        sa.Column("usage_limit", sa.Integer, nullable=True),
        sa.Column("per_customer_limit", sa.Integer, nullable=True),
        sa.Column("times_used", sa.Integer, nullable=False, server_default="0"),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", WHEN, nullable=False),
        sa.CheckConstraint("usage_limit IS NULL OR times_used <= usage_limit",
                           name=op.f("ck_promotions_within_usage_limit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotions")),
        sa.UniqueConstraint("code", name=op.f("uq_promotions_code")),
    )
    op.create_table(
        "promotion_redemptions",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("promotion_id", sa.Uuid, nullable=False),
        sa.Column("order_id", sa.Uuid, nullable=False),
        sa.Column("customer_id", sa.Uuid, nullable=True),
        sa.Column("customer_email", sa.String(255), nullable=True),
        sa.Column("redeemed_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["promotion_id"], ["promotions.id"],
                                name=op.f("fk_promotion_redemptions_promotion_id_promotions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["customer_id"], ["users.id"],
                                name=op.f("fk_promotion_redemptions_customer_id_users"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_promotion_redemptions")),
        sa.UniqueConstraint("promotion_id", "order_id", name=op.f("uq_promotion_redemptions_promotion_id")),
    )
    op.create_index("ix_promotion_redemptions_promotion_id_customer_id", "promotion_redemptions",
                    ["promotion_id", "customer_id"])


def downgrade():
    op.drop_table("promotion_redemptions")
    op.drop_table("promotions")
