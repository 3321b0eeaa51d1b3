"""The database's ceiling: the catalog's listing query, hand-written on psycopg2.

The same two statements as ``SqlCatalogRepository.list_products`` for ``?pageSize=20`` (the
count, then the newest page joined to its category, with its variants' stock and price range and
its first image), in one transaction on a pooled
connection, serialized to the same JSON as the API's page. ``BENCH_DSN`` is a libpq URL.
"""

import json
import os

from flask import Flask, Response, request
from psycopg2.pool import ThreadedConnectionPool

COUNT = "SELECT count(*) FROM products WHERE products.is_active IS true"
_OF_ACTIVE_VARIANTS = "FROM product_variants WHERE product_variants.product_id = products.id AND product_variants.is_active IS true"
PAGE = f"""
SELECT products.id, products.name, products.slug, products.description, products.price, products.sku,
       products.is_active, products.options, products.category_id, products.rating_average, products.rating_count,
       products.created_at, products.updated_at, categories.slug AS category_slug, categories.name AS category_name,
       coalesce((SELECT sum(product_variants.stock_quantity) {_OF_ACTIVE_VARIANTS}), 0) AS stock_quantity,
       coalesce((SELECT min(product_variants.low_stock_threshold) {_OF_ACTIVE_VARIANTS}), 0) AS low_stock_threshold,
       (SELECT min(coalesce(product_variants.price, products.price)) {_OF_ACTIVE_VARIANTS}) AS price_min,
       (SELECT max(coalesce(product_variants.price, products.price)) {_OF_ACTIVE_VARIANTS}) AS price_max,
       (SELECT product_images.renditions FROM product_images WHERE product_images.product_id = products.id
        ORDER BY product_images.position, product_images.created_at, product_images.id LIMIT 1) AS card_image
FROM products LEFT OUTER JOIN categories ON products.category_id = categories.id
WHERE products.is_active IS true ORDER BY products.created_at DESC, products.id
LIMIT %s OFFSET %s"""

pool = ThreadedConnectionPool(1, int(os.environ.get("GUNICORN_THREADS", "4")), os.environ["BENCH_DSN"])
app = Flask(__name__)


def _item(row) -> dict:
    (id_, name, slug, description, price, sku, active, options, _category_id, rating, reviews, created, updated,
     category_slug, category_name, stock, low, price_min, price_max, card_image) = row
    return {"id": str(id_), "name": name, "slug": slug, "sku": sku, "description": description,
            "price": f"{price:.2f}", "currency": "USD", "category": category_slug, "categoryName": category_name,
            "stockQuantity": stock, "inStock": stock > 0,
            "availability": "out_of_stock" if stock <= 0 else "low_stock" if stock <= low else "in_stock",
            "priceRange": None if price_min is None else {"min": f"{price_min:.2f}", "max": f"{price_max:.2f}"},
            "options": options or [], "imageUrls": card_image or None, "lowStockThreshold": low, "isActive": active,
            "averageRating": None if rating is None else float(rating), "reviewCount": reviews,
            "createdAt": created.isoformat(), "updatedAt": updated.isoformat()}


@app.get("/api/products")
def products():
    page_size = int(request.args.get("pageSize", 20))
    page = int(request.args.get("page", 1))
    connection = pool.getconn()
    try:
        with connection.cursor() as cursor:
            cursor.execute(COUNT)
            total = cursor.fetchone()[0]
            cursor.execute(PAGE, (page_size, (page - 1) * page_size))
            items = [_item(row) for row in cursor.fetchall()]
        connection.rollback()
    finally:
        pool.putconn(connection)
    body = {"items": items, "totalCount": total, "page": page, "pageSize": page_size}
    return Response(json.dumps(body), mimetype="application/json")
