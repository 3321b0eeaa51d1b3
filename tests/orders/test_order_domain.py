"""The order's state machine and money rules, in plain Python."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.domain.errors import ValidationFailed
from kernel.domain.events import OrderCancelled, OrderPaid, OrderPlaced, OrderRefunded, OrderStatusChanged
from kernel.domain.ports.catalog import ProductSnapshot
from plugins.orders.domain import (
    TRANSITIONS,
    Actor,
    IllegalTransition,
    LineRequest,
    Order,
    OrderPaymentStatus,
    OrderStatus,
    merge_lines,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)
STAFF = Actor("staff", uuid4())


def snapshot(price="10.00", name="Lamp", currency="USD"):
    return ProductSnapshot(id=uuid4(), sku=name.upper(), name=name, slug=name.lower(), unit_price=Decimal(price),
                           currency=currency, stock_quantity=10, is_active=True)


def new_order(*quantities_prices):
    products = [snapshot(price, f"P{i}") for i, (_, price) in enumerate(quantities_prices)]
    requests = [LineRequest(p.id, q) for p, (q, _) in zip(products, quantities_prices, strict=True)]
    customer = uuid4()
    return Order.place(user_id=customer, customer_email="a@example.com", currency="USD", requests=requests,
                       products={p.id: p for p in products}, shipping_address={"street": "1 Main", "city": "X",
                                                                               "zipCode": "1"},
                       billing_address=None, payment_method="credit_card", at=AT)


def test_a_new_order_is_pending_priced_from_the_catalog_and_announced():
    order = new_order((2, "19.99"), (1, "0.02"))
    assert order.status == OrderStatus.PENDING and order.payment_status == OrderPaymentStatus.PENDING
    assert order.total.amount == Decimal("40.00")
    assert [line.name for line in order.lines] == ["P0", "P1"]
    assert [type(e) for e in order.events] == [OrderStatusChanged, OrderPlaced]
    assert order.history[0].from_status is None and order.history[0].to_status == OrderStatus.PENDING


def test_the_happy_path_records_every_transition_with_its_actor():
    order = new_order((1, "5.00"))
    order.mark_paid(STAFF, AT)
    order.start_processing(STAFF, AT)
    order.ship(STAFF, AT, " TRACK-1 ")
    order.complete(STAFF, AT)
    assert order.status == OrderStatus.COMPLETED and order.tracking_number == "TRACK-1"
    assert [(t.from_status, t.to_status) for t in order.history[1:]] == [
        ("Pending", "Paid"), ("Paid", "Processing"), ("Processing", "Shipped"), ("Shipped", "Completed")]
    assert all(t.actor == STAFF for t in order.history[1:])
    assert any(isinstance(e, OrderPaid) for e in order.events)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_every_move_outside_the_table_is_refused(status):
    for target in set(OrderStatus) - TRANSITIONS[status] - {OrderStatus.CANCELLED, OrderStatus.REFUNDED}:
        order = new_order((1, "5.00"))
        order.status = status
        move = {OrderStatus.PAID: lambda order=order: order.mark_paid(STAFF, AT),
                OrderStatus.PROCESSING: lambda order=order: order.start_processing(STAFF, AT),
                OrderStatus.SHIPPED: lambda order=order: order.ship(STAFF, AT, "T"),
                OrderStatus.COMPLETED: lambda order=order: order.complete(STAFF, AT)}.get(target)
        if move:
            with pytest.raises(IllegalTransition):
                move()
            assert order.status == status


def test_a_cancelled_order_can_never_be_paid():
    order = new_order((1, "5.00"))
    order.cancel(Actor("customer", order.user_id), AT)
    with pytest.raises(IllegalTransition) as raised:
        order.mark_paid(STAFF, AT)
    assert raised.value.status == 409 and order.status == OrderStatus.CANCELLED


def test_cancelling_an_unpaid_order_voids_it_and_releases_its_stock_once():
    order = new_order((3, "5.00"))
    released = order.cancel(Actor("customer", order.user_id), AT, "changed my mind")
    assert [(line.quantity) for line in released] == [3]
    assert order.payment_status == OrderPaymentStatus.VOIDED
    assert any(isinstance(e, OrderCancelled) for e in order.events)
    with pytest.raises(IllegalTransition):
        order.cancel(STAFF, AT)


def test_a_customer_cannot_cancel_an_order_being_processed_but_staff_can_with_a_refund():
    order = new_order((1, "5.00"))
    order.mark_paid(STAFF, AT)
    order.start_processing(STAFF, AT)
    with pytest.raises(IllegalTransition):
        order.cancel(Actor("customer", order.user_id), AT)
    released = order.cancel(STAFF, AT)
    assert released and order.payment_status == OrderPaymentStatus.REFUNDED
    assert order.refunded_amount == Decimal("5.00")
    refunds = [e for e in order.events if isinstance(e, OrderRefunded)]
    assert refunds[0].full and refunds[0].amount == Decimal("5.00")


def test_the_expiry_job_may_cancel_only_unpaid_orders():
    order = new_order((1, "5.00"))
    order.mark_paid(STAFF, AT)
    with pytest.raises(IllegalTransition):
        order.cancel(Actor.system(), AT)


def test_partial_refunds_add_up_to_a_full_refund():
    order = new_order((2, "10.00"))
    order.mark_paid(STAFF, AT)
    order.start_processing(STAFF, AT)
    order.ship(STAFF, AT, "T")
    assert order.refund(STAFF, AT, Decimal("5")) == []
    assert order.status == OrderStatus.SHIPPED and order.payment_status == OrderPaymentStatus.PARTIALLY_REFUNDED
    with pytest.raises(ValidationFailed):
        order.refund(STAFF, AT, Decimal("15.01"))
    assert order.refund(STAFF, AT) == []  # shipped goods do not go back on the shelf
    assert order.status == OrderStatus.REFUNDED and order.payment_status == OrderPaymentStatus.REFUNDED
    assert order.refunded_amount == Decimal("20.00")


def test_a_full_refund_before_shipping_puts_the_stock_back():
    order = new_order((2, "10.00"))
    order.mark_paid(STAFF, AT)
    assert [line.quantity for line in order.refund(STAFF, AT)] == [2]


def test_an_unpaid_order_cannot_be_refunded_and_a_refund_must_be_positive():
    order = new_order((1, "10.00"))
    with pytest.raises(IllegalTransition):
        order.refund(STAFF, AT)
    order.mark_paid(STAFF, AT)
    with pytest.raises(ValidationFailed):
        order.refund(STAFF, AT, Decimal("0"))


def test_shipping_needs_a_tracking_number():
    order = new_order((1, "10.00"))
    order.mark_paid(STAFF, AT)
    order.start_processing(STAFF, AT)
    with pytest.raises(ValidationFailed):
        order.ship(STAFF, AT, "  ")
    assert order.status == OrderStatus.PROCESSING


def test_a_product_priced_in_another_currency_is_refused():
    product = snapshot(currency="EUR")
    with pytest.raises(ValidationFailed):
        Order.place(user_id=uuid4(), customer_email=None, currency="USD", requests=[LineRequest(product.id, 1)],
                    products={product.id: product}, shipping_address={}, billing_address=None,
                    payment_method="x", at=AT)


def test_repeated_products_become_one_line():
    a, b = uuid4(), uuid4()
    assert merge_lines([LineRequest(a, 1), LineRequest(b, 2), LineRequest(a, 3)]) == [LineRequest(a, 4),
                                                                                     LineRequest(b, 2)]
