"""A provider's events applied to a payment and its order, and what follows an order's change,
against in-memory ports: the rules of payments/domain.py and after_change.py without a database."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kernel.domain.errors import Conflict
from kernel.domain.money import Money
from kernel.domain.ports.payments import EventKind, NormalizedEvent
from kernel.testing.fakes import FakeCatalog, FakeJobs, FakeUnitOfWork
from plugins.orders.after_change import AfterChange
from plugins.orders.domain import Actor, OrderPaymentStatus, OrderStatus, PaymentRefunds
from plugins.orders.payments.domain import AttemptStatus, Payment, apply_event
from tests.orders.test_order_domain import new_order

AT = datetime(2026, 1, 2, tzinfo=UTC)


def event(kind: EventKind, amount: str | None = None, event_id: str = "evt") -> NormalizedEvent:
    return NormalizedEvent(provider="fakepay", event_id=event_id, kind=kind, reference="pay_1", occurred_at=AT,
                           amount=Money(Decimal(amount), "USD") if amount else None)


@pytest.fixture
def paying():
    order = new_order((2, "10.00"))  # 20.00
    payment = Payment.attempt(order, "fakepay", AT)
    payment.status = AttemptStatus.REQUIRES_ACTION
    return order, payment


def test_a_success_pays_the_order_once_and_a_later_failure_changes_nothing(paying):
    order, payment = paying
    apply_event(event(EventKind.SUCCEEDED), payment, order, AT, auto_capture=True)
    apply_event(event(EventKind.FAILED), payment, order, AT, auto_capture=True)
    assert payment.status == AttemptStatus.SUCCEEDED
    assert order.status == OrderStatus.PAID and order.payment_status == OrderPaymentStatus.PAID


def test_refund_events_carry_the_cumulative_amount_in_any_order(paying):
    order, payment = paying
    apply_event(event(EventKind.REFUNDED, "12.00"), payment, order, AT, auto_capture=True)  # before the success
    apply_event(event(EventKind.REFUNDED, "6.00"), payment, order, AT, auto_capture=True)  # late and smaller
    apply_event(event(EventKind.SUCCEEDED), payment, order, AT, auto_capture=True)
    assert (payment.refunded_amount, payment.refundable, payment.status) == (Decimal("12.00"), Decimal("8.00"),
                                                                             AttemptStatus.SUCCEEDED)
    assert order.refunded_amount == Decimal("12.00")
    assert order.payment_status == OrderPaymentStatus.PARTIALLY_REFUNDED


def test_an_authorization_asks_for_a_capture_only_where_the_site_captures_at_once(paying):
    order, payment = paying
    assert apply_event(event(EventKind.AUTHORIZED), payment, order, AT, auto_capture=False).capture is False
    payment.status = AttemptStatus.REQUIRES_ACTION
    assert apply_event(event(EventKind.AUTHORIZED), payment, order, AT, auto_capture=True).capture is True
    assert payment.status == AttemptStatus.AUTHORIZED and order.status == OrderStatus.PENDING


def test_money_arriving_for_a_cancelled_order_is_to_be_given_back(paying):
    order, payment = paying
    order.cancel(Actor.system(), AT, "not paid in time")
    outcome = apply_event(event(EventKind.SUCCEEDED), payment, order, AT, auto_capture=True)
    assert outcome.refund_late is True and order.status == OrderStatus.CANCELLED


def test_every_provider_status_is_an_attempt_status():
    from kernel.domain.ports.payments import PaymentStatus

    assert {str(status) for status in PaymentStatus} | {"created"} == {str(status) for status in AttemptStatus}


class RecordedRefunds(PaymentRefunds):
    def __init__(self, refuse: bool = False):
        self.refuse, self.refunded = refuse, []

    def refund(self, order, amount):
        if self.refuse:
            raise Conflict("The provider refused the refund.")
        self.refunded.append((order.id, amount))


def effects(refunds: PaymentRefunds | None = None):
    catalog, uow = FakeCatalog(), FakeUnitOfWork()
    return AfterChange(catalog, FakeJobs(uow), refunds), uow


def test_a_staff_refund_reaches_the_provider_and_a_paid_order_queues_its_mail():
    refunds = RecordedRefunds()
    after, uow = effects(refunds)
    order = new_order((1, "30.00"))
    order.mark_paid(Actor("staff"), AT)
    order.refund(Actor("staff"), AT, Decimal("5.00"))
    after.handle([order])
    uow.commit()
    assert refunds.refunded == [(order.id, Decimal("5.00"))]
    assert ("orders.send_confirmation", str(order.id), "placed") in after.jobs.enqueued
    assert ("orders.send_confirmation", str(order.id), "paid") in after.jobs.enqueued


def test_a_refused_refund_raises_so_the_change_is_rolled_back():
    after, uow = effects(RecordedRefunds(refuse=True))
    order = new_order((1, "30.00"))
    order.mark_paid(Actor("staff"), AT)
    order.refund(Actor("staff"), AT)
    with pytest.raises(Conflict):
        after.handle([order])
    uow.rollback()
    assert after.jobs.enqueued == []  # nothing queued by the failed change is handed over


def test_a_failed_refund_leaves_the_payment_and_the_order_as_they_were(paying):
    order, payment = paying
    apply_event(event(EventKind.SUCCEEDED), payment, order, AT, auto_capture=True)
    apply_event(event(EventKind.REFUNDED, "5.00", "evt-2"), payment, order, AT, auto_capture=True)
    outcome = apply_event(event(EventKind.REFUND_FAILED, "0.00", "evt-3"), payment, order, AT, auto_capture=True)
    assert outcome.released == [] and not outcome.capture and not outcome.refund_late
    assert (payment.status, payment.refunded_amount) == (AttemptStatus.SUCCEEDED, Decimal("5.00"))
    assert order.status == OrderStatus.PAID and order.refunded_amount == Decimal("5.00")
