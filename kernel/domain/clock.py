"""The one clock use cases default to: aware UTC (every stored time is UTC)."""

from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
