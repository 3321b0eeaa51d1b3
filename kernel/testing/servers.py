"""A site served by gunicorn in a subprocess, for tests that go over real HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(site_path: str | os.PathLike, cwd: str | os.PathLike, log_path: str | os.PathLike, *, workers: int = 2,
             threads: int = 1, timeout: int = 60, environ: dict[str, str] | None = None) -> Iterator[str]:
    """``gunicorn kernel.wsgi:app`` for the site, its output in ``log_path``; yields the base URL
    once ``/healthz`` answers (RuntimeError, with the log's end, when it does not within 60 s)."""
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(workers), "--threads", str(threads),
             "-b", f"127.0.0.1:{port}", "--timeout", str(timeout), "kernel.wsgi:app"],
            cwd=cwd, env={**os.environ, **(environ or {}), "COMMERCE_SITE": str(site_path)}, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, base, Path(log_path))
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def _wait_until_up(server: subprocess.Popen, base: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}: {log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # workers still booting
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start within 60s: {log.read_text()[-3000:]}")
        time.sleep(0.2)
