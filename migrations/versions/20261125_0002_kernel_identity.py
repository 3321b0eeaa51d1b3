"""kernel: users, roles and permissions

Revision ID: kernel_0002
Revises: kernel_0001
Create Date: 2026-11-25
"""

revision = "kernel_0002"
down_revision = "kernel_0001"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
