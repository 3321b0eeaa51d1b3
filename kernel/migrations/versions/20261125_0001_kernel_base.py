"""kernel branch base

Revision ID: kernel_0001
Revises:
Create Date: 2026-11-25
"""

revision = "kernel_0001"
down_revision = None
branch_labels = ("kernel",)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
