"""Background jobs on Huey: task declarations that plugins return from ``commerce_tasks``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TaskSpec:
    """A background task.

    ``func`` receives the task's arguments and runs inside its site's app context.
    ``schedule`` (a five-field cron expression such as ``"0 3 * * *"``) makes it periodic.
    ``retries``/``retry_delay`` (seconds, doubled on each attempt) bound the retries.
    """

    name: str
    func: Callable
    retries: int = 5
    retry_delay: int = 10
    schedule: str | None = None
