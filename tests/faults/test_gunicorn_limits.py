"""The production server config (``deploy/gunicorn.conf.py``) with its real workers: rate limits
that hold across workers, the refusal of per-process counters, and gunicorn's own limits."""

from __future__ import annotations

import uuid

import pytest
import redis
import requests

from tests.faults.conftest import served_site
from tests.faults.servers import Gunicorn

LIMIT = 12


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, shared_pg_schema, request):
    redis_url = pytest.importorskip("kernel.testing.databases").redis_url()
    if not redis_url:
        pytest.skip("Redis test skipped: set COMMERCE_TEST_REDIS_URL")
    name = f"t{uuid.uuid4().hex[:10]}"
    site_file, slugs = served_site(tmp_path_factory.mktemp("workers"), shared_pg_schema, site={"name": name},
                                   cache={"url": redis_url}, rate_limits={"default": f"{LIMIT}/minute", "storage_url": None})
    server = Gunicorn(site_file, workers=2, threads=2)
    yield server, slugs
    server.stop()
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*commerce:{name}:*"):
        client.delete(key)


def test_two_workers_let_exactly_the_configured_limit_through(two_workers):
    server, slugs = two_workers
    assert len(server.workers()) == 2
    # a new connection each time, so the kernel hands the requests to both workers
    answers = [requests.get(f"{server.base}/api/products/{slugs[0]}", headers={"Connection": "close"}, timeout=10)
               for _ in range(2 * LIMIT)]
    assert [answer.status_code for answer in answers] == [200] * LIMIT + [429] * LIMIT
    assert all("Retry-After" not in answer.headers for answer in answers if answer.status_code == 200)
    assert all(0 < int(answer.headers["Retry-After"]) <= 60 for answer in answers if answer.status_code == 429)


def test_the_apps_own_414_answers_a_query_gunicorn_would_have_refused(two_workers):
    server, _ = two_workers
    answer = requests.get(f"{server.base}/api/products?q={'x' * 5000}", timeout=10)
    assert (answer.status_code, answer.headers["Content-Type"]) == (414, "application/problem+json")


def test_a_production_site_refuses_memory_counters_behind_the_servers_real_workers(tmp_path, shared_pg_schema):
    site_file, _ = served_site(tmp_path, shared_pg_schema, products=0,
                               site={"production": True, "secret_key": "k" * 40}, security={"jwt_secret": "s" * 40})
    server = Gunicorn(site_file, workers=1, threads=1, args=("-w", "2"), wait=False)  # the flag, not the environment
    assert server.process.wait(timeout=60) != 0
    assert "memory:// counts per process" in server.output() and "2 workers x 1 threads" in server.output()
