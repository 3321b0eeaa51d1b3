"""kernel: job runs and outbox

Revision ID: kernel_0003
Revises: kernel_0002
Create Date: 2026-11-25
"""

revision = "kernel_0003"
down_revision = "kernel_0002"
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
