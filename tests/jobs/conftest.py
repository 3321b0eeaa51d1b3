import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

import kernel.plugins

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TEST_MODULE = "jobs_test_plugin"


@pytest.fixture(autouse=True)
def test_tasks(monkeypatch):
    """Every site built in these tests has the test tasks of ``jobs_test_plugin``."""
    monkeypatch.syspath_prepend(str(HERE))
    monkeypatch.setattr(kernel.plugins, "KERNEL_MODULES", kernel.plugins.KERNEL_MODULES + (TEST_MODULE,))


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
