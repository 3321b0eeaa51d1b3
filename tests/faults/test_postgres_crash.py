"""PostgreSQL crashing mid-traffic: every request gets an answer of the API (200, or the 503
problem with ``Retry-After``), never the server's bare 500, and the site recovers by itself."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import requests

from tests.faults.conftest import served_site
from tests.faults.servers import Gunicorn, PrivatePostgres

CRASHES = 4


@pytest.fixture(scope="module")
def crashing_site(tmp_path_factory):
    if not PrivatePostgres.available():
        pytest.skip("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    postgres = PrivatePostgres()
    site_file, slugs = served_site(tmp_path_factory.mktemp("pg-crash"), postgres.url, cache={"url": "null://"})
    server = Gunicorn(site_file, workers=2, threads=4)
    yield postgres, server, slugs
    server.stop()
    postgres.stop()


def test_requests_in_flight_when_postgresql_crashes_get_the_503_problem(crashing_site):
    postgres, server, slugs = crashing_site
    answers, bare, stop = Counter(), [], threading.Event()

    def browse(slug):
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.get(f"{server.base}/api/products/{slug}", timeout=30)
            except requests.RequestException as exc:  # a malformed answer (say, two Content-Lengths)
                bare.append(("unreadable", type(exc).__name__, str(exc)[:200]))
                continue
            answers[response.status_code] += 1
            if response.status_code != 200 and not (
                    response.status_code == 503 and response.headers.get("Content-Type") == "application/problem+json"
                    and response.headers.get("Retry-After") == "5" and response.headers.get("X-Request-ID")):
                bare.append((response.status_code, response.headers.get("Content-Type"), response.text[:200]))

    browsers = [threading.Thread(target=browse, args=(slug,)) for slug in slugs * 2]
    for browser in browsers:
        browser.start()
    try:
        for _ in range(CRASHES):
            time.sleep(1.5)
            postgres.crash()
            time.sleep(0.5)
            postgres.start()
        time.sleep(1.5)
    finally:
        stop.set()
        for browser in browsers:
            browser.join()
    print(f"\n{CRASHES} PostgreSQL crashes: {dict(answers)} over {sum(answers.values())} requests")
    assert bare == []
    assert answers[503] > 0 and answers[200] > 0 and set(answers) == {200, 503}
    after = requests.get(f"{server.base}/api/products/{slugs[0]}", timeout=10)
    assert after.status_code == 200  # recovered without a restart
