"""Selling end to end offline: an order paid with the test provider's hosted page, refunds
through it, and the rules around it (return URLs, production, the site's payment methods)."""

from __future__ import annotations

import re

import pytest

from kernel.site import SiteError
from tests.orders.conftest import order_body

RETURN = "http://localhost/shop/orders/done"


@pytest.fixture
def shop(make_shop, auth_headers):
    shop = make_shop(plugins=("catalog", "cart", "orders", "testpay"),
                     payments={"methods": {"testpay": "testpay", "bank_transfer": "offline"}})
    shop.buyer, shop.clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    shop.lamp = shop.product("Lamp", "10.00", 5)
    return shop


def place_and_start(shop, **urls):
    placed = shop.client.post("/api/orders", json=order_body((shop.lamp, 2), paymentMethod="testpay"), headers=shop.buyer)
    assert placed.status_code == 201, placed.json
    started = shop.client.post(f"/api/orders/{placed.json['orderId']}/payments", json=urls, headers=shop.buyer)
    assert started.status_code == 201, started.json
    return placed.json["orderId"], started.json


def press(shop, approval_url, action):
    return shop.client.post(approval_url, data={"action": action})


def staff_view(shop, order_id):
    return shop.client.get(f"/api/admin/orders/{order_id}", headers=shop.clerk).json


def test_pressing_pay_on_the_hosted_page_pays_the_order_and_sends_the_shopper_back(shop):
    order_id, payment = place_and_start(shop, returnUrl=RETURN)
    page = shop.client.get(payment["approvalUrl"])
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Cache-Control"] == "no-store" and "<script" not in page.text
    assert re.findall(r'<button type="submit" name="action" value="(\w+)"', page.text) == ["pay", "decline", "cancel"]
    assert "20.00 USD" in page.text

    paid = press(shop, payment["approvalUrl"], "pay")
    assert (paid.status_code, paid.headers["Location"]) == (303, RETURN)
    order = staff_view(shop, order_id)
    assert (order["status"], order["paymentStatus"]) == ("Paid", "Paid")
    assert shop.rows("payment_events") == 1
    assert "Pay</button>" not in shop.client.get(payment["approvalUrl"]).text  # settled: nothing left to press
    assert press(shop, payment["approvalUrl"], "pay").status_code == 409


def test_a_declined_payment_leaves_the_order_pending_and_can_be_paid_after(shop):
    order_id, payment = place_and_start(shop, returnUrl=RETURN)
    assert press(shop, payment["approvalUrl"], "decline").status_code == 303
    assert staff_view(shop, order_id)["status"] == "Pending"
    press(shop, payment["approvalUrl"], "pay")
    assert staff_view(shop, order_id)["status"] == "Paid"


def test_cancel_goes_to_the_cancel_url_and_without_a_return_url_to_the_order_s_return_page(shop):
    _, payment = place_and_start(shop, returnUrl=RETURN, cancelUrl=RETURN + "?cancelled=1")
    assert press(shop, payment["approvalUrl"], "cancel").headers["Location"] == RETURN + "?cancelled=1"
    order_id, payment = place_and_start(shop)
    done = press(shop, payment["approvalUrl"], "pay")
    assert done.status_code == 303 and done.headers["Location"] == f"http://localhost/checkout/return/{order_id}"


def test_a_staff_refund_goes_through_the_test_provider(shop):
    order_id, payment = place_and_start(shop)
    press(shop, payment["approvalUrl"], "pay")
    refunded = shop.client.post(f"/api/admin/orders/{order_id}/refund", json={"amount": "5.00"}, headers=shop.clerk)
    assert refunded.status_code == 200 and refunded.json["refundedAmount"] == "5.00"
    provider = shop.app.extensions["commerce"].payments.provider("testpay")
    assert provider.status(payment["reference"]).refunded.amount == 5


@pytest.mark.parametrize("field", ["returnUrl", "cancelUrl"])
def test_a_return_url_on_another_origin_is_refused_naming_the_field(shop, field):
    placed = shop.client.post("/api/orders", json=order_body((shop.lamp, 1), paymentMethod="testpay"), headers=shop.buyer)
    answer = shop.client.post(f"/api/orders/{placed.json['orderId']}/payments",
                              json={field: "https://evil.example/phish"}, headers=shop.buyer)
    assert answer.status_code == 422 and field in answer.json["errors"]
    assert shop.rows("payments") == 0


def test_an_allowed_origin_may_be_a_return_url(make_shop, auth_headers):
    shop = make_shop(plugins=("catalog", "orders", "testpay"), payments={
        "methods": {"testpay": "testpay"}, "return_origins": ["http://127.0.0.1:4200"]})
    buyer, lamp = auth_headers(shop.app), shop.product("Lamp", "10.00", 5)
    placed = shop.client.post("/api/orders", json=order_body((lamp, 1), paymentMethod="testpay"), headers=buyer)
    started = shop.client.post(f"/api/orders/{placed.json['orderId']}/payments",
                               json={"returnUrl": "http://127.0.0.1:4200/orders/1"}, headers=buyer)
    assert started.status_code == 201


def test_a_method_the_site_does_not_offer_is_refused_at_checkout_and_the_document_lists_the_site_s(shop):
    refused = shop.client.post("/api/orders", json=order_body((shop.lamp, 1), paymentMethod="credit_card"),
                               headers=shop.buyer)
    assert refused.status_code == 422 and "paymentMethod" in refused.json["errors"]
    assert shop.rows("orders") == 0 and shop.stock(shop.lamp) == 5
    schema = shop.client.get("/api/openapi.json").json["components"]["schemas"]["PlaceOrder"]
    assert schema["properties"]["paymentMethod"]["enum"] == ["testpay", "bank_transfer"]


def test_a_production_site_refuses_to_enable_testpay(make_app):
    with pytest.raises(SiteError, match="production site cannot enable 'testpay'"):
        make_app(["catalog", "orders", "testpay"], backend="sqlite",
                 site={"production": True, "secret_key": "x" * 40},
                 security={"jwt_secret": "y" * 40}, payments={"methods": {"testpay": "testpay"}})


def test_staff_read_an_orders_payment_records_attempts_and_refunds_with_their_amounts(shop):
    order_id, first = place_and_start(shop)
    press(shop, first["approvalUrl"], "decline")
    again = shop.client.post(f"/api/orders/{order_id}/payments", json={}, headers=shop.buyer).json
    press(shop, again["approvalUrl"], "pay")
    shop.client.post(f"/api/admin/orders/{order_id}/refund", json={"amount": "5.00"}, headers=shop.clerk)

    answer = shop.client.get(f"/api/admin/orders/{order_id}/payments", headers=shop.clerk)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    records = answer.json
    assert [(r["status"], r["amount"], r["refundedAmount"]) for r in records] == [
        ("failed", "20.00", "0.00"), ("succeeded", "20.00", "5.00")]  # the declined attempt stays on record
    declined, paid = records
    assert (declined["reference"], paid["reference"]) == (first["reference"], again["reference"])
    assert [event["kind"] for event in declined["events"]] == ["failed"]
    assert [event["kind"] for event in paid["events"]][0] == "succeeded" and paid["provider"] == "testpay"


def test_payment_records_are_for_staff_only_and_an_unknown_order_is_404(shop):
    order_id, _ = place_and_start(shop)
    assert shop.client.get(f"/api/admin/orders/{order_id}/payments", headers=shop.buyer).status_code == 403
    assert shop.client.get(f"/api/admin/orders/{order_id}/payments").status_code == 401
    missing = shop.client.get("/api/admin/orders/00000000-0000-0000-0000-000000000000/payments", headers=shop.clerk)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
