"""Deploys lose nothing: gunicorn workers stopped one after another (SIGTERM, as a deploy or a
``max_requests`` recycle does) while clients keep sending requests; every request is answered.

The suite stops ``COMMERCE_FAULT_STOPS`` workers (3); the figure in docs/deployment.md comes from
``COMMERCE_FAULT_STOPS=150 .venv/bin/python -m pytest -q -s tests/faults/test_deploys.py``.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest
import requests

from tests.faults.conftest import served_site
from tests.faults.servers import Gunicorn, wait_for

STOPS = int(os.environ.get("COMMERCE_FAULT_STOPS", "3"))


@pytest.fixture(scope="module")
def served(tmp_path_factory, shared_pg_schema):
    site_file, slugs = served_site(tmp_path_factory.mktemp("deploys"), shared_pg_schema)
    # --preload: a replacement worker is a fork of the loaded app, ready at once, so the test spends
    # its time stopping workers rather than loading the app (the stop path is the same either way)
    server = Gunicorn(site_file, workers=2, threads=4, args=("--preload",))
    yield server, slugs
    server.stop()


def test_workers_stopped_under_load_lose_no_request(served):
    server, slugs = served
    answers, lost, stop = Counter(), [], threading.Event()

    def shop(slug, fresh_connections):
        session = requests.Session()
        while not stop.is_set():
            try:
                response = session.get(f"{server.base}/api/products/{slug}", timeout=30,
                                       headers={"Connection": "close"} if fresh_connections else {})
                answers[response.status_code] += 1
                if response.status_code != 200:
                    lost.append(response.status_code)
            except requests.RequestException as error:
                lost.append((round(time.monotonic() - started, 1), type(error).__name__))

    started = time.monotonic()
    shoppers = [threading.Thread(target=shop, args=(slugs[n % len(slugs)], n % 2 == 0)) for n in range(4)]
    for shopper in shoppers:
        shopper.start()
    exits = []
    try:
        for _ in range(STOPS):
            wait_for("both workers ready", lambda: len(server.ready_workers()) == 2, 120)
            victim = min(server.ready_workers())  # either: both serve
            os.kill(victim, signal.SIGTERM)
            exits.append((round(time.monotonic() - started, 1), victim))
            wait_for("the stopped worker to exit", lambda victim=victim: victim not in server.workers(), 30)
        time.sleep(1)
    finally:
        stop.set()
        for shopper in shoppers:
            shopper.join()
    crashed = server.output().count("exited with code")  # gunicorn's line for a worker that died
    print(f"\n{STOPS} worker stops under load: {sum(answers.values())} requests, {len(lost)} lost, "
          f"{crashed} workers crashed")
    assert (lost, crashed) == ([], 0), exits
    assert answers[200] > STOPS
