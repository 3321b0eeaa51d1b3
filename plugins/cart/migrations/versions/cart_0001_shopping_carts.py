"""cart: shopping_carts and cart_items

Revision ID: cart_0001
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "cart_0001"
down_revision = None
branch_labels = ("cart",)
depends_on = "kernel_0003"


def upgrade():
    op.create_table(
        "shopping_carts",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("user_id", sa.Uuid, nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(user_id IS NULL) <> (token_hash IS NULL)", name=op.f("ck_shopping_carts_one_owner")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_shopping_carts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shopping_carts")),
        sa.UniqueConstraint("user_id", name=op.f("uq_shopping_carts_user_id")),
    )
    op.create_index(op.f("ix_shopping_carts_updated_at"), "shopping_carts", ["updated_at"])
    op.create_table(
        "cart_items",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("cart_id", sa.Uuid, nullable=False),
        sa.Column("product_id", sa.Uuid, nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("price_when_added", sa.Numeric(12, 2), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_cart_items_quantity_positive")),
        sa.ForeignKeyConstraint(["cart_id"], ["shopping_carts.id"], name=op.f("fk_cart_items_cart_id_shopping_carts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cart_items")),
        sa.UniqueConstraint("cart_id", "product_id", name=op.f("uq_cart_items_cart_id")),
    )


def downgrade():
    op.drop_table("cart_items")
    op.drop_index(op.f("ix_shopping_carts_updated_at"), table_name="shopping_carts")
    op.drop_table("shopping_carts")
