"""Sites with the catalog and cart plugins, and a ``shop`` to stock them with products."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kernel.infrastructure.migrations import upgrade_database


class CatalogShop:
    """Products in the site's real catalog, made and changed by staff through the catalog's API."""

    def __init__(self, app: Flask, staff: dict):
        self.client = app.test_client()
        self.staff = staff
        self.stock: dict[str, int] = {}

    def product(self, name: str = "Mug", price: str = "10.00", stock: int = 10) -> str:
        created = self.client.post("/api/products", headers=self.staff, json={
            "name": name, "sku": f"{name}-{uuid4().hex[:8]}", "price": price, "stockQuantity": stock})
        assert created.status_code == 201, created.json
        self.stock[created.json["id"]] = stock
        return created.json["id"]

    def change(self, product_id: str, *, price: str | None = None, stock: int | None = None,
               active: bool | None = None) -> None:
        if stock is not None:
            adjusted = self.client.post(f"/api/products/{product_id}/stock", headers=self.staff,
                                        json={"delta": stock - self.stock[product_id], "reason": "stock take"})
            assert adjusted.status_code == 200, adjusted.json
            self.stock[product_id] = stock
        patch = {key: value for key, value in {"price": price, "isActive": active}.items() if value is not None}
        if patch:
            patched = self.client.patch(f"/api/products/{product_id}", headers=self.staff, json=patch)
            assert patched.status_code == 200, patched.json


@dataclass
class CartSite:
    app: Flask
    client: FlaskClient
    shop: CatalogShop


@pytest.fixture
def cart_site(make_app, auth_headers):
    """Factory: ``cart_site(backend="auto", **cart_settings)`` → a site with the catalog and the cart."""

    def build(backend: str = "auto", create_tables: bool = True, **cart_settings) -> CartSite:
        app = make_app(["catalog", "cart"], backend=backend, create_tables=create_tables,
                       settings={"cart": cart_settings} if cart_settings else None)
        if not create_tables:
            upgrade_database(app)
        return CartSite(app, app.test_client(), CatalogShop(app, auth_headers(app, role="staff")))

    return build
