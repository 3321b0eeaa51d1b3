import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kernel.plugins
from kernel.infrastructure.db import SqlAlchemyUnitOfWork

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TEST_MODULE = "jobs_test_plugin"


@pytest.fixture(autouse=True)
def test_tasks(monkeypatch):
    """Every site built in these tests has the test tasks of ``jobs_test_plugin``."""
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setattr(kernel.plugins, "KERNEL_MODULES", kernel.plugins.KERNEL_MODULES + (TEST_MODULE,))


def enqueue_and_commit(app, task, *args, **kwargs):
    """Ask for a job inside a unit of work, as a use case does, and commit."""
    with app.test_request_context():
        with SqlAlchemyUnitOfWork() as uow:
            job_id = app.extensions["commerce"].jobs.enqueue(task, *args, **kwargs)
            uow.commit()
    return job_id


def job(app, job_id):
    from kernel.jobs.platform import EXTENSION

    return app.extensions[EXTENSION].repository.get(job_id)


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


@pytest.fixture
def start_worker(tmp_path):
    """Factory: start a real ``commerce worker`` for a site file; every worker is killed at teardown."""
    processes = []

    def start(site_file: Path, workers: int = 2) -> subprocess.Popen:
        log = open(tmp_path / f"worker{len(processes)}.log", "wb")
        prelude = (f"import kernel.plugins as p; p.KERNEL_MODULES += ({TEST_MODULE!r},); "
                   "from kernel.cli import main; main()")
        process = subprocess.Popen(
            [sys.executable, "-c", prelude, "--site", str(site_file), "worker", "--workers", str(workers)],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)])},
        )
        process.log_path = log.name
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        log.close()
