"""Private servers for fault tests: a redis-server and a PostgreSQL cluster of their own on free
ports (the shared ones are never paused or stopped), and gunicorn serving a site with the
production config (``deploy/gunicorn.conf.py``)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, probe, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if probe():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{what} not ready after {seconds}s")


class PrivateRedis:
    """``redis-server`` on a free port, without persistence; :meth:`pause` is SIGSTOP."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for("private redis", lambda: socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close() or True)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        self.resume()
        self.process.kill()
        self.process.wait(timeout=10)


class PrivatePostgres:
    """A PostgreSQL cluster in a temp folder (``initdb``), trust auth, on a free port; run as the
    ``postgres`` user when the tests run as root (PostgreSQL refuses root)."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="commerce-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.folder, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()

    @staticmethod
    def binary(tool: str) -> str | None:
        return shutil.which(tool) or next((str(path) for path in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"))),
                                          None)

    @classmethod
    def available(cls) -> bool:
        return cls.binary("initdb") is not None

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([self.binary(tool), *args], check=True, user=self.user, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def crash(self) -> None:
        """Stop as a crash does: every backend killed, no checkpoint (recovery runs at the next start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop")

    def stop(self) -> None:
        subprocess.run([self.binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                       user=self.user, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def toml(data: dict) -> str:
    """The few value types a site file needs (strings, numbers, booleans, lists, inline tables)."""
    lines = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        lines += [f"{json.dumps(key)} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def _toml_value(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)} = {_toml_value(item)}" for key, item in value.items()) + "}"
    return json.dumps(value)


class Gunicorn:
    """``gunicorn -c deploy/gunicorn.conf.py kernel.wsgi:app`` for a site file, on a free port."""

    def __init__(self, site_file: Path, *, workers: int = 1, threads: int = 4, args: tuple[str, ...] = (),
                 env: dict[str, str] | None = None, wait: bool = True):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = site_file.parent / f"gunicorn-{self.port}.log"
        environ = {key: value for key, value in os.environ.items() if not key.startswith(("COMMERCE_", "GUNICORN_"))}
        environ.pop("WEB_CONCURRENCY", None)
        environ.update({"COMMERCE_SITE": str(site_file), "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                        "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads),
                        "GUNICORN_GRACEFUL_TIMEOUT": "10", **(env or {})})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), *args, "kernel.wsgi:app"],
            cwd=site_file.parent, env=environ, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        if wait:
            wait_for("gunicorn", lambda: self.process.poll() is None
                     and requests.get(self.base + "/healthz", timeout=1).status_code == 200, 60)
            if self.process.poll() is not None:
                raise RuntimeError(self.output())

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def ready_workers(self) -> set[int]:
        """Running workers that have loaded the app (deploy/gunicorn.conf.py logs "Worker ready")."""
        log = self.output()
        return {pid for pid in self.workers() if f"Worker ready (pid: {pid})" in log}

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
