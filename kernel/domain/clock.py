"""The one clock use cases default to: aware UTC (every stored time is UTC)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
