"""Resource limits: bodies over ``[site] max_body_bytes`` (413), page sizes over 100, carts over
``max_lines``, over-long texts and query strings are refused early with a problem naming what
was too big, and nothing is stored."""

from __future__ import annotations

import pytest

from kernel.web.api import MAX_QUERY_BYTES
from tests.quality.storefront import ADDRESS, api_document, open_storefront

BODY_LIMIT = 16_384
MAX_LINES = 3


@pytest.fixture(scope="module")
def shop():
    with open_storefront(settings={"cart": {"max_lines": MAX_LINES}}, site={"max_body_bytes": BODY_LIMIT}) as storefront:
        yield storefront


def assert_problem(response, status: int, field: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json" and response.json["status"] == status
    if field:
        assert field in response.json["errors"], response.json


def test_a_body_over_the_site_limit_is_a_413_problem_and_nothing_is_stored(shop):
    product = {"name": "Huge", "sku": "HUGE-1", "price": "1.00", "description": "x" * BODY_LIMIT}
    assert_problem(shop.client.post("/api/products", json=product, headers=shop.headers("staff")), 413)
    assert shop.client.get("/api/products/huge").status_code == 404
    webhook = shop.client.post("/api/payments/stripe/webhook", data=b"{" + b" " * BODY_LIMIT + b"}",
                               headers={"Content-Type": "application/json", "Stripe-Signature": "t=1,v1=0"})
    assert_problem(webhook, 413)
    just_under = {**product, "description": "x" * (BODY_LIMIT // 2)}
    assert shop.client.post("/api/products", json=just_under, headers=shop.headers("staff")).status_code == 201


LISTS = sorted(path for path, operations in api_document()["paths"].items()
               if any(parameter["name"] == "pageSize" for parameter in operations.get("get", {}).get("parameters", [])))


def test_every_list_is_paged():
    assert {"/api/products", "/api/orders", "/api/admin/orders", "/api/users", "/api/admin/jobs"} <= set(LISTS)


def webhook_endpoint(shop) -> str:
    """An endpoint on a public address (never called: it asks for an event these tests do not raise)."""
    body = {"url": "http://93.184.216.34/hooks", "eventTypes": ["order.refunded"]}
    answer = shop.client.post("/api/admin/webhooks", json=body, headers=shop.headers("admin"))
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


@pytest.mark.parametrize("path", LISTS)
def test_page_sizes_above_100_are_refused_on_every_list(shop, path):
    url = path.replace("{ref}", shop.products[0]["slug"])
    if "{endpoint_id}" in url:
        url = url.replace("{endpoint_id}", webhook_endpoint(shop))
    headers = shop.headers("admin")
    assert_problem(shop.client.get(f"{url}?pageSize=101", headers=headers), 422, "pageSize")
    answer = shop.client.get(f"{url}?pageSize=100", headers=headers)
    assert answer.status_code == 200 and answer.json["pageSize"] == 100


def test_a_cart_holds_at_most_max_lines_lines(shop):
    buyer = shop.new_shopper()
    in_stock = [product["id"] for product in shop.products if product["stockQuantity"] > 0]
    assert len(in_stock) == MAX_LINES
    for product_id in in_stock:
        assert shop.client.post("/api/cart/items", json={"productId": product_id, "quantity": 1},
                                headers=buyer).status_code == 200
    extra = shop.client.post("/api/products", headers=shop.headers("staff"),
                             json={"name": "Extra", "sku": "EXTRA-1", "price": "2.00", "stockQuantity": 5}).json
    full = shop.client.post("/api/cart/items", json={"productId": extra["id"], "quantity": 1}, headers=buyer)
    assert_problem(full, 409)
    assert full.json["maxLines"] == MAX_LINES
    assert len(shop.client.get("/api/cart", headers=buyer).json["lines"]) == MAX_LINES


def _long_requests(shop):
    long = "x" * 10_000
    staff, buyer = shop.headers("staff"), shop.headers("customer")
    product = shop.products[0]
    order = {"items": [{"productId": product["id"], "quantity": 1}], "paymentMethod": "credit_card"}
    return {
        "password": ("POST", "/api/users/register", {"json": {"email": "long@example.com", "password": long}}),
        "email": ("POST", "/api/users/login", {"json": {"email": long + "@example.com", "password": "x"}}),
        "name": ("POST", "/api/products", {"json": {"name": long, "sku": "LONG-1", "price": "1.00"}, "headers": staff}),
        "text": ("POST", f"/api/products/{product['id']}/reviews", {"json": {"rating": 5, "text": long},
                                                                   "headers": buyer}),
        "q": ("GET", f"/api/products?q={long[:201]}", {}),
        "street": ("POST", "/api/orders", {"json": {**order, "shippingAddress": {**ADDRESS, "street": long}},
                                           "headers": buyer}),
        "Idempotency-Key": ("POST", "/api/orders", {"json": {**order, "shippingAddress": ADDRESS},
                                                    "headers": {**buyer, "Idempotency-Key": long[:256]}}),
        "X-Cart-Token": ("GET", "/api/cart", {"headers": {"X-Cart-Token": long[:201]}}),
    }


@pytest.mark.parametrize("field", ["password", "email", "name", "text", "q", "street", "Idempotency-Key",
                                   "X-Cart-Token"])
def test_over_long_text_is_refused_naming_the_field(shop, field):
    method, url, kwargs = _long_requests(shop)[field]
    answer = shop.client.open(url, method=method, **kwargs)
    assert_problem(answer, 422)
    assert field in str(answer.json["errors"]), answer.json  # errors of nested fields nest


def test_a_query_string_over_the_limit_is_414(shop):
    assert_problem(shop.client.get("/api/products?q=" + "x" * MAX_QUERY_BYTES), 414)
    assert shop.client.get("/api/products?q=" + "x" * 100).status_code == 200
