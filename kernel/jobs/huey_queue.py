"""One Huey instance per site, from ``[jobs] url``, and the two ends of the outbox around it:
:class:`OutboxJobQueue` stores a job in the caller's transaction, :class:`HueyDispatcher`
(the relay) hands it to Huey once that transaction has committed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import redis
from huey import MemoryHuey, RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper
from loguru import logger

from kernel.domain.clock import utcnow
from kernel.domain.ports.jobs import JobQueue
from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from kernel.infrastructure.logging import request_id
from kernel.jobs import TaskSpec
from kernel.jobs.repository import JobRunRepository

READ_TIMEOUT = 1  # seconds a consumer waits on an empty Redis queue (huey's default)


def create_huey(url: str, name: str, redis_options: dict[str, float]) -> Huey:
    """The site's queue. On Redis the consumer's blocking read waits ``READ_TIMEOUT`` seconds, so
    its socket timeout is that plus the site's: an enqueue on a hung Redis gives up after both."""
    if url == "immediate":
        return MemoryHuey(name, immediate=True, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        options = {**redis_options, "socket_timeout": READ_TIMEOUT + redis_options["socket_timeout"]}
        return RedisHuey(name, connection_pool=redis.ConnectionPool.from_url(url, **options), results=False,
                         read_timeout=READ_TIMEOUT)
    raise ValueError(f"[jobs] url: unsupported job queue URL {url!r} (immediate, sqlite:///..., redis://...)")


class HueyDispatcher:
    """The relay: put a stored job's id on the broker and note when it was handed over.

    A failure to reach the broker is logged and left to the sweeper, which relays every
    due job that no broker is known to hold."""

    def __init__(self, run_task: TaskWrapper, repository: JobRunRepository, clock: Callable[[], datetime] = utcnow):
        self.run_task = run_task
        self.repository = repository
        self.clock = clock

    def dispatch(self, job_id: uuid.UUID, delay: timedelta | None = None) -> bool:
        """Relay a job and note when (the sweeper's and the retries' way)."""
        if not self._push(job_id, delay):
            return False
        self.repository.mark_dispatched([job_id], self.clock())
        return True

    def hand_over(self, job_id: uuid.UUID, delay: timedelta | None = None) -> None:
        """Relay a job just committed with its ``dispatched_at`` already set, so that the happy
        path writes nothing more; a broker that refuses it clears the mark for the sweeper. Should
        the process die between the commit and the push, the sweeper relays the job a lease later
        instead of 5 s later."""
        if not self._push(job_id, delay):
            self.repository.mark_undispatched([job_id])

    def _push(self, job_id: uuid.UUID, delay: timedelta | None) -> bool:
        try:
            if delay and delay.total_seconds() > 0:
                self.run_task.schedule((str(job_id),), delay=delay.total_seconds())
            else:
                self.run_task(str(job_id))
        except Exception as exc:  # broker down: the job stays in the outbox
            logger.warning("job {} not handed to the broker ({}: {}); the sweeper will relay it",
                           job_id, type(exc).__name__, exc)
            return False
        return True


class OutboxJobQueue(JobQueue):
    """``enqueue`` writes a ``job_runs`` row in the caller's transaction and relays it after commit."""

    def __init__(self, specs: dict[str, TaskSpec], defaults: dict, dispatcher: HueyDispatcher,
                 clock: Callable[[], datetime] = utcnow):
        self.specs = specs
        self.defaults = defaults
        self.dispatcher = dispatcher
        self.clock = clock

    def enqueue(self, task: str, *args, delay: timedelta | None = None, **kwargs) -> uuid.UUID:
        spec = self.specs.get(task)
        if spec is None:
            raise KeyError(f"no task named {task!r} on this site")
        try:
            json.dumps([args, kwargs])
        except (TypeError, ValueError) as exc:
            raise TypeError(f"job {task!r}: arguments must be JSON values (pass ids as strings): {exc}") from None
        uow = SqlAlchemyUnitOfWork()
        now = self.clock()
        job_id = JobRunRepository.add(
            uow.session, task=task, args=list(args), kwargs=kwargs,
            max_attempts=self.retries(spec) + 1, retry_delay=self.retry_delay(spec),
            run_after=now + (delay or timedelta(0)), request_id=_request_id(), dispatched_at=now,
        )
        uow.after_commit(lambda: self.dispatcher.hand_over(job_id, delay))
        return job_id

    def retries(self, spec: TaskSpec) -> int:
        return self.defaults["retries"] if spec.retries is None else spec.retries

    def retry_delay(self, spec: TaskSpec) -> int:
        return self.defaults["retry_delay"] if spec.retry_delay is None else spec.retry_delay


def _request_id() -> str | None:
    value = request_id.get()
    return None if value == "-" else value
