"""The hand-written product JSON of the hot reads equals what the documented schema dumps."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from plugins.catalog.domain import Page, Product
from plugins.catalog.rendering import page_json, product_json
from plugins.catalog.schemas import CatalogProductPageSchema, CatalogProductSchema

NOW = datetime(2026, 11, 25, 12, 30, 5, 123456, tzinfo=UTC)


def product(**changes) -> Product:
    values = dict(id=uuid4(), name="Blue Mug", slug="blue-mug", sku="MUG-1", description="A mug \"with\" ünïcode.",
                  price=Decimal("9.50"), currency="USD", stock_quantity=3, low_stock_threshold=5, is_active=True,
                  category_id=uuid4(), category="kitchen", category_name="Kitchen", average_rating=Decimal("4.25"),
                  review_count=4, created_at=NOW, updated_at=NOW + timedelta(hours=1))
    return Product(**{**values, **changes})


VARIANTS = {
    "typical": {},
    "no rating, no category": dict(average_rating=None, review_count=0, category_id=None, category=None,
                                   category_name=None),
    "out of stock, inactive": dict(stock_quantity=0, is_active=False),
    "whole-number price": dict(price=Decimal("12")),
    "price with more places": dict(price=Decimal("0.125")),
    "large price": dict(price=Decimal("9999999999.99")),
    "other time zone": dict(created_at=NOW.astimezone(timezone(timedelta(hours=-5)))),
}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_product_renders_as_the_schema_dumps_it(changes):
    item = product(**changes)
    assert product_json(item) == CatalogProductSchema().dump(item)


def test_a_page_renders_as_the_schema_dumps_it():
    page = Page(items=[product(**changes) for changes in VARIANTS.values()], total_count=42, page=3, page_size=7)
    assert page_json(page) == CatalogProductPageSchema().dump(page)
    empty = Page(items=[], total_count=0, page=1, page_size=10)
    assert page_json(empty) == CatalogProductPageSchema().dump(empty)
