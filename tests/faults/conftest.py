"""Fault tests: real processes (gunicorn with the production config) against private Redis and
PostgreSQL servers that the tests pause, kill and crash."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from kernel.infrastructure.db import db
from kernel.testing.databases import POSTGRES_ENV, PostgresSchema, postgres_url
from kernel.testing.sites import build_test_app, make_site_data
from tests.faults.servers import toml
from tests.orders.conftest import insert_product


def served_site(folder: Path, database_url: str, products: int = 3, **sections) -> tuple[Path, list[str]]:
    """A catalog site file for gunicorn, its tables created and ``products`` products stored;
    returns the file and the products' slugs. A setting given as ``None`` is left out."""
    data = make_site_data(["catalog"], database_url, **sections)
    data = {section: {key: value for key, value in values.items() if value is not None}
            for section, values in data.items()}
    app = build_test_app(data)
    ids = [insert_product(app, f"Lamp {n}", "10.00", 100) for n in range(products)]
    with app.app_context():
        slugs = [db.session.execute(db.text("SELECT slug FROM products WHERE id = :id"), {"id": pid}).scalar_one()
                 for pid in ids]
        db.session.remove()
        db.engine.dispose()
    site_file = folder / f"site-{uuid.uuid4().hex[:6]}.toml"
    site_file.write_text(toml(data))
    return site_file, slugs


@pytest.fixture(scope="module")
def shared_pg_schema():
    """A schema on the shared test PostgreSQL (never paused: only private servers are)."""
    if not postgres_url():
        pytest.skip(f"PostgreSQL test skipped: set {POSTGRES_ENV}")
    schema = PostgresSchema(postgres_url())
    yield schema.url
    schema.drop()
