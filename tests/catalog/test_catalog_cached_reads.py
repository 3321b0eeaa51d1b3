"""Cached listing pages and product details answered in front of Flask (kernel.web.cached_reads):
a client cannot tell them from the app's own answers, they count against the same rate limit,
and whatever they cannot answer exactly goes to the app."""

import pytest
from flask import abort
from werkzeug.test import Client

from plugins.catalog.services import CatalogCache
from tests.catalog.test_catalog_caching import stock

PER_REQUEST = {"Date", "X-Request-ID", "X-RateLimit-Remaining", "X-RateLimit-Reset"}  # a 200 carries no Retry-After
LISTING = "/api/products?category=kitchen&pageSize=5&sort=name"


@pytest.fixture
def shop(catalog_site, redis_server_url, site_name):
    """Production-like: PostgreSQL, the cache and the limiter on Redis."""
    site = catalog_site(backend="postgres", site={"name": site_name}, cache={"url": redis_server_url},
                        rate_limits={"default": "50/minute", "storage_url": redis_server_url})
    stock(site, products=8)
    return site


def app_only(app) -> Client:
    """A client of the Flask app itself, behind the cached reads."""
    return Client(app.wsgi_app.app)


def comparable(answer):
    return answer.status_code, answer.data, sorted((k, v) for k, v in answer.headers.items() if k not in PER_REQUEST)


def stop_the_app(app):
    """From now on every request that reaches Flask fails (cached reads still answer)."""
    app.before_request_funcs.setdefault(None, []).insert(0, lambda: abort(418))


@pytest.mark.parametrize("path", [LISTING, "/api/products", "/api/products?q=mug&sort=relevance",
                                  "/api/products/mug-03"])
def test_a_cached_read_is_the_apps_own_answer(shop, path):
    first = shop.client.get(path)  # a miss: the app answers and caches it
    assert first.status_code == 200
    stop_the_app(shop.app)
    cached = shop.client.get(path)
    assert comparable(cached) == comparable(first)
    assert PER_REQUEST <= set(cached.headers.keys())
    assert app_only(shop.app).get(path).status_code == 418  # so the answer did not come from the app


def test_the_same_counter_counts_both_paths_and_the_app_refuses_the_client_over_its_limit(
        catalog_site, redis_server_url, site_name):
    site = catalog_site(backend="postgres", site={"name": site_name}, cache={"url": redis_server_url},
                        rate_limits={"default": "4/minute", "storage_url": redis_server_url})
    stock(site, products=2)
    conditional = {"If-None-Match": '"another"'}  # the app answers conditional requests itself
    answers = [site.client.get(LISTING), site.client.get(LISTING), site.client.get(LISTING, headers=conditional),
               site.client.get(LISTING), site.client.get(LISTING)]
    assert [a.status_code for a in answers] == [200, 200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers[:4]] == ["3", "2", "1", "0"]
    assert answers[-1].mimetype == "application/problem+json"
    assert int(answers[-1].headers["Retry-After"]) > 0


def test_each_forwarded_client_has_its_own_limit_behind_a_trusted_proxy(catalog_site, redis_server_url, site_name):
    site = catalog_site(backend="postgres", site={"name": site_name}, cache={"url": redis_server_url},
                        security={"trusted_proxies": 1},
                        rate_limits={"default": "2/minute", "storage_url": redis_server_url})
    stock(site, products=1)

    def get_as(address):
        return site.client.get(LISTING, headers={"X-Forwarded-For": address}).status_code

    assert [get_as("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert get_as("198.51.100.9") == 200


def test_what_only_the_app_can_answer_goes_to_the_app(shop):
    shop.client.get(LISTING)
    shop.client.get("/api/products/mug-03")
    stop_the_app(shop.app)
    assert shop.client.get(LISTING).status_code == 200
    for reaches_the_app in [
        shop.client.get(LISTING + "&colour=blue"),  # a parameter the view refuses
        shop.client.get("/api/products?pageSize=500"),
        shop.client.get("/api/products?pageSize=7"),  # not cached yet
        shop.client.get(LISTING, headers=shop.customer),
        shop.client.get(LISTING, headers={"Origin": "https://shop.example"}),
        shop.client.get(LISTING, headers={"If-None-Match": '"x"'}),
        shop.client.head(LISTING),
        shop.client.get("/api/products/mug-03?preview=1"),
        shop.client.get("/api/products/no-such-mug"),
    ]:
        assert reaches_the_app.status_code == 418


def test_a_failing_cached_read_costs_nothing_but_speed(shop, monkeypatch, log_lines):
    expected = shop.client.get(LISTING).json
    monkeypatch.setattr(CatalogCache, "cached_listing", lambda *_: 1 / 0)
    answer = shop.client.get(LISTING)
    assert answer.status_code == 200
    assert answer.json == expected
    assert any("cached read failed" in line and "ZeroDivisionError" in line for line in log_lines)


def test_a_refused_query_still_gets_the_apps_problem_naming_the_field(shop):
    shop.client.get(LISTING)
    answer = shop.client.get("/api/products?pageSize=500")
    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert "pageSize" in answer.json["errors"]


def test_a_write_is_seen_at_once_by_the_cached_reads(shop):
    assert shop.client.get("/api/products/mug-03").json["price"] == "10.00"
    shop.client.get(LISTING)
    shop.client.patch("/api/products/mug-03", headers=shop.staff, json={"price": "11.00"})
    assert shop.client.get("/api/products/mug-03").json["price"] == "11.00"
    assert "11.00" in [item["price"] for item in shop.client.get("/api/products?category=kitchen&pageSize=5&sort=name")
                       .json["items"]]


def test_on_a_site_with_cors_origins_the_app_answers_every_read(catalog_site, redis_server_url):
    site = catalog_site(backend="postgres", cache={"url": redis_server_url},
                        security={"cors_origins": ["https://shop.example"]})
    stock(site, products=1)
    assert site.client.get(LISTING).status_code == 200
    stop_the_app(site.app)
    assert site.client.get(LISTING).status_code == 418


def test_on_an_https_site_a_cached_read_carries_hsts_as_the_app_does(catalog_site, redis_server_url):
    site = catalog_site(backend="postgres", cache={"url": redis_server_url}, security={"https": True})
    stock(site, products=1)
    first = site.client.get(LISTING)
    stop_the_app(site.app)
    assert comparable(site.client.get(LISTING)) == comparable(first)
    assert "Strict-Transport-Security" in first.headers
