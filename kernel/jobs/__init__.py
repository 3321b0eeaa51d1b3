"""Background jobs on Huey: task declarations that plugins return from ``commerce_tasks``.

Ask for a job with ``commerce().jobs.enqueue("orders.send_confirmation", order_id)`` inside
your unit of work: it is stored in the ``job_runs`` outbox in your transaction and handed
to the worker only once that transaction commits (see ``docs/jobs.md``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TaskSpec:
    """A background task.

    ``func`` receives the task's JSON arguments and runs inside its site's app context with
    a session of its own (open a unit of work and commit it). A job may run more than once
    (at-least-once delivery), so write ``func`` to be idempotent.
    ``schedule`` (a five-field cron expression such as ``"0 3 * * *"``, UTC) makes it periodic.
    ``retries`` bounds the retries after the first attempt; the n-th retry waits
    ``retry_delay * 2**(n-1)`` seconds (at most an hour). ``None`` takes the site's
    ``[jobs] retries`` / ``retry_delay``.
    """

    name: str
    func: Callable
    retries: int | None = None
    retry_delay: int | None = None
    schedule: str | None = None
