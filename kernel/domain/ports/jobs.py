"""The job queue port: ask for background work that runs after the current transaction commits."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import timedelta


class JobQueue(ABC):
    @abstractmethod
    def enqueue(self, task: str, *args, delay: timedelta | None = None, **kwargs) -> None:
        """Run task ``task`` (a registered task name) with JSON-serialisable arguments once the
        caller's transaction commits; nothing runs if it rolls back."""
