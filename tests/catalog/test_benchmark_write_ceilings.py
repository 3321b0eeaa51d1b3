"""The shopper benchmark's write ceilings (``benchmarks/baselines/raw_writes.py``) answer add to
cart and checkout as the shop does, in shape, for the same caller and products: a ratio to a
ceiling that writes other rows or answers other fields would measure nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import sqlalchemy as sa

from kernel.infrastructure.db import db

BASELINE = Path(__file__).resolve().parents[2] / "benchmarks" / "baselines" / "raw_writes.py"
ADDRESS = {"street": "1 Bench Street", "city": "Loadtown", "zipCode": "10001"}


def load_ceiling(dsn: str, site: str, monkeypatch):
    monkeypatch.setenv("BENCH_DSN", dsn)
    monkeypatch.setenv("BENCH_SITE", site)
    spec = importlib.util.spec_from_file_location("raw_writes_ceiling", BASELINE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shape(value):
    """The keys at every level, the values left out."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def test_the_write_ceilings_answer_and_write_as_the_shop_does(make_app, auth_headers, monkeypatch):
    app = make_app(["catalog", "cart", "orders"], backend="postgres", payments={"methods": {"credit_card": "offline"}})
    client, staff, shopper = app.test_client(), auth_headers(app, role="staff"), auth_headers(app, role="customer")
    ids = [client.post("/api/products", headers=staff, json={"name": f"Kettle {n}", "sku": f"K-{n}", "price": "20.00",
                                                            "stockQuantity": 50}).json["id"] for n in range(4)]
    with app.app_context():
        dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        site = app.extensions["commerce"].site.name
    module = load_ceiling(dsn, site, monkeypatch)
    ceiling = module.app.test_client()
    try:
        for n, server in enumerate((client, ceiling, client)):  # the shop, its ceiling, the shop again on their lines
            added = server.post("/api/cart/items", headers=shopper.headers, json={"productId": ids[n], "quantity": 1})
            assert added.status_code == 200, added.json
            assert [line["productId"] for line in added.json["lines"]] == ids[:n + 1]
        assert shape(added.json) == shape(ceiling.post("/api/cart/items", headers=shopper.headers, json={
            "productId": ids[0], "quantity": 1}).json)
        order = {"items": [{"productId": ids[3], "quantity": 2}], "shippingAddress": ADDRESS,
                 "paymentMethod": "credit_card"}
        ours, theirs = (server.post("/api/orders", headers=shopper.headers, json=order) for server in (client, ceiling))
        assert (ours.status_code, theirs.status_code) == (201, 201)
        assert set(theirs.json) == set(ours.json) and theirs.json["totalAmount"] == ours.json["totalAmount"] == "40.00"
    finally:
        module.pool.closeall()
    with app.app_context():
        counts = db.session.execute(sa.text(
            "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM order_items), "
            "(SELECT count(*) FROM order_status_history), (SELECT count(*) FROM event_outbox),"
            " (SELECT stock_quantity FROM product_variants WHERE id = :id)"), {"id": ids[3]}).one()
    assert tuple(counts) == (2, 2, 2, 4, 46)  # each checkout: an order, a line, its history, two events
