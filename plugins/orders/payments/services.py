"""Payment use cases of the orders side: start a payment attempt, take in provider webhooks,
capture authorized funds, give back a late payment; and :class:`ProviderRefunds`, the orders'
refund port.

Calls to a provider happen outside any row lock where possible (starting a payment) and
inside the transaction where the provider's answer decides whether the change may be kept
(a refund: if the provider refuses, nothing changes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from loguru import logger

from kernel.domain.clock import utcnow
from kernel.domain.errors import Conflict, NotFound
from kernel.domain.money import Money
from kernel.domain.ports.catalog import CatalogPort
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.payments import (
    EventKind,
    NormalizedEvent,
    PaymentProvider,
    PaymentRequest,
    PaymentSession,
    PaymentStatus,
    WebhookRequest,
    webhook_events,
)
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.orders.after_change import AfterChange
from plugins.orders.domain import Order, OrderRepository, OrderStatus, PaymentRefunds
from plugins.orders.payments.domain import AttemptStatus, Payment, PaymentRecord, PaymentRepository, apply_event

if TYPE_CHECKING:  # the registry reads the site file: only its type is needed here
    from kernel.payment_registry import PaymentRegistry

CAPTURE = "orders.capture_payment"
REFUND_LATE = "orders.refund_late_payment"
RETURN_PATH = "/checkout/return/{order}"  # the storefront's page that follows an order after paying
WEBHOOK_PATH = "/api/payments/{provider}/webhook"  # the route of plugins.orders.payments.api


@dataclass
class PaymentServices:
    uow: UnitOfWork
    orders: OrderRepository
    payments: PaymentRepository
    registry: PaymentRegistry
    catalog: CatalogPort
    jobs: JobQueue
    clock: Callable[[], datetime] = field(default=utcnow)

    def start_payment(self, order_id: UUID, user_id: UUID | None, site_url: str, return_url: str | None = None,
                      cancel_url: str | None = None) -> tuple[Payment, PaymentSession]:
        """A payment attempt for the shopper's Pending order (``user_id`` None: a guest whose access was
        checked already), created at the provider its
        payment method maps to. A retry reuses the open attempt (same provider payment).
        A redirecting provider sends the shopper back to ``return_url`` (``cancel_url`` on cancel;
        both default to the storefront's return page of the order on ``site_url``)."""
        with self.uow:
            order = self.orders.get(order_id, user_id=user_id, for_update=True)
            if order is None:
                raise NotFound(f"No order {order_id}.")
            if order.status != OrderStatus.PENDING:
                raise Conflict(f"An order that is {order.status} cannot be paid.", extra={"orderStatus": str(order.status)})
            provider = self.registry.provider_for_method(order.payment_method)
            payment = self.payments.open_attempt(order.id, provider.name)
            if payment is None:
                payment = Payment.attempt(order, provider.name, self.clock())
                self.payments.add(payment)
            self.uow.commit()
        return_url = return_url or f"{site_url}{RETURN_PATH.format(order=order.id)}"
        session = provider.create_payment(PaymentRequest(
            order_reference=str(order.id), amount=Money(payment.amount, payment.currency),
            idempotency_key=str(payment.id), description=f"Order {str(order.id)[:8]}",
            return_url=return_url, cancel_url=cancel_url or return_url,
            webhook_url=f"{site_url}{WEBHOOK_PATH.format(provider=provider.name)}"))
        with self.uow:
            self.payments.lock_reference(provider.name, session.reference)
            order = self.orders.get(order_id, for_update=True)
            payment = self.payments.get(payment.id, for_update=True)
            if payment.reference is None:
                payment.reference, payment.status = session.reference, AttemptStatus(str(session.status))
                self.payments.save(payment)
                for event in self.payments.adopt_held_events(payment):  # they came before the reference
                    self._apply(event, payment, order, provider.auto_capture)
            self.uow.commit()
        return payment, session

    def payment_records(self, order_id: UUID) -> list[PaymentRecord]:
        """The order's payment attempts and their provider events, for staff (404 without the order)."""
        with self.uow:
            if self.orders.get(order_id) is None:
                raise NotFound(f"No order {order_id}.")
            return self.payments.records_for_order(order_id)

    def receive_webhook(self, provider_name: str, request: WebhookRequest) -> str:
        """Verify, then store each event once by ``(provider, event_id)`` and apply it under row
        locks (order, then payment), all the events of the delivery in one transaction.

        An event for a payment whose reference is not stored yet (it can overtake the answer of
        ``create_payment``) is held in the inbox and applied when the reference is stored. The
        answer is the most telling result among the events: applied, held, duplicate, ignored."""
        provider = self.registry.provider(provider_name)
        events = webhook_events(provider.parse_webhook(request))  # InvalidWebhookSignature: 400, nothing stored
        if not events:
            return "ignored"
        with self.uow:
            results = {self._receive(provider, event) for event in events}
            self.uow.commit()
        return next(result for result in ("applied", "held", "duplicate") if result in results)

    def _receive(self, provider: PaymentProvider, event: NormalizedEvent) -> str:
        self.payments.lock_reference(provider.name, event.reference)
        known = self.payments.by_reference(provider.name, event.reference)
        order = self.orders.get(known.order_id, for_update=True) if known else None
        payment = self.payments.by_reference(provider.name, event.reference, for_update=True) if known else None
        if not self.payments.record_event(event, payment.id if payment else None, self.clock()):
            return "duplicate"
        if payment is None or order is None:
            logger.warning("{} event {} for payment {} held until that payment is known", provider.name,
                           event.event_id, event.reference)
            return "held"
        self._apply(event, payment, order, provider.auto_capture)
        return "applied"

    def capture(self, payment_id: UUID) -> None:
        """Take authorized funds (auto-capture providers), then apply the success at once."""
        with self.uow:
            payment = self.payments.get(payment_id)
            if payment is None or payment.status != AttemptStatus.AUTHORIZED:
                return
            state = self.registry.provider(payment.provider).capture(payment.reference,
                                                                     idempotency_key=f"{payment.id}:capture")
            order = self.orders.get(payment.order_id, for_update=True)
            payment = self.payments.get(payment_id, for_update=True)
            if state.status == PaymentStatus.SUCCEEDED:
                self._apply(NormalizedEvent(provider=payment.provider, event_id=f"capture:{payment.id}",
                                            kind=EventKind.SUCCEEDED, reference=payment.reference,
                                            occurred_at=self.clock()), payment, order, auto_capture=False)
            self.uow.commit()

    def refund_late_payment(self, payment_id: UUID) -> None:
        """Money arrived for an order already cancelled: refund all of it."""
        with self.uow:
            payment = self.payments.get(payment_id, for_update=True)
            if payment is None or payment.refundable <= 0:
                return
            self.registry.provider(payment.provider).refund(payment.reference,
                                                            idempotency_key=payment.refund_key(payment.refundable))
            payment.record_refund(payment.amount)
            self.payments.save(payment)
            self.uow.commit()

    def _apply(self, event: NormalizedEvent, payment: Payment, order: Order, auto_capture: bool) -> None:
        if event.kind == EventKind.REFUND_FAILED:  # the order keeps its refund: staff settles it with the shopper
            logger.warning("{} refund of payment {} failed at the provider ({}): {} stays refunded there",
                           event.provider, event.reference, event.event_id, event.amount)
        outcome = apply_event(event, payment, order, self.clock(), auto_capture)
        AfterChange(self.catalog, self.jobs).handle([order], outcome.released)  # a provider's refund is done
        self.payments.save(payment)
        self.orders.save(order)
        if outcome.capture:
            self.jobs.enqueue(CAPTURE, str(payment.id))
        if outcome.refund_late:
            self.jobs.enqueue(REFUND_LATE, str(payment.id))
        for domain_event in order.take_events():
            self.uow.publish(domain_event)


@dataclass
class ProviderRefunds(PaymentRefunds):
    """The orders' refund port over the payments: staff refunds reach the order's provider."""

    payments: PaymentRepository
    registry: PaymentRegistry

    def refund(self, order: Order, amount: Decimal) -> None:
        """Refund ``amount`` of the order's captured payment; more than it has left is a 409."""
        payment = self.payments.settled_for_order(order.id, for_update=True)
        if payment is None:
            return
        left = payment.refundable
        if amount > left:  # the order would record more than the provider can give back
            raise Conflict(f"The payment has {left} left to refund at {payment.provider}.",
                           extra={"refundableAtProvider": str(left)})
        self.registry.provider(payment.provider).refund(
            payment.reference, idempotency_key=payment.refund_key(amount),
            amount=None if amount == left else Money(amount, payment.currency))
        payment.record_refund(payment.refunded_amount + amount)
        self.payments.save(payment)
