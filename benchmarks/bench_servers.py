"""Gunicorn servers for the benchmark, all with the same settings (deploy/gunicorn.conf.py), on
127.0.0.1 only; each is stopped by whoever started it, and its workers' memory is read first."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


@dataclass
class ServerSettings:
    workers: int = 2
    threads: int = 4

    def environ(self, port: int) -> dict[str, str]:
        return {"GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(self.workers),
                "GUNICORN_THREADS": str(self.threads), "GUNICORN_MAX_REQUESTS": "0",  # no recycling mid-run
                "GUNICORN_LOG_LEVEL": "warning"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    port: int
    log_path: Path
    rss_mib: list[float] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def read_rss(self) -> list[float]:
        """VmRSS of each worker, in MiB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except FileNotFoundError:
                continue
            kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
            sizes.append(kib / 1024)
        self.rss_mib = sizes
        return sizes

    def server_errors(self) -> list[str]:
        """Tracebacks and ERROR lines the server logged (gunicorn's and the app's)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return [line for line in text.splitlines()
                if "Traceback" in line or '"ERROR"' in line or "[ERROR]" in line or "CRITICAL" in line]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(name: str, app: str, settings: ServerSettings, log_dir: Path, env: dict[str, str] | None = None,
          chdir: Path = ROOT, health: str = "/api/products?pageSize=1", conf: Path = GUNICORN_CONF) -> Server:
    """Start ``gunicorn -c CONF APP`` and wait until it answers ``health``."""
    port = free_port()
    log_path = log_dir / f"{name}.log"
    environ = {**os.environ, **settings.environ(port), **(env or {})}
    command = [sys.executable, "-m", "gunicorn", "-c", str(conf), "--chdir", str(chdir), app]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=environ, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    server = Server(name, process, port, log_path)
    _wait_until_up(server, health, settings.workers)
    return server


def _wait_until_up(server: Server, path: str, workers: int, timeout: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log_path}:\n{server.log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(server.url + path, timeout=2) as answer:
                if answer.status == 200 and len(server.worker_pids()) >= workers:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{server.name} did not answer within {timeout:.0f}s; see {server.log_path}")
