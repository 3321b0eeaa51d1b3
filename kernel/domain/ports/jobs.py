"""The job queue port: ask for background work that runs after the current transaction commits."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from datetime import timedelta


class JobQueue(ABC):
    @abstractmethod
    def enqueue(self, task: str, *args, delay: timedelta | None = None, **kwargs) -> uuid.UUID | None:
        """Run task ``task`` (a registered task name) with JSON-serialisable arguments once the
        caller's transaction commits; nothing runs if it rolls back. Returns the job's id
        (for the monitoring API) when the queue records jobs."""
