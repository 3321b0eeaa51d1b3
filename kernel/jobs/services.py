"""Monitoring use cases (the Hangfire dashboard's role): list, inspect, retry, summarise, prune."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kernel.domain.clock import utcnow
from kernel.domain.errors import Conflict, NotFound
from kernel.jobs import domain
from kernel.jobs.huey_queue import HueyDispatcher
from kernel.jobs.repository import JobRun, JobRunRepository


@dataclass
class Overview:
    counts: dict[str, int]
    latest_failures: list[JobRun]
    latest: list[JobRun]


class JobMonitor:
    def __init__(self, repository: JobRunRepository, dispatcher: HueyDispatcher,
                 clock: Callable[[], datetime] = utcnow):
        self.repository = repository
        self.dispatcher = dispatcher
        self.clock = clock

    def list(self, *, state: str | None = None, task: str | None = None, page: int = 1,
             page_size: int = 20) -> tuple[list[JobRun], int]:
        return self.repository.page(state=state, task=task, page=page, page_size=page_size)

    def get(self, job_id: uuid.UUID) -> JobRun:
        job = self.repository.get(job_id)
        if job is None:
            raise NotFound("No such job.")
        return job

    def retry(self, job_id: uuid.UUID) -> JobRun:
        """Give a failed job a fresh set of attempts (the old error stays until the next outcome)."""
        job = self.get(job_id)
        if job.state != domain.FAILED or not self.repository.requeue_failed(job_id, self.clock()):
            raise Conflict(f"Only a failed job can be retried; this one is {job.state}.",
                           extra={"state": job.state})
        self.dispatcher.dispatch(job_id)
        return self.get(job_id)

    def counts(self) -> dict[str, int]:
        return self.repository.counts_by_state()

    def overview(self, failures: int = 10, latest: int = 20) -> Overview:
        recent, _ = self.repository.page(state=None, task=None, page=1, page_size=latest)
        return Overview(self.counts(), self.repository.latest_failures(failures), recent)

    def prune(self, keep_days: int) -> int:
        """Forget finished jobs older than ``keep_days`` (waiting and running ones are kept)."""
        return self.repository.prune(self.clock() - timedelta(days=keep_days))
