"""The whole path with the real Stripe plugin against the local Stripe emulator: checkout, payment
on Stripe Checkout's page and back to the shop, signed webhooks into the inbox, a staff refund
through Stripe."""

from __future__ import annotations

import pytest
import requests

from tests.emulators.stripe import StripeEmulator
from tests.orders.conftest import order_body


@pytest.fixture
def stripe_shop(make_shop, auth_headers):
    with StripeEmulator(webhook_secrets=("whsec_orders",)) as emulator:
        shop = make_shop(plugins=("catalog", "orders", "stripe"), payments={"methods": {"credit_card": "stripe"}},
                         settings={"stripe": {"secret_key": emulator.api_key, "webhook_secret": "whsec_orders",
                                              "api_base": emulator.base_url, "max_network_retries": 0,
                                              "timeout_seconds": 5}})
        shop.emulator = emulator
        shop.buyer, shop.clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
        yield shop


def post_webhooks(shop) -> list[str]:
    return [shop.client.post("/api/payments/stripe/webhook", data=delivery.body, headers=dict(delivery.headers))
            .json["result"] for delivery in shop.emulator.take_webhooks()]


def test_a_card_payment_confirmed_by_stripe_pays_the_order_and_a_refund_goes_back_to_stripe(stripe_shop):
    shop = stripe_shop
    lamp = shop.product("Lamp", "25.00", 5)
    order_id = shop.client.post("/api/orders", json=order_body((lamp, 2)), headers=shop.buyer).json["orderId"]
    payment = shop.client.post(f"/api/orders/{order_id}/payments", headers=shop.buyer).json
    assert payment["provider"] == "stripe" and payment["clientSecret"] is None
    assert payment["approvalUrl"] == f"{shop.emulator.base_url}/c/pay/{payment['reference']}"

    assert "Pay" in requests.get(payment["approvalUrl"], timeout=5).text  # Stripe Checkout's page
    paid = requests.post(payment["approvalUrl"], data={"action": "pay"}, allow_redirects=False, timeout=5)
    assert paid.status_code == 303 and paid.headers["Location"] == f"http://localhost/checkout/return/{order_id}"
    deliveries = shop.emulator.take_webhooks()
    results = [shop.client.post("/api/payments/stripe/webhook", data=d.body, headers=dict(d.headers)).json["result"]
               for d in deliveries + deliveries]  # every delivery twice
    first, again = results[:len(deliveries)], results[len(deliveries):]
    assert "applied" in first and again == ["duplicate" if result == "applied" else result for result in first]
    staff_view = shop.client.get(f"/api/admin/orders/{order_id}", headers=shop.clerk).json
    assert (staff_view["status"], staff_view["paymentStatus"]) == ("Paid", "Paid")

    refund = shop.client.post(f"/api/admin/orders/{order_id}/refund", json={"amount": "10.00"}, headers=shop.clerk)
    assert refund.status_code == 200, refund.json
    assert [r["amount"] for r in shop.emulator.refunds.values()] == [1000]
    post_webhooks(shop)  # Stripe reports the refund: not counted twice
    assert shop.client.get(f"/api/admin/orders/{order_id}", headers=shop.clerk).json["refundedAmount"] == "10.00"


def test_a_forged_stripe_webhook_is_400_and_stored_nowhere(stripe_shop):
    shop = stripe_shop
    response = shop.client.post("/api/payments/stripe/webhook", data=b'{"id": "evt_forged"}',
                                headers={"Stripe-Signature": "t=1,v1=deadbeef", "Content-Type": "application/json"})
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert shop.rows("payment_events") == 0
