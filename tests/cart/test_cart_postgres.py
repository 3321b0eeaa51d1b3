"""What depends on PostgreSQL itself: concurrent requests on one cart, constant query counts, migrations."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from kernel.infrastructure.db import db
from kernel.infrastructure.migrations import pending_schema_changes
from kernel.testing.queries import count_queries
from plugins.cart.orm import cart_items

from .cart_http import TOKEN, add

CONCURRENT = 8


@pytest.fixture
def site(cart_site):
    return cart_site(backend="postgres")


def add_at_once(site, product_id, headers) -> list[int]:
    """``CONCURRENT`` threads, each with its own client, add one item at the same moment."""
    start = threading.Barrier(CONCURRENT)

    def one(_):
        client = site.app.test_client()
        start.wait()
        return client.post("/api/cart/items", json={"productId": product_id, "quantity": 1}, headers=headers).status_code

    with ThreadPoolExecutor(CONCURRENT) as pool:
        return list(pool.map(one, range(CONCURRENT)))


def stored_lines(site) -> list[tuple]:
    with site.app.app_context():
        return db.session.execute(sa.select(cart_items.c.product_id, cart_items.c.quantity)).all()


def test_concurrent_adds_to_a_guest_cart_leave_one_line_with_the_sum(site):
    mug = site.shop.product("Mug", stock=100)
    token = add(site, mug, 1).json["cartToken"]
    assert add_at_once(site, mug, {TOKEN: token}) == [200] * CONCURRENT
    assert [(str(p), q) for p, q in stored_lines(site)] == [(mug, CONCURRENT + 1)]


def test_concurrent_first_adds_of_a_shopper_create_one_cart(site, auth_headers):
    mug = site.shop.product("Mug", stock=100)
    shopper = auth_headers(site.app)
    assert add_at_once(site, mug, shopper.headers) == [200] * CONCURRENT
    assert site.client.get("/api/cart", headers=shopper).json["lines"][0]["quantity"] == CONCURRENT
    assert [(str(p), q) for p, q in stored_lines(site)] == [(mug, CONCURRENT)]


def test_concurrent_adds_never_exceed_the_stock(site):
    mug = site.shop.product("Mug", stock=5)
    token = add(site, mug, 1).json["cartToken"]
    statuses = add_at_once(site, mug, {TOKEN: token})
    assert sorted(statuses) == [200] * 4 + [409] * (CONCURRENT - 4)
    assert [q for _, q in stored_lines(site)] == [5]


@pytest.mark.parametrize("request_kind", ["get", "add", "patch"])
def test_a_cart_request_costs_the_same_queries_whatever_its_size(site, auth_headers, request_kind):
    def cost(lines: int) -> int:
        shopper = auth_headers(site.app)
        products = [site.shop.product(f"P{lines}-{i}", stock=50) for i in range(lines)]
        for product_id in products:
            add(site, product_id, 1, headers=shopper)
        call = {
            "get": lambda: site.client.get("/api/cart", headers=shopper),
            "add": lambda: add(site, products[0], 1, headers=shopper),
            "patch": lambda: site.client.patch(f"/api/cart/items/{products[0]}", json={"quantity": 3}, headers=shopper),
        }[request_kind]
        with count_queries(site.app) as queries:
            assert call().status_code == 200
        return len(queries)

    assert cost(1) == cost(12)


def test_migrations_build_the_models_schema(cart_site):
    site = cart_site(backend="postgres", create_tables=False)  # built by upgrading every branch
    with site.app.app_context():
        assert pending_schema_changes(site.app) == []
    mug = site.shop.product("Mug")
    assert add(site, mug, 2).status_code == 200
