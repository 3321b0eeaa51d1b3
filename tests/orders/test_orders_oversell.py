"""No overselling over real HTTP: gunicorn with several workers on PostgreSQL, 200 buyers racing.

Each buyer sends one checkout at the same moment for one unit of a product that has 50 (a
product without options), or of the variant "M" of a product whose "L" has 50 too. Exactly 50
orders may succeed; the others must get a clear 409; that variant's stock must end at 0 and
no other variant's may change.
"""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import sqlalchemy as sa

from kernel.app import create_app
from kernel.infrastructure.db import db, metadata
from kernel.infrastructure.migrations import upgrade_database
from kernel.site import load_site
from kernel.testing.databases import PostgresSchema
from kernel.testing.identity import sign_in_test_user
from kernel.testing.servers import gunicorn
from tests.orders.conftest import insert_product, insert_sized_product, order_body, stock_of

BUYERS = 200
UNITS = 50
WORKERS = 4
THREADS = 4


def write_site(folder, url: str) -> str:
    path = folder / "race.toml"
    path.write_text(f"""
[site]
name = "race{os.getpid()}"
plugins = ["catalog", "cart", "orders"]
[database]
url = "{url}"
pool_size = {THREADS + 2}
[jobs]
url = "immediate"
[mail]
url = "file://{folder / 'mail'}"
[rate_limits]
default = "100000/minute"
storage_url = "memory://"
[logging]
level = "WARNING"
[payments]
methods = {{ credit_card = "offline" }}
""")
    return str(path)


@pytest.fixture
def race_site(pg_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # gunicorn's folder: both find the site's generated keys in instance/
    schema = PostgresSchema(pg_url)
    site_path = write_site(tmp_path, schema.url)
    app = create_app(load_site(site_path))
    upgrade_database(app)
    yield app, site_path
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    schema.drop()


@pytest.fixture
def server(race_site, tmp_path):
    _, site_path = race_site
    with gunicorn(site_path, tmp_path, tmp_path / "gunicorn.log", workers=WORKERS, threads=THREADS) as base:
        yield base, tmp_path / "gunicorn.log"


@pytest.mark.parametrize("kind", ["product", "variant"])
def test_two_hundred_buyers_race_for_fifty_units(race_site, server, kind):
    app, _ = race_site
    base, log = server
    if kind == "product":
        product = variant = insert_product(app, "Limited Lamp", "25.00", UNITS)
        line, name, others = (product, 1), "Limited Lamp", {}
    else:
        product, sizes = insert_sized_product(app, "Limited Lamp", "25.00", {"M": UNITS, "L": UNITS})
        variant = sizes["M"]
        line, name, others = (product, 1, variant), "Limited Lamp (M)", {sizes["L"]: UNITS}
    buyers = [sign_in_test_user(app, "customer") for _ in range(BUYERS)]
    start = threading.Barrier(BUYERS)

    def buy(headers):
        start.wait(timeout=60)
        response = requests.post(f"{base}/api/orders", json=order_body(line), headers=headers.headers,
                                 timeout=(10, 120))
        return response.status_code, response.headers.get("Content-Type", ""), response.json()

    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        results = list(pool.map(buy, buyers))

    statuses = [status for status, _, _ in results]
    assert statuses.count(201) == UNITS, sorted(set(statuses))
    assert statuses.count(409) == BUYERS - UNITS, sorted(set(statuses))
    refused = [body for status, _, body in results if status == 409]
    assert all(body["shortages"] == [{"productId": str(product), "name": name, "requested": 1,
                                      "available": 0, "sku": body["shortages"][0]["sku"]}] for body in refused)
    assert all(ctype.startswith("application/problem+json") for status, ctype, _ in results if status == 409)

    assert stock_of(app, variant) == 0
    assert {other: stock_of(app, other) for other in others} == others
    orders, items = (metadata.tables[name] for name in ("orders", "order_items"))
    with app.app_context():
        assert db.session.execute(sa.select(sa.func.count()).select_from(orders)).scalar_one() == UNITS
        assert db.session.execute(sa.select(sa.func.sum(items.c.quantity)).where(items.c.variant_id == variant)
                                  ).scalar_one() == UNITS
        db.session.rollback()
    # CPython's own race when a worker forks while a Timer thread starts ("Exception ignored in
    # thread started by ... KeyError" from threading._limbo) is interpreter noise, not the app's.
    server_log = re.sub(r"Exception ignored in thread started by.*?KeyError: <Timer[^\n]*\n", "",
                        log.read_text(), flags=re.S)
    assert "deadlock detected" not in server_log and "Traceback" not in server_log, server_log[-3000:]
