"""The ``job_runs`` table: the transactional outbox and the monitoring record in one row per job."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kernel.infrastructure.db import UtcDateTime, metadata

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

job_runs = sa.Table(
    "job_runs",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("task", sa.String(200), nullable=False),
    sa.Column("arguments", JSON, nullable=False),  # {"args": [...], "kwargs": {...}}
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("max_attempts", sa.Integer, nullable=False),
    sa.Column("retry_delay", sa.Integer, nullable=False),  # seconds before the first retry
    sa.Column("unique_key", sa.String(255), nullable=True, unique=True),  # e.g. a periodic run's minute
    sa.Column("request_id", sa.String(64), nullable=True),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("run_after", UtcDateTime(), nullable=False),
    sa.Column("dispatched_at", UtcDateTime(), nullable=True),
    sa.Column("started_at", UtcDateTime(), nullable=True),
    sa.Column("lease_expires_at", UtcDateTime(), nullable=True),
    sa.Column("finished_at", UtcDateTime(), nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("traceback", sa.Text, nullable=True),
    sa.CheckConstraint("state IN ('queued', 'running', 'succeeded', 'failed', 'retrying')", name="state"),
    sa.Index("ix_job_runs_state_run_after", "state", "run_after"),
    sa.Index("ix_job_runs_task_created_at", "task", "created_at"),
    sa.Index("ix_job_runs_created_at", "created_at"),
)
