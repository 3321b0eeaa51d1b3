"""A coupon's usage limit over real HTTP: gunicorn with several workers on PostgreSQL, 200 shoppers
racing for a coupon limited to 50 uses. Exactly 50 orders get it; every other checkout is a
422 naming ``couponCode`` and leaves no order, no use and no reserved stock behind."""

from __future__ import annotations

import os
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
from tests.orders.conftest import insert_product, order_body, stock_of

SHOPPERS, USES, STOCK = 200, 50, 1000
WORKERS, THREADS = 4, 4


@pytest.fixture
def coupon_site(pg_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # gunicorn's folder: both find the site's generated keys in instance/
    schema = PostgresSchema(pg_url)
    site_path = tmp_path / "coupon-race.toml"
    site_path.write_text(f"""
[site]
name = "coupons{os.getpid()}"
plugins = ["catalog", "cart", "orders", "promotions"]
[database]
url = "{schema.url}"
pool_size = {THREADS + 2}
[jobs]
url = "immediate"
[mail]
url = "file://{tmp_path / 'mail'}"
[rate_limits]
default = "100000/minute"
storage_url = "memory://"
[logging]
level = "WARNING"
[payments]
methods = {{ credit_card = "offline" }}
""")
    app = create_app(load_site(str(site_path)))
    upgrade_database(app)
    yield app, str(site_path)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    schema.drop()


def count(app, table: str) -> int:
    with app.app_context():
        value = db.session.execute(sa.select(sa.func.count()).select_from(metadata.tables[table])).scalar_one()
        db.session.rollback()
        return value


def test_two_hundred_shoppers_race_for_a_coupon_limited_to_fifty_uses(coupon_site, tmp_path):
    app, site_path = coupon_site
    lamp = insert_product(app, "Lamp", "20.00", STOCK)
    staff = sign_in_test_user(app, "staff")
    made = app.test_client().post("/api/admin/promotions", headers=staff, json={
        "code": "FIFTY", "discountType": "percentage", "value": "25", "usageLimit": USES})
    assert made.status_code == 201, made.json
    shoppers = [sign_in_test_user(app, "customer") for _ in range(SHOPPERS)]
    start = threading.Barrier(SHOPPERS)

    with gunicorn(site_path, tmp_path, tmp_path / "gunicorn.log", workers=WORKERS, threads=THREADS) as base:
        def checkout(headers):
            start.wait(timeout=60)
            response = requests.post(f"{base}/api/orders", json=order_body((lamp, 1), couponCode="fifty"),
                                     headers=headers.headers, timeout=(10, 120))
            return response.status_code, response.headers.get("Content-Type", ""), response.json()

        with ThreadPoolExecutor(max_workers=SHOPPERS) as pool:
            results = list(pool.map(checkout, shoppers))

    statuses = [status for status, _, _ in results]
    assert statuses.count(201) == USES, sorted(set(statuses))
    assert statuses.count(422) == SHOPPERS - USES, sorted(set(statuses))
    assert all(body["totalAmount"] == "15.00" and body["discountTotal"] == "5.00"
               for status, _, body in results if status == 201)
    refused = [(ctype, body) for status, ctype, body in results if status == 422]
    assert all(ctype.startswith("application/problem+json") and list(body["errors"]) == ["couponCode"]
               for ctype, body in refused)
    assert count(app, "orders") == USES and count(app, "promotion_redemptions") == USES
    assert stock_of(app, lamp) == STOCK - USES
    with app.app_context():
        assert db.session.execute(sa.select(metadata.tables["promotions"].c.times_used)).scalar_one() == USES
        db.session.rollback()


RACERS, PER_CUSTOMER = 24, 2


def test_one_customer_racing_with_herself_gets_a_coupon_only_as_often_as_her_limit(coupon_site, tmp_path):
    """The per-customer count is read while the coupon's row is locked by the use being claimed,
    so concurrent checkouts of one customer (several tabs, a script) see each other's uses."""
    app, site_path = coupon_site
    lamp = insert_product(app, "Lamp", "20.00", STOCK)
    staff = sign_in_test_user(app, "staff")
    made = app.test_client().post("/api/admin/promotions", headers=staff, json={
        "code": "TWICE", "discountType": "fixed", "value": "2.00", "perCustomerLimit": PER_CUSTOMER})
    assert made.status_code == 201, made.json
    shopper, other = sign_in_test_user(app, "customer"), sign_in_test_user(app, "customer")
    start = threading.Barrier(RACERS)

    with gunicorn(site_path, tmp_path, tmp_path / "gunicorn.log", workers=WORKERS, threads=THREADS) as base:
        def checkout(_):
            start.wait(timeout=60)
            response = requests.post(f"{base}/api/orders", json=order_body((lamp, 1), couponCode="twice"),
                                     headers=shopper.headers, timeout=(10, 120))
            return response.status_code, response.json()

        with ThreadPoolExecutor(max_workers=RACERS) as pool:
            results = list(pool.map(checkout, range(RACERS)))
        later = requests.post(f"{base}/api/orders", json=order_body((lamp, 1), couponCode="twice"),
                              headers=other.headers, timeout=(10, 120))

    statuses = [status for status, _ in results]
    assert statuses.count(201) == PER_CUSTOMER and statuses.count(422) == RACERS - PER_CUSTOMER, statuses
    assert all(body["errors"] == {"couponCode": ["You have already used this coupon."]}
               for status, body in results if status == 422)
    assert later.status_code == 201, later.json()  # another customer has uses of her own
    assert count(app, "orders") == PER_CUSTOMER + 1 == count(app, "promotion_redemptions")
    assert stock_of(app, lamp) == STOCK - PER_CUSTOMER - 1
