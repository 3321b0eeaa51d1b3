"""Assemble a site's jobs platform: the outbox queue, the relay, the runner, the sweeper and
the periodic scheduler, around the site's Huey and its ``job_runs`` table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app
from huey.api import Huey

from kernel.infrastructure.db import db
from kernel.jobs import TaskSpec
from kernel.jobs.huey_queue import HueyDispatcher, OutboxJobQueue
from kernel.jobs.maintenance import PeriodicScheduler, Sweeper
from kernel.jobs.repository import JobRunRepository
from kernel.jobs.runner import JobRunner

RUN_JOB_TASK = "commerce.run_job"


@dataclass
class JobsPlatform:
    huey: Huey
    settings: dict
    specs: dict[str, TaskSpec]
    repository: JobRunRepository
    dispatcher: HueyDispatcher
    queue: OutboxJobQueue
    runner: JobRunner
    sweeper: Sweeper
    scheduler: PeriodicScheduler


def build_jobs(app: Flask, settings: dict, huey: Huey, specs: list[TaskSpec]) -> JobsPlatform:
    """Raises ValueError (one line) for a task declared twice or a bad schedule."""
    by_name: dict[str, TaskSpec] = {}
    for spec in specs:
        if spec.name in by_name:
            raise ValueError(f"task {spec.name!r} is declared by two plugins")
        by_name[spec.name] = spec
    with app.app_context():
        repository = JobRunRepository(db.engine)
    lease = timedelta(seconds=settings["lease_seconds"])

    def run_job(job_id: str) -> None:
        platform.runner.run(job_id)

    # Huey carries only the job's id; its arguments stay in the outbox row. Retries are ours.
    run_task = huey.task(name=RUN_JOB_TASK, retries=0)(run_job)
    dispatcher = HueyDispatcher(run_task, repository)
    queue = OutboxJobQueue(by_name, settings, dispatcher)
    platform = JobsPlatform(
        huey=huey, settings=settings, specs=by_name, repository=repository, dispatcher=dispatcher, queue=queue,
        runner=JobRunner(app, repository, by_name, lease, dispatcher.dispatch),
        sweeper=Sweeper(repository, dispatcher, lease),
        scheduler=PeriodicScheduler(repository, queue, dispatcher, specs),
    )
    return platform


def jobs_platform() -> JobsPlatform:
    """The current site's jobs platform (inside an app context)."""
    return current_app.extensions["commerce"].jobs_platform
