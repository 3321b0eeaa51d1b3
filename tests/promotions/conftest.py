"""A shop with promotions on PostgreSQL, and a staff member to create coupons over HTTP."""

from __future__ import annotations

import pytest

from tests.orders.conftest import Shop, make_shop, order_body  # noqa: F401 (fixture and helper shared with orders)

PLUGINS = ("catalog", "cart", "orders", "promotions")


def cart_checkout() -> dict:
    """The checkout body for the current cart."""
    body = order_body()
    del body["items"]
    return body | {"fromCart": True}


@pytest.fixture
def promo_shop(make_shop) -> Shop:
    return make_shop(plugins=PLUGINS, database={"pool_size": 20})


@pytest.fixture
def coupon(promo_shop, auth_headers):
    """``coupon(code="SPRING10", discountType="percentage", value="10", **more)``: created by staff."""
    staff = auth_headers(promo_shop.app, "staff")

    def create(code="SPRING10", discount_type="percentage", value="10", **more) -> dict:
        response = promo_shop.client.post("/api/admin/promotions", headers=staff,
                                          json={"code": code, "discountType": discount_type, "value": value, **more})
        assert response.status_code == 201, response.json
        return response.json

    create.staff = staff
    return create
