"""Checkout meets the accounts: saved addresses by id, the verified-email option, and guest orders
that join the account once its owner verifies the address (PostgreSQL and Redis)."""

from __future__ import annotations

import pytest

from tests.identity.accounts_site import bearer, make_accounts_site, problem_fields
from tests.orders.conftest import ADDRESS, insert_product, stock_of

__all__ = ["make_accounts_site"]
PLUGINS = ("catalog", "cart", "orders")
HOME = {"name": "Ada Lovelace", "street": "12 St James's Square", "city": "London", "zipCode": "SW1Y 4JH"}


@pytest.fixture
def site(make_accounts_site):
    site = make_accounts_site(PLUGINS, settings={"orders": {"confirmation_delay_minutes": 0}})
    site.lamp = insert_product(site.app, "Lamp", "10.00", 5)
    return site


def checkout(site, headers, **addresses):
    body = {"items": [{"productId": str(site.lamp), "quantity": 1}], "paymentMethod": "credit_card", **addresses}
    return site.client.post("/api/orders", headers=headers, json=body)


def saved(site, headers, address=HOME) -> str:
    return site.client.post("/api/users/me/addresses", headers=headers, json=address).json["id"]


def test_checkout_ships_to_a_saved_address_given_by_id(site):
    ada = site.verified_customer()
    home, billing = saved(site, ada), saved(site, ada, {**HOME, "street": "1 Bill Street"})
    placed = checkout(site, ada, shippingAddressId=home, billingAddressId=billing)
    assert placed.status_code == 201, placed.json
    assert placed.json["shippingAddress"] == HOME
    assert placed.json["billingAddress"]["street"] == "1 Bill Street"


@pytest.mark.parametrize("addresses, field", [
    ({"shippingAddressId": "theirs"}, "shippingAddressId"),
    ({"shippingAddress": ADDRESS, "billingAddressId": "theirs"}, "billingAddressId"),
    ({"shippingAddressId": "00000000-0000-4000-8000-000000000000"}, "shippingAddressId"),
    ({"shippingAddressId": "mine", "shippingAddress": ADDRESS}, "shippingAddress"),
    ({}, "shippingAddress"),
])
def test_an_address_that_is_not_the_shoppers_is_refused_naming_the_field_and_nothing_is_sold(site, addresses, field):
    ada, bob = site.verified_customer(), site.verified_customer()
    ids = {"theirs": saved(site, bob), "mine": saved(site, ada)}
    body = {name: ids.get(value, value) if isinstance(value, str) else value for name, value in addresses.items()}
    refused = checkout(site, ada, **body)
    assert refused.status_code == 422 and problem_fields(refused) == {field}, refused.json
    assert stock_of(site.app, site.lamp) == 5
    assert site.client.get("/api/orders", headers=ada).json["totalCount"] == 0


def test_a_site_can_require_a_verified_email_before_checkout(make_accounts_site):
    site = make_accounts_site(PLUGINS, settings={"orders": {"require_verified_email": True}})
    site.lamp = insert_product(site.app, "Lamp", "10.00", 5)
    site.register("new@example.com")
    unverified = bearer(site.sign_in("new@example.com"))

    refused = checkout(site, unverified, shippingAddress=ADDRESS)

    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert "Verify your email" in refused.json["detail"]
    assert stock_of(site.app, site.lamp) == 5
    site.client.post("/api/auth/email/verify", json={"token": site.last_link("new@example.com")[1]})
    assert checkout(site, unverified, shippingAddress=ADDRESS).status_code == 201


def guest_order(site, email) -> str:
    cart = site.client.post("/api/cart/items", json={"productId": str(site.lamp), "quantity": 1}).json["cartToken"]
    placed = site.client.post("/api/orders/guest", headers={"X-Cart-Token": cart},
                              json={"email": email, "shippingAddress": ADDRESS, "paymentMethod": "credit_card"})
    assert placed.status_code == 201, placed.json
    return placed.json["orderId"]


def order_ids(site, headers) -> list[str]:
    return [order["orderId"] for order in site.client.get("/api/orders", headers=headers).json["items"]]


def test_guest_orders_join_the_account_only_once_its_email_is_verified(site):
    mine = guest_order(site, "Grace@Example.com")
    guest_order(site, "someone.else@example.com")
    site.register("grace@example.com")
    grace = bearer(site.sign_in("grace@example.com"))
    assert order_ids(site, grace) == []  # registering with an address proves nothing

    site.client.post("/api/auth/email/verify", json={"token": site.last_link("grace@example.com")[1]})

    assert order_ids(site, grace) == [mine]
    assert site.client.get(f"/api/orders/{mine}", headers=grace).status_code == 200


def test_guest_orders_of_a_new_address_join_when_the_email_change_is_confirmed(site):
    ada = site.verified_customer("ada@example.com")
    theirs = guest_order(site, "ada.work@example.com")
    site.client.post("/api/users/me/email", headers=ada,
                     json={"newEmail": "ada.work@example.com", "password": "SecurePassword123!"})
    assert order_ids(site, ada) == []
    site.client.post("/api/auth/email/change/confirm", json={"token": site.last_link("ada.work@example.com")[1]})
    assert order_ids(site, ada) == [theirs]
