"""The orders side of payments: attempts, the verified webhook inbox, refunds through the provider."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from kernel import plugins as kernel_plugins
from tests.orders import fakepay
from tests.orders.conftest import order_body
from tests.orders.fakepay import signed


@pytest.fixture
def paying(make_shop, auth_headers, monkeypatch):
    installed = kernel_plugins.discover()
    plugin = EntryPoint("fakepay", fakepay.__name__, kernel_plugins.ENTRY_POINT_GROUP)
    monkeypatch.setattr(kernel_plugins, "discover", lambda: {**installed, "fakepay": plugin})
    shop = make_shop(plugins=("catalog", "cart", "orders", "fakepay"), payments={"methods": {"credit_card": "fakepay", "bank_transfer": "offline"}})
    shop.provider = fakepay.providers[shop.app.extensions["commerce"].site.name]
    shop.buyer, shop.clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    shop.lamp = shop.product("Lamp", "10.00", 5)
    return shop


def order_and_payment(shop, quantity=2):
    order_id = shop.client.post("/api/orders", json=order_body((shop.lamp, quantity)), headers=shop.buyer).json["orderId"]
    started = shop.client.post(f"/api/orders/{order_id}/payments", headers=shop.buyer)
    assert started.status_code == 201, started.json
    return order_id, started.json


def deliver(shop, event_id, kind, reference, amount=None, secret=None):
    event = {"id": event_id, "type": kind, "reference": reference, "amount": amount}
    body, headers = signed(event) if secret is None else signed(event, secret)
    return shop.client.post("/api/payments/fakepay/webhook", data=body, headers=headers)


def order(shop, order_id):
    return shop.client.get(f"/api/admin/orders/{order_id}", headers=shop.clerk).json


def test_starting_a_payment_answers_what_the_client_needs_and_a_retry_reuses_it(paying):
    order_id, payment = order_and_payment(paying)
    assert payment["provider"] == "fakepay" and payment["amount"] == "20.00"
    assert payment["clientSecret"] == f"{payment['reference']}_secret" and payment["status"] == "requires_action"
    again = paying.client.post(f"/api/orders/{order_id}/payments", headers=paying.buyer).json
    assert (again["paymentId"], again["reference"]) == (payment["paymentId"], payment["reference"])
    assert paying.rows("payments") == 1


def test_a_method_without_a_provider_cannot_be_paid_online(paying):
    body = order_body((paying.lamp, 1), paymentMethod="bank_transfer")
    order_id = paying.client.post("/api/orders", json=body, headers=paying.buyer).json["orderId"]
    response = paying.client.post(f"/api/orders/{order_id}/payments", headers=paying.buyer)
    assert response.status_code == 422 and "paymentMethod" in response.json["errors"]


def test_a_verified_success_pays_the_order_once(paying):
    order_id, payment = order_and_payment(paying)
    assert deliver(paying, "evt_1", "succeeded", payment["reference"]).json == {"result": "applied"}
    assert deliver(paying, "evt_1", "succeeded", payment["reference"]).json == {"result": "duplicate"}
    assert deliver(paying, "evt_2", "succeeded", payment["reference"]).json == {"result": "applied"}
    paid = order(paying, order_id)
    assert (paid["status"], paid["paymentStatus"]) == ("Paid", "Paid")
    assert [h["toStatus"] for h in paid["history"]] == ["Pending", "Paid"]
    assert paying.recorder.kinds().count("OrderPaid") == 1
    subjects = sorted(line for mail in paying.mails() for line in mail.splitlines() if line.startswith("Subject:"))
    assert subjects == [f"Subject: Order {order_id[:8]} confirmed", f"Subject: Order {order_id[:8]} paid"]
    assert paying.rows("payment_events") == 2


def test_an_invalid_signature_is_400_and_stores_nothing(paying):
    order_id, payment = order_and_payment(paying)
    response = deliver(paying, "evt_1", "succeeded", payment["reference"], secret=b"forged")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert paying.rows("payment_events") == 0 and order(paying, order_id)["status"] == "Pending"


def test_an_unknown_provider_is_404(paying):
    body, headers = signed({"id": "x", "type": "succeeded", "reference": "r"})
    assert paying.client.post("/api/payments/nopay/webhook", data=body, headers=headers).status_code == 404


def test_a_late_failure_never_undoes_a_success(paying):
    order_id, payment = order_and_payment(paying)
    deliver(paying, "evt_1", "succeeded", payment["reference"])
    deliver(paying, "evt_0", "failed", payment["reference"])
    assert order(paying, order_id)["status"] == "Paid"


def test_a_staff_refund_goes_through_the_provider_and_its_webhook_is_not_counted_twice(paying):
    order_id, payment = order_and_payment(paying)
    deliver(paying, "evt_1", "succeeded", payment["reference"])
    refunded = paying.client.post(f"/api/admin/orders/{order_id}/refund", json={"amount": "5.00"},
                                  headers=paying.clerk).json
    assert refunded["refundedAmount"] == "5.00"
    assert [(ref, amount) for _, ref, amount in paying.provider.refunds] == [(payment["reference"], 5)]
    deliver(paying, "evt_2", "refunded", payment["reference"], amount="5.00")  # the provider confirms
    assert order(paying, order_id)["refundedAmount"] == "5.00"


def test_a_refund_the_provider_refuses_changes_nothing(paying):
    order_id, payment = order_and_payment(paying)
    deliver(paying, "evt_1", "succeeded", payment["reference"])
    paying.provider.down = True
    response = paying.client.post(f"/api/admin/orders/{order_id}/cancel", headers=paying.clerk)
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert order(paying, order_id)["status"] == "Paid" and paying.stock(paying.lamp) == 3


def test_a_refund_made_at_the_provider_is_applied_to_the_order(paying):
    order_id, payment = order_and_payment(paying)
    deliver(paying, "evt_1", "succeeded", payment["reference"])
    deliver(paying, "evt_2", "refunded", payment["reference"], amount="20.00")
    refunded = order(paying, order_id)
    assert (refunded["status"], refunded["paymentStatus"], refunded["refundedAmount"]) == ("Refunded", "Refunded",
                                                                                          "20.00")
    assert paying.stock(paying.lamp) == 5 and paying.provider.refunds == []


def test_money_for_an_order_already_cancelled_is_given_back(paying):
    order_id, payment = order_and_payment(paying)
    paying.client.post(f"/api/orders/{order_id}/cancel", headers=paying.buyer)
    deliver(paying, "evt_1", "succeeded", payment["reference"])
    assert order(paying, order_id)["status"] == "Cancelled"
    assert [(ref, amount) for _, ref, amount in paying.provider.refunds] == [(payment["reference"], None)]
