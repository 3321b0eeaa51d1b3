"""The order mails a shopper receives, on a real database and mail folder: what each says
stays true when the shopper reads it; and times keep their UTC offset on SQLite too."""

from __future__ import annotations

import pytest

from plugins.orders.notifications.tasks import send_confirmation
from tests.orders.conftest import order_body


def subjects(shop) -> list[str]:
    return [line for mail in shop.mails() for line in mail.splitlines() if line.startswith("Subject:")]


@pytest.fixture
def delayed_shop(make_shop, auth_headers):
    """The design's delay: the "placed" mail waits (a delayed job does not run in immediate mode)."""
    shop = make_shop(plugins=("catalog", "orders"), settings={"orders": {"confirmation_delay_minutes": 5}})
    shop.buyer, shop.lamp = auth_headers(shop.app), shop.product("Lamp", "10.00", 5)
    return shop


def test_an_order_cancelled_before_its_confirmation_gets_only_a_cancellation_mail(delayed_shop):
    shop = delayed_shop
    order_id = shop.client.post("/api/orders", json=order_body((shop.lamp, 1)), headers=shop.buyer).json["orderId"]
    assert subjects(shop) == []  # 5 minutes to go
    assert shop.client.post(f"/api/orders/{order_id}/cancel", headers=shop.buyer).status_code == 200
    with shop.app.app_context():
        assert send_confirmation(order_id, "placed") is False  # the delayed job runs: its mail is no longer true
        assert send_confirmation(order_id, "cancelled") is False  # already sent once, at the cancellation
    assert subjects(shop) == [f"Subject: Order {order_id[:8]} cancelled"]


def test_the_confirmation_of_an_order_still_pending_goes_out_after_the_delay(delayed_shop):
    shop = delayed_shop
    order_id = shop.client.post("/api/orders", json=order_body((shop.lamp, 1)), headers=shop.buyer).json["orderId"]
    with shop.app.app_context():
        assert send_confirmation(order_id, "placed") is True
    assert subjects(shop) == [f"Subject: Order {order_id[:8]} confirmed"]
    assert f"Message-ID: <order-{order_id}-placed@example.com>" in shop.mails()[0]


def test_times_read_back_from_sqlite_keep_their_utc_offset(make_shop, auth_headers):
    shop = make_shop(plugins=("catalog", "orders"), backend="sqlite")
    buyer, lamp = auth_headers(shop.app), shop.product("Lamp", "10.00", 5)
    order_id = shop.client.post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
    stored = shop.client.get(f"/api/orders/{order_id}", headers=buyer).json
    assert stored["orderDate"].endswith("+00:00")
    assert stored["history"][0]["occurredAt"].endswith("+00:00")
