"""One Huey instance per site, from ``[jobs] url``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from kernel.domain.ports.jobs import JobQueue
from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from kernel.jobs import TaskSpec


def create_huey(url: str, name: str) -> Huey:
    if url == "immediate":
        return MemoryHuey(name, immediate=True)
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(name, url=url)
    raise ValueError(f"[jobs] url: unsupported job queue URL {url!r} (immediate, sqlite:///..., redis://...)")


def register_tasks(huey: Huey, app: Flask, specs: list[TaskSpec]) -> dict:
    """Bind each task to this site's Huey; each run gets a fresh app context."""
    tasks = {}
    for spec in specs:
        def run(*args, _spec=spec, **kwargs):
            with app.app_context():
                return _spec.func(*args, **kwargs)

        run.__name__ = spec.name
        if spec.schedule:
            minute, hour, day, month, day_of_week = spec.schedule.split()
            schedule = crontab(minute=minute, hour=hour, day=day, month=month, day_of_week=day_of_week)
            tasks[spec.name] = huey.periodic_task(schedule, name=spec.name, retries=spec.retries,
                                                  retry_delay=spec.retry_delay)(run)
        else:
            tasks[spec.name] = huey.task(name=spec.name, retries=spec.retries, retry_delay=spec.retry_delay)(run)
    return tasks


class HueyJobQueue(JobQueue):
    def __init__(self, tasks: dict):
        self._tasks = tasks

    def enqueue(self, task: str, *args, delay: timedelta | None = None, **kwargs) -> None:
        if task not in self._tasks:
            raise KeyError(f"no task named {task!r} on this site")
        call = self._tasks[task]
        if delay:
            SqlAlchemyUnitOfWork().after_commit(lambda: call.schedule(args, kwargs, delay=delay.total_seconds()))
        else:
            SqlAlchemyUnitOfWork().after_commit(lambda: call(*args, **kwargs))
