"""Providers deliver webhooks in any order: whatever the order (and concurrently), an order's paid
and refunded amounts end up those of the provider, on PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal
from itertools import permutations

import pytest

from tests.orders.test_order_payments import deliver, order, order_and_payment, paying  # noqa: F401 - fixture

# What a provider did to one payment of 20.00, in the order it happened (refunds are cumulative).
FAILED, SUCCEEDED = ("evt_fail", "failed", None), ("evt_ok", "succeeded", None)
R6, R12, R20 = ("evt_r6", "refunded", "6.00"), ("evt_r12", "refunded", "12.00"), ("evt_r20", "refunded", "20.00")
HISTORIES = {"declined, paid, refunded in part then in full": (FAILED, SUCCEEDED, R6, R20),
             "paid, refunded in two parts then in full": (SUCCEEDED, R6, R12, R20)}
TIMELINE = (FAILED, SUCCEEDED, R6, R12, R20)
PAID_STATUSES = {"Paid", "PartiallyRefunded", "Refunded"}


@pytest.fixture
def shop(paying, pg_url):  # noqa: F811 - extends the imported fixture
    paying.lamp = paying.product("Lamp", "10.00", 1000)
    return paying


def provider_truth(events) -> tuple[str, str]:
    """(captured, refunded) at the provider once these events have happened."""
    refunds = [Decimal(amount) for _, kind, amount in events if kind == "refunded"]
    captured = any(kind in ("succeeded", "refunded") for _, kind, _ in events)
    return ("20.00" if captured else "0.00"), f"{max(refunds, default=Decimal('0')):.2f}"


def recorded(shop, order_id) -> tuple[str, str]:
    """(paid, refunded) as the order records them."""
    seen = order(shop, order_id)
    return (seen["totalAmount"] if seen["paymentStatus"] in PAID_STATUSES else "0.00"), seen["refundedAmount"]


@pytest.mark.parametrize("history", HISTORIES.values(), ids=HISTORIES.keys())
def test_every_delivery_order_of_every_point_in_a_history_records_the_providers_amounts(shop, history):
    wrong = []
    for happened in range(1, len(history) + 1):
        events = history[:happened]
        for delivery in permutations(events):
            order_id, payment = order_and_payment(shop)
            for event_id, kind, amount in delivery:  # event ids are unique per provider, so per payment here
                assert deliver(shop, f"{payment['reference']}_{event_id}", kind, payment["reference"],
                               amount).status_code == 200
            if recorded(shop, order_id) != provider_truth(events):
                wrong.append(([kind + (amount or "") for _, kind, amount in delivery], recorded(shop, order_id)))
    assert wrong == []
    orders, fully_refunded = 1 + 2 + 6 + 24, 24  # only the whole history ends in a full refund
    assert shop.stock(shop.lamp) == 1000 - 2 * (orders - fully_refunded)  # a full refund before shipping restocks


def test_events_delivered_concurrently_record_the_providers_amounts(shop):
    for _ in range(8):
        order_id, payment = order_and_payment(shop)
        start = threading.Barrier(len(TIMELINE))
        answers = []

        def send(event, reference=payment["reference"], start=start, answers=answers):
            start.wait()  # each delivery gets its own test client (shop.client is a new one per access)
            event_id, kind, amount = event
            answers.append(deliver(shop, f"{reference}_{event_id}", kind, reference, amount).status_code)

        threads = [threading.Thread(target=send, args=(event,)) for event in TIMELINE]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers == [200] * len(TIMELINE)
        assert recorded(shop, order_id) == ("20.00", "20.00")
        assert order(shop, order_id)["status"] == "Refunded"


def test_events_that_overtake_the_payments_creation_are_held_then_applied(shop):
    order_id = shop.client.post("/api/orders", json={
        "items": [{"productId": str(shop.lamp), "quantity": 2}], "paymentMethod": "credit_card",
        "shippingAddress": {"street": "1 Main St", "city": "Town", "zipCode": "10001"}}, headers=shop.buyer).json["orderId"]
    reference = f"pay_{len(shop.provider.sessions) + 1}"  # the id the provider will give this payment
    assert deliver(shop, "evt_r1", "refunded", reference, "6.00").json == {"result": "held"}
    assert deliver(shop, "evt_ok", "succeeded", reference).json == {"result": "held"}
    assert order(shop, order_id)["status"] == "Pending"
    started = shop.client.post(f"/api/orders/{order_id}/payments", headers=shop.buyer).json
    assert started["reference"] == reference
    assert recorded(shop, order_id) == ("20.00", "6.00") and order(shop, order_id)["status"] == "Paid"
    assert deliver(shop, "evt_ok", "succeeded", reference).json == {"result": "duplicate"}


def test_a_staff_refund_after_an_early_partial_refund_records_what_the_provider_refunded(shop):
    order_id, payment = order_and_payment(shop)
    deliver(shop, "evt_r1", "refunded", payment["reference"], "6.00")  # refunded at the provider's dashboard
    deliver(shop, "evt_ok", "succeeded", payment["reference"])
    refund = shop.client.post(f"/api/admin/orders/{order_id}/refund", json={"amount": "6.00"}, headers=shop.clerk)
    assert refund.status_code == 200, refund.json
    at_provider = Decimal("6.00") + sum(amount for _, _, amount in shop.provider.refunds)
    assert recorded(shop, order_id) == ("20.00", f"{at_provider:.2f}") == ("20.00", "12.00")
    rest = shop.client.post(f"/api/admin/orders/{order_id}/refund", headers=shop.clerk).json
    assert rest["refundedAmount"] == "20.00"
    assert [amount for _, _, amount in shop.provider.refunds] == [Decimal("6.00"), None]  # None: all that is left
