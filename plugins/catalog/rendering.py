"""Products as JSON for the hot reads (listing pages and product detail), written out by hand.

``CatalogProductSchema`` stays the contract: it documents the answers in the OpenAPI document,
and ``tests/catalog/test_catalog_rendering.py`` holds these functions equal to its ``dump``.
Marshmallow's generic dump of a 20-product page cost more CPU than everything else in a cached
listing together (docs/benchmarks.md), so these answers skip it. The cache keeps the answers as
``RenderedJson`` (bytes and ETag), so a cache hit neither unpickles a page nor renders it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from plugins.catalog.domain import Page, Product

CENTS = Decimal("0.01")


def product_json(product: Product) -> dict:
    rating = product.average_rating
    return {
        "id": str(product.id),
        "name": product.name,
        "slug": product.slug,
        "sku": product.sku,
        "description": product.description,
        "price": format(Decimal(str(product.price)).quantize(CENTS), "f"),
        "currency": product.currency,
        "category": product.category,
        "categoryName": product.category_name,
        "stockQuantity": product.stock_quantity,
        "inStock": product.in_stock,
        "lowStockThreshold": product.low_stock_threshold,
        "isActive": product.is_active,
        "averageRating": None if rating is None else float(rating),
        "reviewCount": product.review_count,
        "createdAt": product.created_at.isoformat(),
        "updatedAt": product.updated_at.isoformat(),
    }


def page_json(page: Page) -> dict:
    return {"items": [product_json(product) for product in page.items], "totalCount": page.total_count,
            "page": page.page, "pageSize": page.page_size}


@dataclass(frozen=True)
class RenderedJson:
    """A JSON answer as sent, with its ETag (the SHA-1 Werkzeug's ``add_etag`` would compute)."""

    body: bytes
    etag: str


def rendered_json(data: dict, dumps: Callable[..., str]) -> RenderedJson:
    """``data`` encoded by ``dumps`` (the app's JSON provider) as compactly as ``jsonify`` does."""
    body = f"{dumps(data, separators=(',', ':'))}\n".encode()
    return RenderedJson(body=body, etag=hashlib.sha1(body).hexdigest())
