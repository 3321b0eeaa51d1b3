"""Order use cases against in-memory ports: checkout, stock, idempotency, life cycle, jobs."""

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from kernel.domain.errors import Conflict, NotFound, ValidationFailed
from kernel.domain.events import OrderCancelled, OrderPlaced
from kernel.domain.ports.catalog import StockLine
from kernel.idempotency.domain import IdempotentRequest
from kernel.testing.fakes import FakeCart, FakeCatalog, FakeIdempotencyStore, FakeJobs, FakeUnitOfWork
from plugins.orders.domain import Actor, LineRequest, OrderStatus
from plugins.orders.notifications.services import NotificationServices
from plugins.orders.services import OrderServices, PlaceOrder
from tests.orders.fakes import FakeNotificationLog, FakeOrders

ADDRESS = {"street": "1 Main St", "city": "Springfield", "zipCode": "12345"}


class Clock:
    def __init__(self):
        self.now = datetime(2026, 1, 1, 12, tzinfo=UTC)

    def __call__(self):
        return self.now


def render(order):
    return {"orderId": str(order.id), "status": str(order.status), "totalAmount": str(order.total.amount)}


@pytest.fixture
def shop():
    catalog, cart, orders, replies = FakeCatalog(), FakeCart(), FakeOrders(), FakeIdempotencyStore()
    uow = FakeUnitOfWork(catalog, cart, orders, replies)
    services = OrderServices(uow=uow, orders=orders, replies=replies, catalog=catalog, cart=cart,
                             jobs=FakeJobs(uow), currency="USD", clock=Clock())
    return services


def place(shop, user, *lines, request=None, from_cart=False):
    command = PlaceOrder(user_id=user, customer_email="a@example.com",
                         items=[LineRequest(p.id, q) for p, q in lines] or None, from_cart=from_cart,
                         shipping_address=ADDRESS, billing_address=None, payment_method="credit_card")
    return shop.place_order(command, render, request)


def test_checkout_prices_from_the_catalog_reserves_stock_and_queues_the_mail(shop):
    lamp, desk = shop.catalog.add("lamp", "19.99", 5), shop.catalog.add("desk", "100.00", 1)
    reply = place(shop, uuid4(), (lamp, 2), (desk, 1))
    assert reply.status == 201 and reply.body["status"] == "Pending" and reply.body["totalAmount"] == "139.98"
    assert shop.catalog.stock(lamp) == 3 and shop.catalog.stock(desk) == 0
    assert shop.jobs.enqueued == [("orders.send_confirmation", reply.body["orderId"], "placed")]
    assert any(isinstance(e, OrderPlaced) for e in shop.uow.published)


def test_a_short_line_reserves_nothing_and_names_the_lines(shop):
    lamp, desk = shop.catalog.add("lamp", "19.99", 5), shop.catalog.add("desk", "100.00", 1)
    with pytest.raises(Conflict) as raised:
        place(shop, uuid4(), (lamp, 2), (desk, 3))
    assert raised.value.extra["shortages"] == [{"productId": str(desk.id), "name": "desk", "sku": "DESK",
                                                "requested": 3, "available": 1}]
    assert shop.catalog.stock(lamp) == 5 and shop.orders.rows == {} and shop.jobs.enqueued == []


def test_unknown_and_inactive_products_are_refused_by_line(shop):
    hidden = shop.catalog.add("hidden", "1.00", 5, active=False)
    ghost = FakeCatalog().add("ghost", "1.00", 1)
    with pytest.raises(ValidationFailed) as raised:
        place(shop, uuid4(), (hidden, 1), (ghost, 1))
    assert set(raised.value.errors) == {"items[0].productId", "items[1].productId"}


def test_checkout_from_the_cart_empties_it_only_when_the_order_is_created(shop):
    user, lamp = uuid4(), shop.catalog.add("lamp", "10.00", 1)
    shop.cart.carts[user] = {lamp.id: 2}
    with pytest.raises(Conflict):
        place(shop, user, from_cart=True)
    assert shop.cart.carts[user] == {lamp.id: 2}
    shop.cart.carts[user] = {lamp.id: 1}
    assert place(shop, user, from_cart=True).status == 201
    assert user not in shop.cart.carts


def test_checkout_from_an_empty_cart_or_without_a_cart_plugin_is_a_clear_422(shop):
    with pytest.raises(ValidationFailed) as raised:
        place(shop, uuid4(), from_cart=True)
    assert "fromCart" in raised.value.errors
    shop.cart = None
    with pytest.raises(ValidationFailed, match="no cart"):
        place(shop, uuid4(), from_cart=True)


def test_a_retry_with_the_same_key_returns_the_first_answer_without_a_second_order(shop):
    user, lamp = uuid4(), shop.catalog.add("lamp", "10.00", 5)
    request = IdempotentRequest(user, "key-1", "fingerprint-a")
    first = place(shop, user, (lamp, 1), request=request)
    again = place(shop, user, (lamp, 1), request=request)
    assert again.replayed and (again.status, again.body) == (first.status, first.body)
    assert len(shop.orders.rows) == 1 and shop.catalog.stock(lamp) == 4


def test_the_same_key_with_another_body_is_refused_and_changes_nothing(shop):
    user, lamp = uuid4(), shop.catalog.add("lamp", "10.00", 5)
    place(shop, user, (lamp, 1), request=IdempotentRequest(user, "key-1", "fingerprint-a"))
    with pytest.raises(ValidationFailed) as raised:
        place(shop, user, (lamp, 2), request=IdempotentRequest(user, "key-1", "fingerprint-b"))
    assert raised.value.status == 422
    assert len(shop.orders.rows) == 1 and shop.catalog.stock(lamp) == 4


def test_keys_expire_after_a_day_and_belong_to_one_user(shop):
    alice, bob, lamp = uuid4(), uuid4(), shop.catalog.add("lamp", "10.00", 5)
    place(shop, alice, (lamp, 1), request=IdempotentRequest(alice, "k", "f"))
    assert not place(shop, bob, (lamp, 1), request=IdempotentRequest(bob, "k", "f")).replayed
    shop.clock.now += timedelta(hours=24, seconds=1)
    assert not place(shop, alice, (lamp, 1), request=IdempotentRequest(alice, "k", "f")).replayed
    assert len(shop.orders.rows) == 3 and shop.catalog.stock(lamp) == 2


def test_a_failed_request_does_not_burn_its_key(shop):
    user, lamp = uuid4(), shop.catalog.add("lamp", "10.00", 1)
    request = IdempotentRequest(user, "k", "f")
    with pytest.raises(Conflict):
        place(shop, user, (lamp, 2), request=request)
    shop.catalog.release_stock([StockLine(lamp.id, 1)])
    assert place(shop, user, (lamp, 2), request=request).status == 201


def test_a_shopper_sees_and_cancels_only_their_own_orders(shop):
    alice, bob, lamp = uuid4(), uuid4(), shop.catalog.add("lamp", "10.00", 5)
    order_id = UUID(place(shop, alice, (lamp, 2)).body["orderId"])
    with pytest.raises(NotFound):
        shop.order_details(order_id, user_id=bob)
    with pytest.raises(NotFound):
        shop.cancel_order(order_id, Actor("customer", bob), render)
    assert shop.catalog.stock(lamp) == 3
    reply = shop.cancel_order(order_id, Actor("customer", alice), render)
    assert reply.body["status"] == "Cancelled" and shop.catalog.stock(lamp) == 5
    with pytest.raises(Conflict):
        shop.cancel_order(order_id, Actor("customer", alice), render)
    assert shop.catalog.stock(lamp) == 5
    assert sum(isinstance(e, OrderCancelled) for e in shop.uow.published) == 1


def test_paying_queues_the_paid_confirmation(shop):
    lamp = shop.catalog.add("lamp", "10.00", 5)
    order_id = UUID(place(shop, uuid4(), (lamp, 1)).body["orderId"])
    shop.mark_paid(order_id, Actor("staff"), render)
    assert shop.jobs.enqueued[-1] == ("orders.send_confirmation", str(order_id), "paid")


def test_orders_left_unpaid_expire_and_give_their_stock_back(shop):
    lamp = shop.catalog.add("lamp", "10.00", 5)
    old = UUID(place(shop, uuid4(), (lamp, 2)).body["orderId"])
    shop.clock.now += timedelta(minutes=50)
    recent = UUID(place(shop, uuid4(), (lamp, 1)).body["orderId"])
    shop.clock.now += timedelta(minutes=20)
    assert shop.expire_unpaid(timedelta(minutes=60)) == 1
    assert shop.orders.rows[old].status == OrderStatus.CANCELLED
    assert shop.orders.rows[recent].status == OrderStatus.PENDING
    assert shop.catalog.stock(lamp) == 4
    assert shop.expire_unpaid(timedelta(minutes=60)) == 0 and shop.catalog.stock(lamp) == 4


def notifier_of(shop):
    sent, log = [], FakeNotificationLog()
    notifier = NotificationServices(uow=FakeUnitOfWork(log), orders=shop.orders, log=log,
                                    send_mail=lambda to, subject, text, message_key: sent.append((to, subject, text,
                                                                                                  message_key)))
    return notifier, sent


def test_the_confirmation_is_sent_once_per_order_and_kind_with_a_stable_message_key(shop):
    lamp = shop.catalog.add("lamp", "10.00", 5)
    order_id = UUID(place(shop, uuid4(), (lamp, 1)).body["orderId"])
    notifier, sent = notifier_of(shop)
    assert notifier.send_confirmation(order_id, "placed") is True
    assert notifier.send_confirmation(order_id, "placed") is False
    assert notifier.send_confirmation(order_id, "paid") is False  # not paid: the mail would not be true
    shop.orders.rows[order_id].mark_paid(Actor.system(), shop.clock())
    assert notifier.send_confirmation(order_id, "paid") is True
    assert [(to, key) for to, _, _, key in sent] == [("a@example.com", f"order-{order_id}-placed"),
                                                     ("a@example.com", f"order-{order_id}-paid")]
    assert "1 x lamp" in sent[0][2] and "Total: 10.00 USD" in sent[0][2]


def test_the_confirmation_is_queued_after_the_delay(shop):
    shop.confirmation_delay = timedelta(minutes=5)
    lamp = shop.catalog.add("lamp", "10.00", 5)
    place(shop, uuid4(), (lamp, 1))
    assert shop.jobs.delays[-1] == timedelta(minutes=5)


def test_a_cancelled_order_gets_a_cancellation_mail_instead_of_its_confirmation_once(shop):
    lamp = shop.catalog.add("lamp", "10.00", 5)
    user = uuid4()
    order_id = UUID(place(shop, user, (lamp, 1)).body["orderId"])
    shop.cancel_order(order_id, Actor("customer", user), render)
    assert shop.jobs.enqueued[-1] == ("orders.send_confirmation", str(order_id), "cancelled")
    notifier, sent = notifier_of(shop)
    assert notifier.send_confirmation(order_id, "placed") is False
    assert notifier.send_confirmation(order_id, "cancelled") is True
    assert notifier.send_confirmation(order_id, "cancelled") is False
    assert [subject for _, subject, _, _ in sent] == [f"Order {str(order_id)[:8]} cancelled"]


def test_a_failed_send_is_retried_later(shop):
    lamp = shop.catalog.add("lamp", "10.00", 5)
    order_id = UUID(place(shop, uuid4(), (lamp, 1)).body["orderId"])
    log, sent = FakeNotificationLog(), []

    def flaky(to, subject, text, message_key):
        if not sent:
            sent.append("failed")
            raise ConnectionError("smtp down")
        sent.append(subject)

    notifier = NotificationServices(uow=FakeUnitOfWork(log), orders=shop.orders, log=log, send_mail=flaky)
    with pytest.raises(ConnectionError):
        notifier.send_confirmation(order_id, "placed")
    assert notifier.send_confirmation(order_id, "placed") is True
