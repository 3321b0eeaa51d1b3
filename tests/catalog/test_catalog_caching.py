"""Cached reads: a constant number of queries, none on a hit, no stale answer after a write,
ETags with 304s, and a cache that is down costs speed, never an answer."""

from decimal import Decimal

import pytest

from kernel.testing.queries import count_queries
from plugins.catalog.bootstrap import catalog_service
from plugins.catalog.domain import ProductData


@pytest.fixture
def redis_site(catalog_site, redis_server_url):
    """PostgreSQL + Redis, as in production."""
    return catalog_site(backend="postgres", cache={"url": redis_server_url})


def stock(site, products=30):
    site.category("Kitchen")
    site.category("Mugs", parent="kitchen")
    for number in range(products):
        site.product(f"Mug {number:02d}", category="mugs")


def test_listing_and_detail_use_a_constant_number_of_queries_and_none_when_cached(pg_site):
    stock(pg_site)
    for page_size in (5, 30):
        with count_queries(pg_site.app) as cold:
            assert len(pg_site.listing(f"category=kitchen&pageSize={page_size}&sort=name")["items"]) == page_size
        assert len(cold) <= 3, cold  # categories (then cached), count, page with categories joined
        with count_queries(pg_site.app) as hit:
            pg_site.listing(f"category=kitchen&pageSize={page_size}&sort=name")
        assert hit == []
    with count_queries(pg_site.app) as detail:
        assert pg_site.client.get("/api/products/mug-07").status_code == 200
    assert len(detail) <= 3, detail  # the product, its variants, its images
    with count_queries(pg_site.app) as hit:
        pg_site.client.get("/api/products/mug-07")
    assert hit == []


def test_every_write_shows_at_once_with_redis(redis_site, auth_headers):
    site = redis_site
    stock(site, products=3)
    mug = site.client.get("/api/products/mug-01").json
    assert site.listing("sort=name")["items"][1]["price"] == "10.00"

    site.client.patch("/api/products/mug-01", headers=site.staff, json={"price": "12.50", "name": "Mug One", "slug": "mug-one"})
    assert site.client.get(f"/api/products/{mug['id']}").json["price"] == "12.50"
    assert site.client.get("/api/products/mug-one").json["name"] == "Mug One"
    assert site.client.get("/api/products/mug-01").status_code == 404
    assert "Mug One" in site.names("sort=name")

    site.client.post(f"/api/products/{mug['id']}/stock", headers=site.staff, json={"delta": -10, "reason": "sold"})
    assert site.client.get("/api/products/mug-one").json["stockQuantity"] == 0
    assert "Mug One" not in site.names("inStock=true")

    site.client.post("/api/products/mug-one/reviews", headers=site.customer, json={"rating": 3})
    assert site.client.get("/api/products/mug-one").json["reviewCount"] == 1

    site.client.put("/api/categories/mugs", headers=site.staff, json={"name": "Cups", "slug": "cups", "parent": "kitchen"})
    assert site.client.get("/api/products/mug-one").json["category"] == "cups"
    assert site.client.get("/api/categories").json[0]["children"][0]["slug"] == "cups"
    assert len(site.names("category=cups")) == 3

    site.client.patch("/api/products/mug-one", headers=site.staff, json={"isActive": False})
    assert site.client.get("/api/products/mug-one").status_code == 404
    assert len(site.names("category=cups")) == 2


def test_etag_and_304(site):
    site.product("Mug")
    for url in ("/api/products/mug", "/api/products", "/api/categories", "/api/products/mug/reviews"):
        first = site.client.get(url)
        assert first.headers["ETag"] and first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
        again = site.client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == first.headers["ETag"]
    etag = site.client.get("/api/products/mug").headers["ETag"]
    site.client.patch("/api/products/mug", headers=site.staff, json={"price": "11.00"})
    changed = site.client.get("/api/products/mug", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json["price"] == "11.00"


def test_reads_still_answer_from_the_database_when_redis_is_down(make_app, log_lines):
    app = make_app(["catalog"], backend="postgres", cache={"url": "redis://127.0.0.1:1/0"})  # nothing listens there
    client = app.test_client()
    with app.app_context():  # staff sign-in itself needs Redis on such a site, so write through the use cases
        service = catalog_service()
        mug = service.create_product(ProductData(name="Mug", sku="M-1", price=Decimal("2.00")))
        service.update_product(mug.id, {"price": Decimal("3.00")})
    answer = client.get("/api/products/mug")
    assert answer.status_code == 200 and answer.json["price"] == "3.00"
    assert client.get("/api/products").json["totalCount"] == 1
    assert len([line for line in log_lines if "cache" in line and "failed" in line]) == 1  # once per outage
