"""A Redis that hangs (SIGSTOP) never stalls the site: health answers at once, catalog reads
fall back to the database within the site's Redis timeouts, and the outage is logged once."""

from __future__ import annotations

import shutil
import statistics
import threading
import time

import pytest
import requests

from tests.faults.conftest import served_site
from tests.faults.servers import Gunicorn, PrivateRedis

HUNG_SECONDS = 6
# Requests already waiting on Redis when it hangs wait out their timeout ([redis] socket_timeout,
# twice at most: limiter and cache), and a probe arriving meanwhile may queue behind them.
FIRST_WAVE_SECONDS = 1


@pytest.fixture(scope="module")
def hung_redis_site(tmp_path_factory, shared_pg_schema):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    redis_server = PrivateRedis()
    site_file, slugs = served_site(tmp_path_factory.mktemp("hung-redis"), shared_pg_schema,
                                   cache={"url": redis_server.url},
                                   rate_limits={"default": "100000/minute", "storage_url": None})
    server = Gunicorn(site_file, workers=1, threads=4)
    yield redis_server, server, slugs
    server.stop()
    redis_server.stop()


def timed_get(session: requests.Session, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    status = session.get(url, timeout=10).status_code
    return time.perf_counter() - started, status


def probe_health(server, seconds: float) -> list[tuple[float, float, int]]:
    """(seconds since the start, latency, status) of a probe every 20 ms."""
    probe, started, seen = requests.Session(), time.monotonic(), []
    while time.monotonic() < started + seconds:
        seen.append((time.monotonic() - started, *timed_get(probe, f"{server.base}/healthz")))
        time.sleep(0.02)
    return seen


def p99(latencies) -> float:
    return statistics.quantiles(latencies, n=100)[98]


def test_a_paused_redis_never_stalls_health_or_catalog_reads(hung_redis_site):
    """The same browsing load before and during the outage: the outage adds under 100 ms to the
    health probe's p99 (the machine's own load is in the baseline), and no read takes 1 s."""
    redis_server, server, slugs = hung_redis_site
    warm = requests.Session()
    for slug in slugs:  # cached, and the limiter's counters on Redis
        assert warm.get(f"{server.base}/api/products/{slug}").status_code == 200
    reads, stop = [], threading.Event()

    def browse(slug):
        session = requests.Session()
        while not stop.is_set():
            reads.append(timed_get(session, f"{server.base}/api/products/{slug}"))
            time.sleep(0.05)

    browsers = [threading.Thread(target=browse, args=(slugs[n % len(slugs)],)) for n in range(4)]  # one a thread
    for browser in browsers:
        browser.start()
    try:
        baseline = p99([seconds for _, seconds, _ in probe_health(server, 3)])
        reads.clear()
        redis_server.pause()
        health = probe_health(server, HUNG_SECONDS)
    finally:
        stop.set()
        for browser in browsers:
            browser.join()
        redis_server.resume()
    health_p99 = p99([seconds for at, seconds, _ in health if at > FIRST_WAVE_SECONDS])
    slowest_health = max(seconds for _, seconds, _ in health)
    slowest_read = max(seconds for seconds, _ in reads)
    print(f"\nhealth p99 {baseline * 1000:.0f} ms with Redis up; Redis paused {HUNG_SECONDS}s: {len(health)} probes, "
          f"p99 {health_p99 * 1000:.0f} ms after the first {FIRST_WAVE_SECONDS}s, slowest {slowest_health * 1000:.0f} ms; "
          f"{len(reads)} catalog reads, slowest {slowest_read * 1000:.0f} ms")
    assert {status for *_, status in health} == {200} and {status for _, status in reads} == {200}
    assert health_p99 < baseline + 0.100 and slowest_health < 1.0
    assert slowest_read < 1.0
    log = server.output()
    assert "Traceback" not in log
    assert log.count("falling back to in-memory storage") == 1  # the limiter's outage, once
    assert log.count("reads go to the database until it answers") == 1  # the cache's, once
