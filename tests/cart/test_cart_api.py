"""The cart as a shopper meets it over HTTP: guest carts, limits, prices, problem+json errors."""

from uuid import uuid4

import pytest

from .cart_http import TOKEN, add, assert_problem


@pytest.fixture
def site(cart_site):
    return cart_site()


def test_a_guest_adds_changes_and_removes_lines(site):
    mug, tea = site.shop.product("Mug", "12.50", stock=20), site.shop.product("Tea", "3.99")
    empty = site.client.get("/api/cart")
    assert empty.status_code == 200 and empty.json["lines"] == [] and empty.json["subtotal"] == "0.00"
    assert empty.headers["Cache-Control"] == "no-store"

    first = add(site, mug, 2)
    assert first.status_code == 200
    token = first.json["cartToken"]
    assert first.headers[TOKEN] == token
    add(site, tea, 1, token)
    again = add(site, mug, 3, token)
    assert "cartToken" not in again.json and TOKEN not in again.headers
    assert [(line["name"], line["quantity"], line["lineTotal"]) for line in again.json["lines"]] == [
        ("Mug", 5, "62.50"), ("Tea", 1, "3.99")]
    assert again.json["subtotal"] == "66.49" and again.json["itemCount"] == 6 and again.json["currency"] == "USD"

    changed = site.client.patch(f"/api/cart/items/{mug}", json={"quantity": 1}, headers={TOKEN: token})
    assert changed.status_code == 200 and changed.json["subtotal"] == "16.49"
    removed = site.client.patch(f"/api/cart/items/{tea}", json={"quantity": 0}, headers={TOKEN: token})
    assert [line["productId"] for line in removed.json["lines"]] == [mug]
    assert site.client.delete(f"/api/cart/items/{mug}", headers={TOKEN: token}).status_code == 204
    assert site.client.get("/api/cart", headers={TOKEN: token}).json["lines"] == []

    add(site, tea, 2, token)
    assert site.client.delete("/api/cart", headers={TOKEN: token}).status_code == 204
    assert site.client.get("/api/cart", headers={TOKEN: token}).json["itemCount"] == 0


def test_money_is_exact(site):
    dime = site.shop.product("Dime sticker", "0.10", stock=50)
    body = add(site, dime, 3).json
    assert body["lines"][0]["lineTotal"] == "0.30" and body["subtotal"] == "0.30"


def test_a_price_change_in_the_catalog_shows_in_the_cart(site):
    mug = site.shop.product("Mug", "12.50")
    token = add(site, mug, 2).json["cartToken"]
    site.shop.change(mug, price="9.99")
    [line] = site.client.get("/api/cart", headers={TOKEN: token}).json["lines"]
    assert (line["unitPrice"], line["lineTotal"], line["priceWhenAdded"], line["priceChanged"]) == (
        "9.99", "19.98", "12.50", True)


def test_availability_follows_stock_and_sale_status(site):
    mug, tea = site.shop.product("Mug", "12.50", stock=5), site.shop.product("Tea", "3.99")
    token = add(site, mug, 4).json["cartToken"]
    add(site, tea, 1, token)
    site.shop.change(mug, stock=2)
    site.shop.change(tea, active=False)
    body = site.client.get("/api/cart", headers={TOKEN: token}).json
    assert [(line["availability"], line["availableQuantity"]) for line in body["lines"]] == [
        ("insufficient_stock", 2), ("unavailable", 0)]
    assert body["subtotal"] == "50.00"  # the line not for sale does not count


def test_stock_limit_is_a_409_naming_what_is_available(site):
    mug = site.shop.product("Mug", stock=3)
    token = add(site, mug, 2).json["cartToken"]
    refused = add(site, mug, 2, token)
    assert_problem(refused, 409, "quantity")
    assert refused.json["availableQuantity"] == 3 and refused.json["productId"] == mug
    assert_problem(site.client.patch(f"/api/cart/items/{mug}", json={"quantity": 4}, headers={TOKEN: token}), 409)
    assert site.client.get("/api/cart", headers={TOKEN: token}).json["lines"][0]["quantity"] == 2


@pytest.mark.parametrize("body, status, field", [
    ({"quantity": 1}, 422, "productId"),
    ({"productId": "nope", "quantity": 1}, 422, "productId"),
    ({"productId": "{product}", "quantity": "2"}, 422, "quantity"),
    ({"productId": "{product}", "quantity": 1.5}, 422, "quantity"),
    ({"productId": "{product}", "quantity": 0}, 422, "quantity"),
    ({"productId": "{product}", "quantity": 100}, 422, "quantity"),
    ({"productId": "{product}", "quantity": 1, "price": "0.01"}, 422, "price"),
])
def test_bad_input_is_a_problem_naming_the_field(site, body, status, field):
    mug = site.shop.product("Mug", stock=500)
    body = {key: (value.format(product=mug) if isinstance(value, str) else value) for key, value in body.items()}
    assert_problem(site.client.post("/api/cart/items", json=body), status, field)
    assert_problem(site.client.post("/api/cart/items", data="{not json", content_type="application/json"), 400)
    assert_problem(site.client.patch(f"/api/cart/items/{mug}", json={"quantity": -1}), 422, "quantity")


def test_unknown_and_inactive_products(site):
    retired = site.shop.product("Retired")
    site.shop.change(retired, active=False)
    assert_problem(add(site, str(uuid4())), 404)
    assert_problem(add(site, retired), 422, "productId")
    assert_problem(site.client.delete("/api/cart/items/not-a-uuid"), 404)


def test_a_guest_can_only_reach_the_cart_of_their_own_token(site):
    mug = site.shop.product("Mug")
    token = add(site, mug).json["cartToken"]
    cart_id, secret = token.split(".")
    for other in (f"{cart_id}.{secret[:-1]}x", f"{uuid4().hex}.{secret}", "garbage"):
        assert_problem(site.client.get("/api/cart", headers={TOKEN: other}), 404)
        assert_problem(add(site, mug, token=other), 404)
        assert_problem(site.client.delete("/api/cart", headers={TOKEN: other}), 404)
        assert_problem(site.client.delete(f"/api/cart/items/{mug}", headers={TOKEN: other}), 404)
    assert site.client.get("/api/cart", headers={TOKEN: token}).json["itemCount"] == 1


def test_limits_are_configured_per_site(cart_site):
    site = cart_site(max_quantity_per_line=5, max_lines=2)
    mug, tea, jam = (site.shop.product(name, stock=50) for name in ("Mug", "Tea", "Jam"))
    token = add(site, mug, 5).json["cartToken"]
    assert_problem(add(site, mug, 1, token), 422, "quantity")
    add(site, tea, 1, token)
    full = add(site, jam, 1, token)
    assert_problem(full, 409)
    assert full.json["maxLines"] == 2


def test_signed_in_shoppers_have_their_own_carts(site, auth_headers):
    mug = site.shop.product("Mug")
    alice, bob = auth_headers(site.app), auth_headers(site.app)
    guest_token = add(site, mug, 1).json["cartToken"]
    answer = add(site, mug, 2, headers=alice)
    assert answer.status_code == 200 and "cartToken" not in answer.json
    # a signed-in shopper's request ignores any cart token: nobody else's cart is reachable
    assert site.client.get("/api/cart", headers={**bob, TOKEN: guest_token}).json["lines"] == []
    assert_problem(site.client.delete(f"/api/cart/items/{mug}", headers=bob), 404)
    assert_problem(site.client.patch(f"/api/cart/items/{mug}", json={"quantity": 1}, headers=bob), 404)
    assert site.client.get("/api/cart", headers=alice).json["lines"][0]["quantity"] == 2
    assert site.client.get("/api/cart", headers={TOKEN: guest_token}).json["lines"][0]["quantity"] == 1


def test_an_invalid_bearer_token_is_a_401_not_a_guest_cart(site):
    assert_problem(site.client.get("/api/cart", headers={"Authorization": "Bearer not-a-jwt"}), 401)


def test_the_guest_cart_merges_at_login_capped_by_stock(site, auth_headers):
    mug, tea = site.shop.product("Mug", stock=5), site.shop.product("Tea")
    shopper = auth_headers(site.app)
    add(site, mug, 3, headers=shopper)
    token = add(site, mug, 4).json["cartToken"]
    add(site, tea, 2, token)

    login = site.client.post("/api/users/login", json={"email": shopper.email, "password": shopper.password},
                             headers={TOKEN: token})
    assert login.status_code == 200

    cart = site.client.get("/api/cart", headers=shopper).json
    assert {line["name"]: line["quantity"] for line in cart["lines"]} == {"Mug": 5, "Tea": 2}
    assert_problem(site.client.get("/api/cart", headers={TOKEN: token}), 404)


def test_the_guest_cart_becomes_the_new_accounts_cart_at_registration(site):
    mug = site.shop.product("Mug")
    token = add(site, mug, 2).json["cartToken"]
    registered = site.client.post("/api/users/register", headers={TOKEN: token},
                                  json={"email": "new@example.com", "password": "a long enough passphrase 42"})
    assert registered.status_code == 201, registered.json
    login = site.client.post("/api/users/login", json={"email": "new@example.com",
                                                       "password": "a long enough passphrase 42"})
    bearer = {"Authorization": f"Bearer {login.json['accessToken']}"}
    assert site.client.get("/api/cart", headers=bearer).json["lines"][0]["quantity"] == 2
