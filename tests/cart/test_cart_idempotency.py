"""A retried cart change answers the first result instead of changing the cart again (on PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from .cart_http import TOKEN, add, assert_problem

KEY = "Idempotency-Key"


@pytest.fixture
def site(cart_site):
    return cart_site(backend="postgres")


def quantity_in_cart(site, headers) -> int:
    return sum(line["quantity"] for line in site.client.get("/api/cart", headers=headers).json["lines"])


def test_a_retried_add_answers_the_first_result_and_adds_once(site, auth_headers):
    mug = site.shop.product("Mug", stock=10)
    shopper = auth_headers(site.app)
    key = {**shopper.headers, KEY: str(uuid4())}
    first = add(site, mug, 2, headers=key)
    retry = add(site, mug, 2, headers=key)
    assert first.status_code == retry.status_code == 200
    assert retry.json == first.json and retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert quantity_in_cart(site, shopper) == 2
    assert add(site, mug, 2, headers={**shopper.headers, KEY: str(uuid4())}).json["itemCount"] == 4


def test_a_guests_retried_first_add_gets_the_same_new_cart(site):
    mug = site.shop.product("Mug", stock=10)
    key = {KEY: str(uuid4())}
    first, retry = add(site, mug, 1, headers=key), add(site, mug, 1, headers=key)
    token = first.json["cartToken"]
    assert retry.json["cartToken"] == retry.headers[TOKEN] == first.headers[TOKEN] == token
    assert quantity_in_cart(site, {TOKEN: token}) == 1
    # the same key on the guest's next change belongs to their cart now, not to the first add
    assert add(site, mug, 1, token=token, headers=key).json["itemCount"] == 2


def test_a_retried_quantity_change_replays(site, auth_headers):
    mug = site.shop.product("Mug", stock=10)
    shopper = auth_headers(site.app)
    add(site, mug, 1, headers=shopper)
    key = {**shopper.headers, KEY: "retry-1"}
    first, retry = (site.client.patch(f"/api/cart/items/{mug}", json={"quantity": 3}, headers=key) for _ in range(2))
    assert first.status_code == retry.status_code == 200
    assert retry.json == first.json and retry.headers["Idempotent-Replayed"] == "true"


def test_a_refused_change_is_not_stored_so_its_retry_runs_again(site, auth_headers):
    """This site has no promotions: a coupon is refused, and its retry is refused afresh."""
    shopper = auth_headers(site.app)
    add(site, site.shop.product("Mug", stock=10), 1, headers=shopper)
    key = {**shopper.headers, KEY: "coupon-1"}
    for _ in range(2):
        refused = site.client.post("/api/cart/coupon", json={"code": "SAVE10"}, headers=key)
        assert_problem(refused, 422, "code")
        assert "Idempotent-Replayed" not in refused.headers


def test_the_same_key_for_another_change_is_refused_and_changes_nothing(site, auth_headers):
    mug, tea = site.shop.product("Mug", stock=10), site.shop.product("Tea", stock=10)
    shopper = auth_headers(site.app)
    key = {**shopper.headers, KEY: "reused"}
    add(site, mug, 1, headers=key)
    assert_problem(add(site, tea, 1, headers=key), 422, KEY)
    assert quantity_in_cart(site, shopper) == 1
    assert_problem(add(site, mug, 1, headers={**shopper.headers, KEY: " padded "}), 422, KEY)


def test_keys_belong_to_their_owner(site, auth_headers):
    mug = site.shop.product("Mug", stock=10)
    alice, bob = auth_headers(site.app), auth_headers(site.app)
    add(site, mug, 1, headers={**alice.headers, KEY: "same"})
    bobs = add(site, mug, 3, headers={**bob.headers, KEY: "same"})
    assert bobs.status_code == 200 and "Idempotent-Replayed" not in bobs.headers
    assert (quantity_in_cart(site, alice), quantity_in_cart(site, bob)) == (1, 3)


def test_concurrent_retries_of_one_add_add_once(site, auth_headers):
    mug = site.shop.product("Mug", stock=100)
    shopper = auth_headers(site.app)
    headers = {**shopper.headers, KEY: str(uuid4())}
    racers = 8
    start = threading.Barrier(racers)

    def one(_):
        client = site.app.test_client()
        start.wait()
        return client.post("/api/cart/items", json={"productId": mug, "quantity": 1}, headers=headers)

    with ThreadPoolExecutor(racers) as pool:
        answers = list(pool.map(one, range(racers)))
    assert [a.status_code for a in answers] == [200] * racers
    assert sum(a.headers.get("Idempotent-Replayed") == "true" for a in answers) == racers - 1
    assert quantity_in_cart(site, shopper) == 1
