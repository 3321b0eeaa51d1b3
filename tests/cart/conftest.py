"""Sites with the cart plugin, and a ``shop`` to stock them with products."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from importlib.metadata import EntryPoint

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from kernel import plugins as kernel_plugins
from kernel.infrastructure.db import db

from . import catalog_stub
from .cart_fakes import product


class StubShop:
    """Products in the test-only in-memory catalog."""

    def __init__(self, app: Flask):
        self.catalog = catalog_stub.catalogs.setdefault(app.extensions["commerce"].site.name, catalog_stub.FakeCatalog())

    def product(self, name: str = "Mug", price: str = "10.00", stock: int = 10) -> str:
        snapshot = product(name, price, stock=stock)
        self.catalog.put(snapshot)
        return str(snapshot.id)

    def change(self, product_id: str, *, price: str | None = None, stock: int | None = None,
               active: bool | None = None) -> None:
        current = next(p for p in self.catalog.items.values() if str(p.id) == product_id)
        self.catalog.put(replace(current,
                                 unit_price=Decimal(price) if price is not None else current.unit_price,
                                 stock_quantity=stock if stock is not None else current.stock_quantity,
                                 is_active=active if active is not None else current.is_active))


@dataclass
class CartSite:
    app: Flask
    client: FlaskClient
    shop: StubShop


@pytest.fixture
def cart_site(make_app, monkeypatch):
    """Factory: ``cart_site(backend="auto", **cart_settings)`` → a site with the cart enabled."""
    installed = kernel_plugins.discover()
    stub = EntryPoint("catalog", catalog_stub.__name__, kernel_plugins.ENTRY_POINT_GROUP)
    monkeypatch.setattr(kernel_plugins, "discover", lambda: {**installed, "catalog": stub})

    def build(backend: str = "auto", create_tables: bool = True, **cart_settings) -> CartSite:
        app = make_app(["catalog", "cart"], backend=backend, create_tables=create_tables,
                       settings={"cart": cart_settings} if cart_settings else None)
        return CartSite(app, app.test_client(), StubShop(app))

    return build


@contextmanager
def count_queries(app: Flask):
    """Collect the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
