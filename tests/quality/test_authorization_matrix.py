"""The authorization matrix of a site with every built-in plugin: every route declares who may
call it (``public``, ``login_required`` or ``permission_required``); anonymous callers,
customers, staff and admins get exactly what that rule says; and a second shopper gets 404 on
every route that names the first shopper's cart line, order, payment or saved address."""

from __future__ import annotations

import uuid

import pytest

from kernel.web.auth import access_rule
from tests.quality.storefront import ADDRESS, open_storefront

CALLERS = (None, "customer", "staff", "admin")  # None: anonymous
# Shopper-reachable routes whose path names something that is shared by every shopper, not owned.
SHARED = {
    "GET /api/products/<ref>": "the catalog is public",
    "GET /api/products/<ref>/reviews": "reviews are public",
    "POST /api/products/<ref>/reviews": "the caller writes their own review; none can be edited or deleted",
    "GET /api/categories/<slug>": "the catalog is public",
    "POST /api/payments/<provider>/webhook": "the provider's, verified by its signature",
    "GET /media/<path:name>": "product images are public",
    "GET /api/docs/assets/swagger-ui/<path:filename>": "the API docs' static files",
    "GET /api/docs/assets/redoc/<path:filename>": "the API docs' static files",
    "GET /": "the storefront's page",
    "GET /<client_path:path>": "the storefront's files",
}
# Shopper-reachable routes whose path names the caller's own cart line, order or payment.
OWNED = {
    "GET /api/orders/<uuid:order_id>": "order",
    "POST /api/orders/<uuid:order_id>/cancel": "order",
    "POST /api/orders/<uuid:order_id>/payments": "order",
    "PATCH /api/cart/items/<uuid:variant_id>": "cart_line",
    "DELETE /api/cart/items/<uuid:variant_id>": "cart_line",
    "GET /api/users/me/addresses/<uuid:address_id>": "address",
    "PUT /api/users/me/addresses/<uuid:address_id>": "address",
    "DELETE /api/users/me/addresses/<uuid:address_id>": "address",
}
# Public routes whose resource opens only with a signed token the caller holds (a guest's order):
# without it they answer 404, as for another shopper (tests/pricing/test_guest_checkout.py).
OPENED_BY_TOKEN = {
    "GET /api/orders/guest/<uuid:order_id>": "X-Order-Token",
    "POST /api/orders/guest/<uuid:order_id>/payments": "X-Order-Token",
}
PLACEHOLDERS = {"uuid": lambda: str(uuid.uuid4()), "default": lambda: "nothing-here"}


@pytest.fixture(scope="module")
def shop():
    with open_storefront() as storefront:
        yield storefront


def routes(app):
    """``(label, rule, method, view)`` for every route of the site."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield f"{method} {rule.rule}", rule, method, app.view_functions[rule.endpoint]


def url_for_any(rule) -> str:
    """The rule's path with made-up values for its parameters (ids that match nothing)."""
    values = {name: PLACEHOLDERS.get(type(converter).__name__.removesuffix("Converter").lower(),
                                     PLACEHOLDERS["default"])()
              for name, converter in rule._converters.items()}
    return rule.build(values)[1]


def permissions_of(app, role: str | None, names) -> set[str]:
    grants = app.extensions["commerce"].identity.grants
    return {name for name in names if role is not None and grants.allows({role: ()}, name)}


def test_every_route_declares_who_may_call_it(shop):
    undeclared = [label for label, _, _, view in routes(shop.app) if access_rule(view) is None]
    assert undeclared == [], "routes without public/login_required/permission_required"


def test_each_caller_gets_what_the_route_declares(shop):
    client = shop.client
    wrong = []
    for label, rule, method, view in routes(shop.app):
        declared = access_rule(view)
        url = url_for_any(rule)
        for caller in CALLERS:
            refusal = declared.answer_for(caller is not None, permissions_of(shop.app, caller, declared.permissions))
            kwargs = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
            status = client.open(url, method=method, headers=shop.headers(caller), **kwargs).status_code
            if (refusal is None and status in (401, 403)) or (refusal is not None and status != refusal):
                wrong.append(f"{label} as {caller or 'anonymous'}: {status}, expected {refusal or 'not 401/403'}")
    assert wrong == []


def test_every_route_naming_a_shoppers_resource_is_covered(shop):
    """A new shopper route with an id must say whose resource it names (and then be tested below)."""
    named = {label for label, rule, _, view in routes(shop.app)
             if rule.arguments and not access_rule(view).permissions}
    assert named == set(SHARED) | set(OWNED) | set(OPENED_BY_TOKEN)


def test_a_second_shopper_gets_404_on_the_first_shoppers_resources(shop):
    client = shop.client
    first, second = shop.new_shopper(), shop.new_shopper()
    lamp, case = shop.products[0]["id"], shop.products[1]["id"]
    assert client.post("/api/cart/items", json={"productId": case, "quantity": 2}, headers=first).status_code == 200
    order = client.post("/api/orders", headers=first, json={
        "items": [{"productId": lamp, "quantity": 1}], "shippingAddress": ADDRESS, "paymentMethod": "credit_card"})
    assert order.status_code == 201, order.json
    payment = client.post(f"/api/orders/{order.json['orderId']}/payments", headers=first)
    assert payment.status_code == 201, payment.json
    review = client.post(f"/api/products/{lamp}/reviews", json={"rating": 5, "text": "Bright."}, headers=first)
    assert review.status_code == 201, review.json
    address = client.post("/api/users/me/addresses", json=ADDRESS, headers=first)
    assert address.status_code == 201, address.json
    ids = {"order": {"order_id": order.json["orderId"]}, "cart_line": {"variant_id": case},
           "address": {"address_id": address.json["id"]}}

    for label, resource in OWNED.items():
        method, rule = label.split(" ", 1)
        url = shop.app.url_map.bind("localhost").build(rule_endpoint(shop.app, method, rule), ids[resource])
        kwargs = {"json": {"quantity": 1}} if method == "PATCH" else {"json": ADDRESS} if method == "PUT" else {}
        answer = client.open(url, method=method, headers=second, **kwargs)
        assert answer.status_code == 404, (label, answer.status_code, answer.json)
        assert answer.mimetype == "application/problem+json"

    assert client.get("/api/orders", headers=second).json["items"] == []
    assert client.get("/api/cart", headers=second).json["lines"] == []
    mine = client.get(f"/api/orders/{order.json['orderId']}", headers=first).json
    assert mine["status"] == "Pending"
    assert [line["quantity"] for line in client.get("/api/cart", headers=first).json["lines"]] == [2]
    assert [saved["id"] for saved in client.get("/api/users/me/addresses", headers=first).json] == [address.json["id"]]
    reviews = client.get(f"/api/products/{lamp}/reviews").json["items"]
    assert [r["text"] for r in reviews] == ["Bright."] and first.email not in str(reviews)


def rule_endpoint(app, method: str, path: str) -> str:
    return next(rule.endpoint for rule in app.url_map.iter_rules() if rule.rule == path and method in rule.methods)
