"""Running one job in a worker: claim it, keep its lease alive, run the task in a fresh app
context, and record the outcome (success, a retry with back-off, or failure)."""

from __future__ import annotations

import threading
import traceback
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from loguru import logger

from kernel.domain.clock import utcnow
from kernel.infrastructure.logging import request_id
from kernel.jobs import TaskSpec, domain
from kernel.jobs.repository import JobRun, JobRunRepository


class Heartbeat:
    """While a job runs, push its lease forward every third of the lease."""

    def __init__(self, repository: JobRunRepository, job_id: uuid.UUID, lease: timedelta,
                 clock: Callable[[], datetime]):
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, args=(repository, job_id, lease, clock),
                                        name=f"heartbeat-{job_id}", daemon=True)

    def _beat(self, repository, job_id, lease, clock) -> None:
        while not self._stop.wait(lease.total_seconds() / 3):
            try:
                repository.extend_lease(job_id, clock() + lease)
            except Exception as exc:  # the database blinked: the next beat tries again
                logger.warning("job {}: lease not extended ({}: {})", job_id, type(exc).__name__, exc)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


class JobRunner:
    def __init__(self, app: Flask, repository: JobRunRepository, specs: dict[str, TaskSpec], lease: timedelta,
                 dispatch: Callable[[uuid.UUID, timedelta], bool], clock: Callable[[], datetime] = utcnow):
        self.app = app
        self.repository = repository
        self.specs = specs
        self.lease = lease
        self.dispatch = dispatch
        self.clock = clock

    def run(self, job_id: str) -> None:
        """Huey's entry point. Never raises: the outcome lives in ``job_runs``."""
        job = self.repository.claim(uuid.UUID(job_id), self.clock(), self.lease)
        if job is None:
            logger.debug("job {} is not waiting (a duplicate delivery): skipped", job_id)
            return
        token = request_id.set(job.request_id or f"job-{job.id.hex[:12]}")
        try:
            with logger.contextualize(job_id=str(job.id), task=job.task):
                retry_in = self._attempt(job)
            if retry_in is not None:
                self.dispatch(job.id, retry_in)
        finally:
            request_id.reset(token)

    def _attempt(self, job: JobRun) -> timedelta | None:
        """Run one attempt; returns the delay before the next one when the job is to be retried."""
        with Heartbeat(self.repository, job.id, self.lease, self.clock):
            try:
                spec = self.specs.get(job.task)
                if spec is None:
                    raise LookupError(f"no task named {job.task!r} on this site (is its plugin enabled?)")
                with self.app.app_context():
                    spec.func(*job.args, **job.kwargs)
            except Exception as exc:
                return self._failed(job, exc)
        self.repository.succeeded(job.id, job.attempts, self.clock())
        logger.info("job {} {} succeeded (attempt {})", job.id, job.task, job.attempts)
        return None

    def _failed(self, job: JobRun, exc: Exception) -> timedelta | None:
        error = f"{type(exc).__name__}: {exc}"
        trace = traceback.format_exc()
        if domain.should_retry(job.attempts, job.max_attempts):
            delay = domain.retry_delay(job.attempts, job.retry_delay)
            logger.opt(exception=exc).warning("job {} {} failed (attempt {} of {}), retrying in {}s: {}", job.id,
                                              job.task, job.attempts, job.max_attempts, delay.total_seconds(), error)
            self.repository.retry_later(job.id, job.attempts, self.clock() + delay, error, trace)
            return delay
        logger.opt(exception=exc).error("job {} {} failed after {} attempt(s): {}", job.id, job.task,
                                        job.attempts, error)
        self.repository.failed(job.id, job.attempts, self.clock(), error, trace)
        return None
