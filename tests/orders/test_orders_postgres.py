"""What depends on PostgreSQL itself: migrations, query counts, row locks under concurrency, jobs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kernel.infrastructure.db import db, metadata
from kernel.infrastructure.migrations import pending_schema_changes, upgrade_database
from kernel.testing.queries import count_queries
from tests.orders.conftest import order_body


@pytest.fixture
def pg_shop(make_shop, pg_url):
    # room for every thread: in tests jobs run in the request's thread and take a connection of their own
    return make_shop(database={"pool_size": 20})


def run_together(count: int, work):
    """Run ``work(i)`` in ``count`` threads released at once; return their results by index."""
    results, barrier = [None] * count, threading.Barrier(count)

    def run(i):
        barrier.wait()
        results[i] = work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_the_migrated_schema_matches_the_models(make_app, pg_url, auth_headers):
    app = make_app(["catalog", "cart", "orders"], backend="postgres", create_tables=False)
    upgrade_database(app)
    with app.app_context():
        assert pending_schema_changes(app) == []
    from tests.orders.conftest import insert_product
    lamp = insert_product(app, "Lamp", "10.00", 3)
    response = app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=auth_headers(app))
    assert response.status_code == 201, response.json


def test_placing_an_order_costs_the_same_queries_for_1_or_20_lines(pg_shop, auth_headers):
    buyer = auth_headers(pg_shop.app)
    products = [pg_shop.product(f"P{i}", stock=10) for i in range(20)]
    counts = []
    for lines in ([products[0]], products):
        with count_queries(pg_shop.app) as statements:
            response = pg_shop.client.post("/api/orders", json=order_body(*[(p, 1) for p in lines]), headers=buyer)
        assert response.status_code == 201, response.json
        counts.append(len([s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]))
    assert counts[0] == counts[1], counts


def test_concurrent_orders_locking_products_in_opposite_order_neither_deadlock_nor_oversell(pg_shop, auth_headers):
    a, b = pg_shop.product("A", stock=10), pg_shop.product("B", stock=10)
    buyers = [auth_headers(pg_shop.app) for _ in range(16)]

    def buy(i):
        lines = [(a, 1), (b, 1)] if i % 2 else [(b, 1), (a, 1)]
        return pg_shop.app.test_client().post("/api/orders", json=order_body(*lines), headers=buyers[i]).status_code

    statuses = run_together(16, buy)
    assert sorted(set(statuses)) in ([201], [201, 409]), statuses
    assert statuses.count(201) == 10 and statuses.count(409) == 6
    assert pg_shop.stock(a) == 0 and pg_shop.stock(b) == 0


def test_concurrent_retries_with_one_key_make_one_order(pg_shop, auth_headers):
    buyer = auth_headers(pg_shop.app)
    lamp = pg_shop.product(stock=50)
    headers = {**buyer, "Idempotency-Key": "double-click"}

    def buy(_):
        response = pg_shop.app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=headers)
        return response.status_code, response.json

    results = run_together(6, buy)
    assert {status for status, _ in results} == {201}, results
    assert len({body["orderId"] for _, body in results}) == 1
    assert pg_shop.rows("orders") == 1 and pg_shop.stock(lamp) == 49


def test_concurrent_cancels_release_the_stock_once(pg_shop, auth_headers):
    buyer = auth_headers(pg_shop.app)
    lamp = pg_shop.product(stock=5)
    order_id = pg_shop.client.post("/api/orders", json=order_body((lamp, 3)), headers=buyer).json["orderId"]

    def cancel(_):
        return pg_shop.app.test_client().post(f"/api/orders/{order_id}/cancel", headers=buyer).status_code

    statuses = run_together(6, cancel)
    assert sorted(statuses) == [200] + [409] * 5
    assert pg_shop.stock(lamp) == 5


def _backdate(app, minutes: int) -> None:
    orders = metadata.tables["orders"]
    with app.app_context():
        db.session.execute(orders.update().values(order_date=orders.c.order_date - timedelta(minutes=minutes)))
        db.session.commit()


def test_unpaid_orders_expire_and_give_their_stock_back(make_shop, pg_url, auth_headers):
    from plugins.orders.tasks import expire_unpaid_orders

    shop = make_shop(settings={"orders": {"unpaid_order_ttl_minutes": 30}})
    buyer, clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp = shop.product(stock=10)
    unpaid = shop.client.post("/api/orders", json=order_body((lamp, 2)), headers=buyer).json["orderId"]
    paid = shop.client.post("/api/orders", json=order_body((lamp, 3)), headers=buyer).json["orderId"]
    shop.client.post(f"/api/admin/orders/{paid}/mark-paid", headers=clerk)
    _backdate(shop.app, 31)
    fresh = shop.client.post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
    with shop.app.app_context():
        assert expire_unpaid_orders() == 1
        assert expire_unpaid_orders() == 0
    status = {oid: shop.client.get(f"/api/orders/{oid}", headers=buyer).json["status"] for oid in (unpaid, paid, fresh)}
    assert status == {unpaid: "Cancelled", paid: "Paid", fresh: "Pending"}
    assert shop.stock(lamp) == 10 - 3 - 1
    history = shop.client.get(f"/api/admin/orders/{unpaid}", headers=clerk).json["history"]
    assert history[-1]["actor"] == "system" and history[-1]["note"] == "not paid in time"


def test_the_daily_sales_report_is_stored_and_downloadable_as_csv(make_shop, pg_url, auth_headers):
    shop = make_shop(settings={"orders": {"staff_report_email": "ops@example.com"}})
    alice, clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp, desk = shop.product("Lamp", "10.00", 50), shop.product("Desk", "100.00", 5)
    shop.client.post("/api/orders", json=order_body((lamp, 3), (desk, 1)), headers=alice)
    shop.client.post("/api/orders", json=order_body((lamp, 2)), headers=alice)
    cancelled = shop.client.post("/api/orders", json=order_body((desk, 2)), headers=alice).json["orderId"]
    shop.client.post(f"/api/orders/{cancelled}/cancel", headers=alice)
    today = datetime.now(UTC).date().isoformat()

    built = shop.client.post("/api/admin/orders/reports/sales", json={"day": today}, headers=clerk)
    assert built.status_code == 200, built.json
    report = built.json
    assert (report["orders"], report["cancelled"], report["revenue"]) == (2, 1, "150.00")
    assert [(p["name"], p["quantity"], p["revenue"]) for p in report["topProducts"]] == [("Lamp", 5, "50.00"),
                                                                                       ("Desk", 1, "100.00")]
    listed = shop.client.get("/api/admin/orders/reports/sales", headers=clerk).json["items"]
    assert [r["day"] for r in listed] == [today]
    download = shop.client.get(report["csvUrl"], headers=clerk)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    rows = download.get_data(as_text=True).splitlines()
    assert rows[1] == f"{today},USD,2,1,150.00" and rows[4].split(",")[3:] == ["Lamp", "5", "50.00"]
    assert shop.client.get("/api/admin/orders/reports/sales/2001-01-01.csv", headers=clerk).status_code == 404
    assert shop.client.get(report["csvUrl"], headers=alice).status_code == 403
    for future in ("9999-12-31", (datetime.now(UTC) + timedelta(days=2)).date().isoformat()):
        refused = shop.client.post("/api/admin/orders/reports/sales", json={"day": future}, headers=clerk)
        assert refused.status_code == 422 and "day" in refused.json["errors"], refused.json
    assert [r["day"] for r in shop.client.get("/api/admin/orders/reports/sales", headers=clerk).json["items"]] == [today]


def test_the_daily_jobs_mail_staff(make_shop, pg_url, auth_headers):
    from plugins.catalog.tasks import low_stock_report  # the site's one low-stock report, by each variant's threshold
    from plugins.orders.reporting.tasks import daily_sales_report

    shop = make_shop(settings={"orders": {"staff_report_email": "ops@example.com"},
                               "catalog": {"staff_report_email": "ops@example.com"}})
    buyer = auth_headers(shop.app)
    lamp, desk = shop.product("Lamp", stock=3), shop.product("Desk", stock=10)
    shop.client.post("/api/orders", json=order_body((lamp, 2), (desk, 1)), headers=buyer)
    before = len(shop.mails())
    with shop.app.app_context():
        assert low_stock_report() == 1
        daily_sales_report(datetime.now(UTC).date().isoformat())
    staff_mails = [m for m in shop.mails() if "ops@example.com" in m]
    assert len(shop.mails()) == before + 2 and len(staff_mails) == 2
    low = next(m for m in staff_mails if "Low stock" in m)
    assert "Lamp" in low and "Desk" not in low


def test_idempotency_keys_expire_after_a_day(pg_shop, auth_headers):
    from kernel.idempotency.tasks import purge_idempotency_keys

    buyer = auth_headers(pg_shop.app)
    lamp = pg_shop.product(stock=5)
    headers = {**buyer, "Idempotency-Key": "k1"}
    first = pg_shop.client.post("/api/orders", json=order_body((lamp, 1)), headers=headers).json["orderId"]
    keys = metadata.tables["idempotency_keys"]
    with pg_shop.app.app_context():
        db.session.execute(keys.update().values(expires_at=sa.func.now() - timedelta(seconds=1)))
        db.session.commit()
    second = pg_shop.client.post("/api/orders", json=order_body((lamp, 1)), headers=headers).json["orderId"]
    assert second != first
    with pg_shop.app.app_context():
        db.session.execute(keys.update().values(expires_at=sa.func.now() - timedelta(seconds=1)))
        db.session.commit()
        assert purge_idempotency_keys() == 1
