"""Persistence of job runs. The outbox row is inserted in the caller's session (its
transaction); every later state change is a short transaction of its own on the engine,
so that it never mixes with a task's or a request's work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kernel.domain.clock import utcnow
from kernel.jobs import domain
from kernel.jobs.orm import job_runs


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@dataclass
class JobRun:
    id: uuid.UUID
    task: str
    arguments: dict
    state: str
    attempts: int
    max_attempts: int
    retry_delay: int
    unique_key: str | None
    request_id: str | None
    created_at: datetime
    run_after: datetime
    dispatched_at: datetime | None
    started_at: datetime | None
    lease_expires_at: datetime | None
    finished_at: datetime | None
    error: str | None
    traceback: str | None

    @classmethod
    def from_row(cls, row) -> JobRun:
        values = dict(row._mapping)
        for key, value in values.items():
            if isinstance(value, datetime):
                values[key] = aware(value)
        return cls(**values)

    @property
    def args(self) -> list:
        return list(self.arguments.get("args", []))

    @property
    def kwargs(self) -> dict:
        return dict(self.arguments.get("kwargs", {}))

    @property
    def arguments_summary(self) -> str:
        return domain.arguments_summary(self.args, self.kwargs)


# Built once: a statement object keeps its cache key, so a checkout's job costs no statement building.
_ADD = job_runs.insert()
_DISPATCHED = (job_runs.update().where(job_runs.c.id.in_(sa.bindparam("ids", expanding=True)))
               .values(dispatched_at=sa.bindparam("at")))


class JobRunRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    # --- the outbox: written in the caller's transaction -------------------------

    @staticmethod
    def add(session: Session, *, task: str, args: list, kwargs: dict, max_attempts: int, retry_delay: int,
            run_after: datetime, unique_key: str | None = None, request_id: str | None = None,
            dispatched_at: datetime | None = None) -> uuid.UUID:
        """``dispatched_at``: when the caller will hand the job to the broker right after its commit."""
        job_id = uuid.uuid4()
        session.execute(_ADD, dict(
            id=job_id, task=task, arguments={"args": list(args), "kwargs": dict(kwargs)}, state=domain.QUEUED,
            attempts=0, max_attempts=max_attempts, retry_delay=retry_delay, unique_key=unique_key,
            request_id=request_id, created_at=utcnow(), run_after=run_after, dispatched_at=dispatched_at,
        ))
        return job_id

    def add_unique(self, **values) -> uuid.UUID | None:
        """Insert a job in a transaction of its own unless one with its ``unique_key`` exists
        (the database decides, so concurrent schedulers create it once)."""
        try:
            with Session(self.engine) as session, session.begin():
                return self.add(session, **values)
        except sa.exc.IntegrityError:
            return None

    # --- relay and worker ---------------------------------------------------------

    def mark_dispatched(self, job_ids: list[uuid.UUID], now: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(_DISPATCHED, {"ids": list(job_ids), "at": now})

    def mark_undispatched(self, job_ids: list[uuid.UUID]) -> None:
        """No broker holds these after all: the sweeper relays them once they are ``grace`` old."""
        with self.engine.begin() as conn:
            conn.execute(_DISPATCHED, {"ids": list(job_ids), "at": None})

    def claim(self, job_id: uuid.UUID, now: datetime, lease: timedelta) -> JobRun | None:
        """Start an attempt if the job is waiting; None if another delivery already took it."""
        with self.engine.begin() as conn:
            claimed = conn.execute(
                job_runs.update()
                .where(job_runs.c.id == job_id, job_runs.c.state.in_(domain.WAITING))
                .values(state=domain.RUNNING, attempts=job_runs.c.attempts + 1, started_at=now,
                        lease_expires_at=now + lease, finished_at=None)
            ).rowcount
            if not claimed:
                return None
            return JobRun.from_row(conn.execute(sa.select(job_runs).where(job_runs.c.id == job_id)).one())

    def extend_lease(self, job_id: uuid.UUID, until: datetime) -> None:
        with self.engine.begin() as conn:
            conn.execute(job_runs.update().where(job_runs.c.id == job_id, job_runs.c.state == domain.RUNNING)
                         .values(lease_expires_at=until))

    def succeeded(self, job_id: uuid.UUID, attempt: int, now: datetime) -> None:
        self._finish(job_id, attempt, state=domain.SUCCEEDED, finished_at=now, lease_expires_at=None, error=None,
                     traceback=None)

    def failed(self, job_id: uuid.UUID, attempt: int, now: datetime, error: str, traceback: str | None) -> None:
        self._finish(job_id, attempt, state=domain.FAILED, finished_at=now, lease_expires_at=None, error=error,
                     traceback=traceback)

    def retry_later(self, job_id: uuid.UUID, attempt: int, run_after: datetime, error: str,
                    traceback: str | None) -> None:
        self._finish(job_id, attempt, state=domain.RETRYING, run_after=run_after, lease_expires_at=None,
                     dispatched_at=None, error=error, traceback=traceback)

    def _finish(self, job_id: uuid.UUID, attempt: int, **values) -> None:
        # Only the attempt that holds the job may record its outcome (a run whose lease
        # expired and was taken over must not overwrite its successor's state).
        with self.engine.begin() as conn:
            conn.execute(job_runs.update().where(job_runs.c.id == job_id, job_runs.c.state == domain.RUNNING,
                                                 job_runs.c.attempts == attempt).values(**values))

    # --- the sweeper --------------------------------------------------------------

    def undispatched(self, now: datetime, grace: timedelta, redispatch_after: timedelta,
                     limit: int = 500) -> list[JobRun]:
        """Waiting jobs that are due but that no broker is known to hold: never relayed (the
        broker was down, the web process died after its commit) or relayed long ago."""
        query = (
            sa.select(job_runs)
            .where(job_runs.c.state.in_(domain.WAITING), job_runs.c.run_after <= now - grace,
                   sa.or_(job_runs.c.dispatched_at.is_(None), job_runs.c.dispatched_at <= now - redispatch_after))
            .order_by(job_runs.c.run_after).limit(limit)
        )
        with self.engine.connect() as conn:
            return [JobRun.from_row(row) for row in conn.execute(query)]

    def expired_leases(self, now: datetime, limit: int = 500) -> list[JobRun]:
        query = (sa.select(job_runs).where(job_runs.c.state == domain.RUNNING, job_runs.c.lease_expires_at < now)
                 .limit(limit))
        with self.engine.connect() as conn:
            return [JobRun.from_row(row) for row in conn.execute(query)]

    def release_expired(self, job: JobRun, now: datetime) -> str | None:
        """Give a job whose worker vanished back to the queue, or fail it when it has no
        attempt left; returns the new state (None when the job moved on meanwhile)."""
        error = f"worker lost: the lease of attempt {job.attempts} expired (the worker died or hung)"
        if domain.should_retry(job.attempts, job.max_attempts):
            values = dict(state=domain.RETRYING, run_after=now, dispatched_at=None, lease_expires_at=None,
                          error=error)
        else:
            values = dict(state=domain.FAILED, finished_at=now, lease_expires_at=None, error=error)
        with self.engine.begin() as conn:
            released = conn.execute(
                job_runs.update().where(job_runs.c.id == job.id, job_runs.c.state == domain.RUNNING,
                                        job_runs.c.attempts == job.attempts,
                                        job_runs.c.lease_expires_at < now).values(**values)
            ).rowcount
        return values["state"] if released else None

    def prune(self, finished_before: datetime) -> int:
        with self.engine.begin() as conn:
            return conn.execute(job_runs.delete().where(
                job_runs.c.state.in_((domain.SUCCEEDED, domain.FAILED)),
                job_runs.c.finished_at < finished_before,
            )).rowcount

    # --- monitoring -----------------------------------------------------------------

    def get(self, job_id: uuid.UUID) -> JobRun | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(job_runs).where(job_runs.c.id == job_id)).one_or_none()
        return JobRun.from_row(row) if row is not None else None

    def page(self, *, state: str | None, task: str | None, page: int, page_size: int) -> tuple[list[JobRun], int]:
        conditions = []
        if state:
            conditions.append(job_runs.c.state == state)
        if task:
            conditions.append(job_runs.c.task == task)
        query = sa.select(job_runs).where(*conditions)
        with self.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.count()).select_from(job_runs).where(*conditions)).scalar_one()
            rows = conn.execute(query.order_by(job_runs.c.created_at.desc(), job_runs.c.id)
                                .offset((page - 1) * page_size).limit(page_size))
            return [JobRun.from_row(row) for row in rows], total

    def counts_by_state(self) -> dict[str, int]:
        query = sa.select(job_runs.c.state, sa.func.count()).group_by(job_runs.c.state)
        with self.engine.connect() as conn:
            counts = dict(conn.execute(query).all())
        return {state: counts.get(state, 0) for state in domain.STATES}

    def latest_failures(self, limit: int) -> list[JobRun]:
        query = (sa.select(job_runs).where(job_runs.c.state == domain.FAILED)
                 .order_by(job_runs.c.finished_at.desc()).limit(limit))
        with self.engine.connect() as conn:
            return [JobRun.from_row(row) for row in conn.execute(query)]

    def requeue_failed(self, job_id: uuid.UUID, now: datetime) -> bool:
        """A failed job gets a fresh set of attempts; its last error stays until the next outcome."""
        with self.engine.begin() as conn:
            return bool(conn.execute(
                job_runs.update().where(job_runs.c.id == job_id, job_runs.c.state == domain.FAILED)
                .values(state=domain.QUEUED, attempts=0, run_after=now, dispatched_at=None, finished_at=None)
            ).rowcount)
