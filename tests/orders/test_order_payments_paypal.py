"""The whole path with the real PayPal plugin against the local PayPal emulator, on PostgreSQL:
checkout, approval at PayPal, verified webhooks, capture on ``authorized``, a staff refund through PayPal."""

from __future__ import annotations

import pytest

from tests.emulators.paypal import PayPalEmulator
from tests.orders.conftest import order_body


@pytest.fixture
def paypal_shop(make_shop, auth_headers):
    with PayPalEmulator() as emulator:
        shop = make_shop(plugins=("catalog", "cart", "orders", "paypal"), backend="postgres",
                         payments={"methods": {"paypal": "paypal"}},
                         settings={"paypal": {"client_id": emulator.client_id, "client_secret": emulator.client_secret,
                                              "webhook_id": emulator.webhook_id, "api_base": emulator.base_url,
                                              "timeout_seconds": 5}})
        shop.emulator = emulator
        shop.buyer, shop.clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
        yield shop


def post(shop, delivery):
    return shop.client.post("/api/payments/paypal/webhook", data=delivery.body, headers=dict(delivery.headers))


def staff_view(shop, order_id) -> dict:
    return shop.client.get(f"/api/admin/orders/{order_id}", headers=shop.clerk).json


def start_paypal_payment(shop, quantity=2) -> tuple[str, dict]:
    lamp = shop.product("Lamp", "25.00", 5)
    body = order_body((lamp, quantity), paymentMethod="paypal")
    order_id = shop.client.post("/api/orders", json=body, headers=shop.buyer).json["orderId"]
    started = shop.client.post(f"/api/orders/{order_id}/payments", headers=shop.buyer)
    assert started.status_code == 201, started.json
    return order_id, started.json


def test_a_paypal_payment_approved_by_the_buyer_is_captured_pays_the_order_and_a_refund_goes_back(paypal_shop):
    shop = paypal_shop
    order_id, payment = start_paypal_payment(shop)
    assert (payment["provider"], payment["amount"], payment["currency"]) == ("paypal", "50.00", "USD")
    assert payment["approvalUrl"] == f"{shop.emulator.base_url}/checkoutnow?token={payment['reference']}"

    shop.emulator.approve(payment["reference"])  # the buyer follows the approval URL
    assert staff_view(shop, order_id)["status"] == "Pending"  # nothing is paid until PayPal's word is verified
    (approved,) = shop.emulator.take_webhooks()
    assert post(shop, approved).json == {"result": "applied"}  # authorized: the orders side captures at once
    assert shop.emulator.orders[payment["reference"]]["status"] == "COMPLETED"
    assert [c["amount"]["value"] for c in shop.emulator.captures.values()] == ["50.00"]
    assert staff_view(shop, order_id)["status"] == "Paid"  # PayPal's answer to the capture call settles it
    (captured,) = shop.emulator.take_webhooks()
    assert post(shop, captured).json == {"result": "applied"}
    paid = staff_view(shop, order_id)
    assert (paid["status"], paid["paymentStatus"]) == ("Paid", "Paid")
    assert [h["toStatus"] for h in paid["history"]] == ["Pending", "Paid"]
    assert shop.recorder.kinds().count("OrderPaid") == 1
    subjects = sorted(line for mail in shop.mails() for line in mail.splitlines() if line.startswith("Subject:"))
    assert subjects == [f"Subject: Order {order_id[:8]} confirmed", f"Subject: Order {order_id[:8]} paid"]

    events = shop.rows("payment_events")
    assert [post(shop, d).json["result"] for d in (approved, captured)] == ["duplicate", "duplicate"]
    assert shop.rows("payment_events") == events and len(shop.emulator.captures) == 1
    assert staff_view(shop, order_id) == paid and shop.recorder.kinds().count("OrderPaid") == 1

    refund = shop.client.post(f"/api/admin/orders/{order_id}/refund", json={}, headers=shop.clerk)
    assert refund.status_code == 200, refund.json
    (paypal_order,) = shop.emulator.orders.values()
    assert [r["amount"]["value"] for r in paypal_order["purchase_units"][0]["payments"]["refunds"]] == ["50.00"]
    (refunded,) = shop.emulator.take_webhooks()
    assert post(shop, refunded).json == {"result": "applied"}  # PayPal reports the refund: not counted twice
    assert post(shop, refunded).json == {"result": "duplicate"}
    final = staff_view(shop, order_id)
    assert (final["status"], final["paymentStatus"], final["refundedAmount"]) == ("Refunded", "Refunded", "50.00")
    assert shop.recorder.kinds().count("OrderRefunded") == 1


def test_a_forged_paypal_webhook_is_400_and_stored_nowhere(paypal_shop):
    shop = paypal_shop
    order_id, payment = start_paypal_payment(shop)
    shop.emulator.approve(payment["reference"])
    (approved,) = shop.emulator.take_webhooks()
    forged = approved.body.replace(b'"APPROVED"', b'"COMPLETED"', 1)  # signed headers, altered body
    assert forged != approved.body
    response = shop.client.post("/api/payments/paypal/webhook", data=forged, headers=dict(approved.headers))
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert shop.rows("payment_events") == 0 and not shop.emulator.captures
    assert staff_view(shop, order_id)["status"] == "Pending"
