"""Tasks for the jobs tests. Registered like a kernel module: in-process by the ``test_tasks``
fixture, in a ``commerce worker`` subprocess by ``conftest.worker_command``. Each task leaves
its trace in a file whose path it receives, so a test can see what ran in another process."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kernel.context import commerce
from kernel.jobs import TaskSpec
from kernel.plugins import hookimpl


def _append(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(line + "\n")


def record(path: str, text: str) -> None:
    _append(path, f"{text} site={commerce().site.name}")


def slow(path: str, seconds: float) -> None:
    """Marks its start (with the worker's pid), sleeps, then marks its end."""
    _append(path, f"started pid={os.getpid()}")
    time.sleep(seconds)
    _append(path, "done")


def fail(message: str) -> None:
    raise RuntimeError(message)


def flaky(path: str, failures: int) -> None:
    """Fails its first ``failures`` runs, then succeeds."""
    runs = len(Path(path).read_text().splitlines()) if Path(path).exists() else 0
    _append(path, f"run {runs + 1}")
    if runs < failures:
        raise ConnectionError(f"flaky failure {runs + 1}")


@hookimpl
def commerce_tasks(site):
    return [
        TaskSpec("test.record", record),
        TaskSpec("test.slow", slow, retries=3),
        TaskSpec("test.fail", fail, retries=2, retry_delay=0),
        TaskSpec("test.flaky", flaky, retries=3, retry_delay=0),
        TaskSpec("test.every_minute", lambda: None, schedule="* * * * *"),
    ]
