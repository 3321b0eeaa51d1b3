"""Drive a server with wrk: a plan file of requests replayed by ``wrk/replay.lua``."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPLAY = Path(__file__).resolve().parent / "wrk" / "replay.lua"


@dataclass(frozen=True)
class Planned:
    method: str
    path: str
    token: str | None = None
    body: dict | None = None

    def line(self) -> str:
        body = "-" if self.body is None else json.dumps(self.body, separators=(",", ":"))
        return "\t".join((self.method, self.path, self.token or "-", body))


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    statuses: dict[str, int] = field(default_factory=dict)
    socket_errors: int = 0
    timeouts: int = 0
    round_rps: list[float] = field(default_factory=list)  # of each alternating round, in order

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return self.statuses.get("5xx", 0)


@dataclass(frozen=True)
class LoadSettings:
    duration: int = 8
    warmup: int = 2
    connections: int = 16
    threads: int = 1
    timeout: int = 10


def write_plan(path: Path, requests: list[Planned]) -> Path:
    path.write_text("\n".join(r.line() for r in requests) + "\n")
    return path


def run_wrk(url: str, plan: Path, seconds: int, settings: LoadSettings, connections: int | None = None) -> LoadResult:
    command = ["wrk", f"-t{settings.threads}", f"-c{connections or settings.connections}", f"-d{round(seconds)}s",
               f"--timeout={round(settings.timeout)}s", "-s", str(REPLAY), url]
    finished = subprocess.run(command, env={**os.environ, "BENCH_PLAN": str(plan)}, capture_output=True, text=True,
                              timeout=seconds + settings.timeout + 30)
    line = next((line for line in finished.stdout.splitlines() if line.startswith("BENCH-RESULT ")), None)
    if finished.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stdout[-1500:]} {finished.stderr[-1500:]}")
    return LoadResult(**json.loads(line.removeprefix("BENCH-RESULT ")))


def measure(url: str, plan: Path, settings: LoadSettings, connections: int | None = None) -> LoadResult:
    """A warm-up run (discarded: every worker's pools, caches and code paths are hot) then the measured one."""
    if settings.warmup:
        warm = run_wrk(url, plan, settings.warmup, settings, connections)
        if warm.server_errors:
            return warm  # report the failure instead of hiding it
    return run_wrk(url, plan, settings.duration, settings, connections)


def combine(rounds: list[LoadResult]) -> LoadResult:
    """Several rounds of one step as one result: throughput over all of them, the median
    round's latency percentiles, every answer and error counted."""
    statuses: Counter = Counter()
    for result in rounds:
        statuses.update(result.statuses)
    return LoadResult(
        requests=sum(r.requests for r in rounds), seconds=sum(r.seconds for r in rounds),
        p50=statistics.median(r.p50 for r in rounds), p95=statistics.median(r.p95 for r in rounds),
        p99=statistics.median(r.p99 for r in rounds), statuses=dict(statuses),
        socket_errors=sum(r.socket_errors for r in rounds), timeouts=sum(r.timeouts for r in rounds),
        round_rps=[r.rps for r in rounds])


def measure_alternating(targets: dict[str, tuple[str, Path]], settings: LoadSettings,
                        rounds: int = 5) -> dict[str, LoadResult]:
    """Measure ``{name: (url, plan)}`` in alternating rounds (A, B, A, B, ...), each round a
    warm-up and a ``duration / rounds`` share, so that a change in the machine's background load
    affects both sides of a ratio alike."""
    share = LoadSettings(duration=max(1, round(settings.duration / rounds)), warmup=min(settings.warmup, 1),
                         connections=settings.connections, threads=settings.threads, timeout=settings.timeout)
    collected: dict[str, list[LoadResult]] = {name: [] for name in targets}
    for _ in range(rounds):
        for name, (url, plan) in targets.items():
            collected[name].append(measure(url, plan, share))
    return {name: combine(results) for name, results in collected.items()}


@dataclass
class FlashSale:
    """Every shopper checking out the one product at once, each request timed on its own."""
    shoppers: int
    stock: int
    statuses: Counter
    latencies_ms: list[float]
    spread_s: float  # from the first request sent to the last

    @property
    def p99(self) -> float:
        return statistics.quantiles(self.latencies_ms, n=100)[98]

    @property
    def exact(self) -> bool:
        """As many orders as units, every other shopper told 409, no 5xx or failed request."""
        return (self.statuses.get(201, 0) == self.stock and self.statuses.get(409, 0) == self.shoppers - self.stock
                and sum(self.statuses.values()) == self.shoppers)


def flash_sale(url: str, requests: list[Planned], stock: int) -> FlashSale:
    """Send ``requests`` from one thread each, released together by a barrier."""
    import http.client
    import threading
    import time
    from urllib.parse import urlsplit

    address = urlsplit(url)
    barrier = threading.Barrier(len(requests))
    outcomes: list[tuple[int, float, float]] = []

    def shop(planned: Planned) -> None:
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
        headers = {"Authorization": f"Bearer {planned.token}", "Content-Type": "application/json"}
        barrier.wait()
        sent = time.perf_counter()
        try:
            connection.request(planned.method, planned.path, json.dumps(planned.body), headers)
            status = connection.getresponse().status
        except OSError:
            status = 0  # a refused or dropped connection
        finally:
            connection.close()
        outcomes.append((status, sent, time.perf_counter()))

    threads = [threading.Thread(target=shop, args=(planned,)) for planned in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts = [sent for _, sent, _ in outcomes]
    return FlashSale(len(requests), stock, Counter(status for status, _, _ in outcomes),
                     [1000 * (done - sent) for _, sent, done in outcomes], max(starts) - min(starts))
