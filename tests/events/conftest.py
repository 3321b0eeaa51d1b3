"""Two app instances of one site on one PostgreSQL database and one Redis: two API processes."""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa

from kernel.events.orm import event_outbox
from kernel.infrastructure.db import db
from kernel.testing.databases import PostgresSchema
from kernel.testing.sites import build_test_app, make_site_data

PLUGINS = ["catalog", "cart", "orders"]


@pytest.fixture
def make_site(pg_url, redis_server_url, site_name, tmp_path):
    """Factory: ``make_site(n, plugins=..., settings=...)``: n apps of one site sharing database and Redis."""
    schemas, apps = [], []

    def factory(count: int = 1, plugins=PLUGINS, settings=None, **sections):
        schema = PostgresSchema(pg_url)
        schemas.append(schema)
        sections = {"site": {"name": site_name, "instance_path": str(tmp_path / "instance")},
                    "cache": {"url": redis_server_url}, "mail": {"url": f"file://{tmp_path / 'mail'}"}, **sections}
        built = []
        for n in range(count):
            data = make_site_data(list(plugins), schema.url, **sections)
            data["plugins"] = {"orders": {"confirmation_delay_minutes": 0}, **(settings or {})}
            built.append(build_test_app(data, create_tables=n == 0))
        apps.extend(built)
        return built

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    for schema in schemas:
        schema.drop()


def outbox_rows(app) -> list[dict]:
    with app.app_context():
        rows = db.session.execute(sa.select(event_outbox).order_by(event_outbox.c.id)).mappings().all()
        db.session.rollback()
        return [dict(row) for row in rows]


def wait_for(predicate, timeout: float = 5.0):
    """Poll ``predicate`` until it returns something truthy (events cross threads and processes)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def new_id() -> str:
    return str(uuid.uuid4())
