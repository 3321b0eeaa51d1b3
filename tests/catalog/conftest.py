"""A site with the catalog plugin, its staff and a shopper, and helpers that stock it through the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kernel.domain.events import StockLow

_numbers = count(1)


@dataclass
class CatalogSite:
    app: Flask
    client: FlaskClient
    staff: dict
    customer: dict
    made: list = field(default_factory=list)

    def category(self, name: str, parent: str | None = None, **extra) -> dict:
        answer = self.client.post("/api/categories", headers=self.staff, json={"name": name, "parent": parent, **extra})
        assert answer.status_code == 201, answer.json
        return answer.json

    def product(self, name: str = "Mug", price: str = "10.00", **extra) -> dict:
        body = {"name": name, "sku": f"SKU-{next(_numbers)}", "price": price, "stockQuantity": 10, **extra}
        answer = self.client.post("/api/products", headers=self.staff, json=body)
        assert answer.status_code == 201, answer.json
        return answer.json

    def listing(self, query: str = "") -> dict:
        answer = self.client.get(f"/api/products?{query}")
        assert answer.status_code == 200, answer.json
        return answer.json

    def names(self, query: str = "") -> list[str]:
        return [item["name"] for item in self.listing(query)["items"]]


@pytest.fixture
def catalog_site(make_app, auth_headers):
    """Factory: ``catalog_site(backend="auto"|"postgres"|"sqlite", **sections)``."""

    def build(backend: str = "auto", **sections) -> CatalogSite:
        app = make_app(["catalog"], backend=backend, **sections)
        return CatalogSite(app, app.test_client(), auth_headers(app, role="staff"), auth_headers(app, role="customer"))

    return build


@pytest.fixture(params=["postgres", "sqlite"])
def site(request, catalog_site):
    """The same behaviour on the production database and on the embedded one."""
    return catalog_site(backend=request.param)


@pytest.fixture
def pg_site(catalog_site):
    return catalog_site(backend="postgres")


@pytest.fixture
def stock_low_events(record_events):
    """``stock_low_events(app)`` → the list that receives the site's StockLow events."""
    return lambda app: record_events(app, StockLow).events
