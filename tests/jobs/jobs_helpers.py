"""Helpers shared by the jobs tests."""

import json
import time
from pathlib import Path

from kernel.infrastructure.db import SqlAlchemyUnitOfWork


def enqueue_and_commit(app, task, *args, **kwargs):
    """Ask for a job inside a unit of work, as a use case does, and commit."""
    with app.test_request_context():
        with SqlAlchemyUnitOfWork() as uow:
            job_id = app.extensions["commerce"].jobs.enqueue(task, *args, **kwargs)
            uow.commit()
    return job_id


def job(app, job_id):
    
    return app.extensions["commerce"].jobs_platform.repository.get(job_id)


def wait_for(predicate, timeout=60.0, what="condition"):
    """Poll until ``predicate()`` is true; fail after ``timeout`` seconds (a bound, not a measurement)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def write_worker_site(app, path: Path) -> Path:
    """A TOML site file naming the same site, database and queue as ``app``."""
    site = app.extensions["commerce"].site
    jobs = {key: value for key, value in site.jobs.items() if value is not None}
    lines = ["[site]", f"name = {json.dumps(site.name)}", "[database]", f"url = {json.dumps(site.database['url'])}",
             "[jobs]"] + [f"{key} = {json.dumps(value)}" for key, value in jobs.items()] + ["[logging]", 'level = "INFO"']
    path.write_text("\n".join(lines) + "\n")
    return path
