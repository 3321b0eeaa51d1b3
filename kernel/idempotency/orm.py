"""The ``idempotency_keys`` table: one row per claimed key, with the answer once it is known."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kernel.infrastructure.db import UtcDateTime, metadata

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("owner", sa.Uuid, primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),
    sa.Column("status_code", sa.SmallInteger),
    sa.Column("response", JSON),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
)
