"""What keeps the outbox honest, run by every ``commerce worker`` process:

- the **sweeper** relays due jobs that no broker is known to hold (the broker was down at
  commit, the web process died between commit and relay, a broker lost its queue) and gives
  back jobs whose worker died: a running job whose lease (``[jobs] lease_seconds``, kept alive
  by a heartbeat while the task runs) has expired goes back to the queue, or fails when it
  has no attempt left;
- the **periodic scheduler** creates each periodic job once per matching minute. The job
  carries a unique key ``periodic:<task>:<minute>``, so when several workers run, the
  database lets exactly one of them create it.

Both are safe to run in any number of processes at once: every change is a conditional
update, and a duplicate delivery of a job finds it no longer waiting and is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from huey import crontab
from loguru import logger

from kernel.domain.clock import utcnow
from kernel.jobs import TaskSpec, domain
from kernel.jobs.huey_queue import HueyDispatcher, OutboxJobQueue
from kernel.jobs.repository import JobRunRepository

# A job younger than this is left to the relay of the process that committed it.
RELAY_GRACE = timedelta(seconds=5)


@dataclass
class SweepReport:
    relayed: int = 0
    recovered: int = 0
    failed: int = 0


class Sweeper:
    def __init__(self, repository: JobRunRepository, dispatcher: HueyDispatcher, lease: timedelta,
                 clock: Callable[[], datetime] = utcnow, grace: timedelta = RELAY_GRACE):
        self.repository = repository
        self.dispatcher = dispatcher
        self.lease = lease
        self.clock = clock
        self.grace = grace

    def sweep(self) -> SweepReport:
        report = SweepReport()
        now = self.clock()
        for job in self.repository.expired_leases(now):
            state = self.repository.release_expired(job, now)
            if state == domain.RETRYING:
                logger.warning("job {} {}: its worker was lost during attempt {}; queued again", job.id, job.task,
                               job.attempts)
                report.recovered += 1
                self.dispatcher.dispatch(job.id)
            elif state == domain.FAILED:
                logger.error("job {} {}: its worker was lost during its last attempt ({}); failed", job.id,
                             job.task, job.attempts)
                report.failed += 1
        for job in self.repository.undispatched(now, self.grace, redispatch_after=self.lease):
            if self.dispatcher.dispatch(job.id):
                report.relayed += 1
        if report.relayed:
            logger.info("sweeper relayed {} job(s) left in the outbox", report.relayed)
        return report


def cron(expression: str) -> Callable[[datetime], bool]:
    """A five-field cron expression (minute hour day month day-of-week, UTC) as a test on datetimes."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"schedule {expression!r}: expected five cron fields (minute hour day month day-of-week)")
    minute, hour, day, month, day_of_week = fields
    try:
        return crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week, strict=True)
    except ValueError as exc:
        raise ValueError(f"schedule {expression!r}: {exc}") from None


class PeriodicScheduler:
    def __init__(self, repository: JobRunRepository, queue: OutboxJobQueue, dispatcher: HueyDispatcher,
                 specs: list[TaskSpec], clock: Callable[[], datetime] = utcnow):
        self.repository = repository
        self.queue = queue
        self.dispatcher = dispatcher
        self.schedules = [(spec, cron(spec.schedule)) for spec in specs if spec.schedule]
        self.clock = clock
        self._last_minute: datetime | None = None

    def tick(self) -> list[str]:
        """Create the jobs due in the current minute (once per minute); returns their task names."""
        minute = self.clock().replace(second=0, microsecond=0)
        if minute == self._last_minute:
            return []
        self._last_minute = minute
        created = []
        for spec, matches in self.schedules:
            if not matches(minute):
                continue
            job_id = self.repository.add_unique(
                task=spec.name, args=[], kwargs={}, max_attempts=self.queue.retries(spec) + 1,
                retry_delay=self.queue.retry_delay(spec), run_after=minute,
                unique_key=f"periodic:{spec.name}:{minute.isoformat()}",
            )
            if job_id is not None:  # another worker created this minute's run already
                created.append(spec.name)
                self.dispatcher.dispatch(job_id)
        return created
