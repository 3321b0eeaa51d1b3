"""The shopper benchmark's database ceiling (``benchmarks/baselines/raw_psycopg2.py``) answers the
listing the shop answers: a ratio to a ceiling that runs other statements or writes other bytes
would measure nothing."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from kernel.infrastructure.db import db

BASELINE = Path(__file__).resolve().parents[2] / "benchmarks" / "baselines" / "raw_psycopg2.py"


def load_baseline(dsn: str, monkeypatch):
    monkeypatch.setenv("BENCH_DSN", dsn)
    spec = importlib.util.spec_from_file_location("raw_psycopg2_ceiling", BASELINE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hand_written_listing_answers_the_shops_page(pg_site, monkeypatch):
    shirts = pg_site.category("Shirts")
    pg_site.product("Mug", price="8.50", stockQuantity=3)
    pg_site.product("Tee", price="20.00", category=shirts["slug"], options=[{"name": "Size", "values": ["S", "M"]}],
                    variants=[{"sku": "TEE-S", "options": {"Size": "S"}, "stockQuantity": 0},
                              {"sku": "TEE-M", "options": {"Size": "M"}, "price": "22.00", "stockQuantity": 9}])
    pg_site.product("Hidden", isActive=False)
    with pg_site.app.app_context():
        dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    baseline = load_baseline(dsn, monkeypatch)
    try:
        ceiling = baseline.app.test_client().get("/api/products?pageSize=20").json
    finally:
        baseline.pool.closeall()
    assert ceiling == pg_site.listing("pageSize=20")
    assert [item["name"] for item in ceiling["items"]] == ["Tee", "Mug"]
