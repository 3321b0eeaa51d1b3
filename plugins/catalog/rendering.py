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

from kernel.web.rendering import money
from plugins.catalog.domain import Page, Product
from plugins.catalog.images import Image
from plugins.catalog.variants import Variant


def availability(stock: int, threshold: int) -> str:
    """``in_stock``, ``low_stock`` (at or below the threshold, not zero) or ``out_of_stock``."""
    return "out_of_stock" if stock <= 0 else "low_stock" if stock <= threshold else "in_stock"


def image_json(image: Image) -> dict:
    return {"id": str(image.id), "variantId": None if image.variant_id is None else str(image.variant_id),
            "alt": image.alt, "position": image.position, "width": image.width, "height": image.height,
            "urls": dict(image.renditions)}


def variant_json(variant: Variant, images: tuple[Image, ...]) -> dict:
    return {"id": str(variant.id), "sku": variant.sku, "price": money(variant.price),
            "stockQuantity": variant.stock_quantity, "available": variant.available,
            "lowStockThreshold": variant.low_stock_threshold, "isActive": variant.is_active,
            "weight": None if variant.weight is None else f"{variant.weight:.3f}", "taxClass": variant.tax_class,
            "options": dict(variant.options),
            "images": [image_json(image) for image in images if image.variant_id == variant.id]}


def product_detail_json(product: Product) -> dict:
    """The detail: the listing's fields, the variants and every image."""
    return {**product_json(product), "variants": [variant_json(v, product.images) for v in product.variants],
            "images": [image_json(image) for image in product.images]}


def product_json(product: Product) -> dict:
    rating = product.average_rating
    low, high = product.price_min, product.price_max
    return {
        "id": str(product.id),
        "name": product.name,
        "slug": product.slug,
        "sku": product.sku,
        "description": product.description,
        "price": money(product.price),
        "currency": product.currency,
        "category": product.category,
        "categoryName": product.category_name,
        "stockQuantity": product.stock_quantity,
        "inStock": product.in_stock,
        "availability": availability(product.stock_quantity, product.low_stock_threshold),
        "priceRange": None if low is None else {"min": money(low), "max": money(high)},
        "options": [{"name": option.name, "values": list(option.values)} for option in product.options],
        "imageUrls": None if not product.card_image else dict(product.card_image),
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
