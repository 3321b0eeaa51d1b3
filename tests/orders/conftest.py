"""A storefront with catalog, cart and orders on a throw-away database, plus helpers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from kernel.infrastructure.db import db, metadata
from kernel.testing.fakes import EventRecorder

ADDRESS = {"street": "123 Main St", "city": "New York", "zipCode": "10001"}


def order_body(*lines, **extra) -> dict:
    """The design's checkout body for ``(product_id, quantity)`` or ``(product_id, quantity, variant_id)`` lines."""
    body = {"items": [{"productId": str(pid), "quantity": q, **({"variantId": str(vid[0])} if vid else {})}
                      for pid, q, *vid in lines], "shippingAddress": dict(ADDRESS),
            "paymentMethod": "credit_card"}
    body.update(extra)
    return body


def insert_product(app: Flask, name: str, price: str, stock: int, *, active: bool = True) -> uuid.UUID:
    """A product row and its implicit variant (same id) written straight into the catalog's tables
    (its API is the catalog's business)."""
    product_id = uuid.uuid4()
    slug = f"{name.lower().replace(' ', '-')}-{product_id.hex[:6]}"
    with app.app_context():
        db.session.execute(metadata.tables["products"].insert().values(
            id=product_id, name=name, slug=slug, description="", price=Decimal(price), sku=slug.upper(),
            is_active=active))
        db.session.execute(metadata.tables["product_variants"].insert().values(
            id=product_id, product_id=product_id, sku=slug.upper(), stock_quantity=stock))
        db.session.commit()
    return product_id


def insert_sized_product(app: Flask, name: str, price: str, stocks: dict[str, int]) -> tuple[uuid.UUID, dict]:
    """A product with a Size option and one variant per size of ``stocks``; (product id, {size: variant id})."""
    product_id = uuid.uuid4()
    slug = f"{name.lower().replace(' ', '-')}-{product_id.hex[:6]}"
    sizes = {size: uuid.uuid4() for size in stocks}
    with app.app_context():
        db.session.execute(metadata.tables["products"].insert().values(
            id=product_id, name=name, slug=slug, description="", price=Decimal(price), sku=slug.upper(),
            options=[{"name": "Size", "values": list(stocks)}]))
        db.session.execute(metadata.tables["product_variants"].insert(), [
            dict(id=sizes[size], product_id=product_id, sku=f"{slug.upper()}-{size}", stock_quantity=stock,
                 options={"Size": size}, option_key=f"|size={size.lower()}|") for size, stock in stocks.items()])
        db.session.commit()
    return product_id, sizes


def stock_of(app: Flask, variant_id: uuid.UUID) -> int:
    variants = metadata.tables["product_variants"]
    with app.app_context():
        value = db.session.execute(sa.select(variants.c.stock_quantity).where(variants.c.id == variant_id)).scalar_one()
        db.session.rollback()
        return value


def count_rows(app: Flask, table: str) -> int:
    with app.app_context():
        value = db.session.execute(sa.select(sa.func.count()).select_from(metadata.tables[table])).scalar_one()
        db.session.rollback()
        return value


@dataclass
class Shop:
    app: Flask
    mail_folder: Path
    recorder: EventRecorder = field(default_factory=EventRecorder)

    @property
    def client(self):
        return self.app.test_client()

    def product(self, name="Lamp", price="19.99", stock=10, **kwargs) -> uuid.UUID:
        return insert_product(self.app, name, price, stock, **kwargs)

    def stock(self, product_id) -> int:
        return stock_of(self.app, product_id)

    def rows(self, table: str) -> int:
        return count_rows(self.app, table)

    def mails(self) -> list[str]:
        return sorted(path.read_text() for path in self.mail_folder.glob("*.eml")) if self.mail_folder.exists() else []


@pytest.fixture
def make_shop(make_app, tmp_path):
    def factory(plugins=("catalog", "cart", "orders"), settings=None, **sections) -> Shop:
        folder = tmp_path / f"mail{uuid.uuid4().hex[:6]}"
        sections.setdefault("mail", {"url": f"file://{folder}"})
        settings = dict(settings or {})
        if "orders" in plugins:  # the "placed" mail at once (a delayed job never runs in immediate mode)
            settings["orders"] = {"confirmation_delay_minutes": 0, **settings.get("orders", {})}
        app = make_app(list(plugins), settings=settings, **sections)
        shop = Shop(app=app, mail_folder=folder)
        app.extensions["commerce"].pm.register(shop.recorder, name="order-event-recorder")
        return shop

    return factory


@pytest.fixture
def shop(make_shop) -> Shop:
    return make_shop()
