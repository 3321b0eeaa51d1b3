"""Builds the orders' use cases from the running site (the plugin's composition root)."""

from __future__ import annotations

from datetime import timedelta

from kernel.context import commerce
from kernel.domain.clock import utcnow
from kernel.domain.ports.mailer import MailMessage
from kernel.idempotency.repository import SqlIdempotencyStore
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from plugins.orders.notifications.repository import SqlNotificationLog
from plugins.orders.notifications.services import NotificationServices
from plugins.orders.payments.repository import SqlPaymentRepository
from plugins.orders.payments.services import PaymentServices, ProviderRefunds
from plugins.orders.reporting.repository import SqlSalesReports
from plugins.orders.reporting.services import ReportServices
from plugins.orders.repository import SqlOrderRepository
from plugins.orders.services import OrderServices


def settings() -> dict:
    return commerce().site.settings("orders")


def order_services() -> OrderServices:
    services, session = commerce(), db.session
    return OrderServices(uow=SqlAlchemyUnitOfWork(session), orders=SqlOrderRepository(session),
                         replies=SqlIdempotencyStore(session), catalog=services.catalog, cart=services.cart,
                         jobs=services.jobs, currency=services.site.currency,
                         refunds=ProviderRefunds(SqlPaymentRepository(session, utcnow), services.payments),
                         check_payment_method=services.payments.check_method,
                         confirmation_delay=timedelta(minutes=settings()["confirmation_delay_minutes"]),
                         pricing=services.pricing)


def payment_services() -> PaymentServices:
    services, session = commerce(), db.session
    return PaymentServices(uow=SqlAlchemyUnitOfWork(session), orders=SqlOrderRepository(session),
                           payments=SqlPaymentRepository(session, utcnow), registry=services.payments,
                           catalog=services.catalog, jobs=services.jobs)


def accepted_payment_methods() -> list[str]:
    """The site's ``[payments] methods``: those paid through a provider and those paid outside one."""
    return list(commerce().payments.methods)


def report_services() -> ReportServices:
    session = db.session
    return ReportServices(uow=SqlAlchemyUnitOfWork(session), reports=SqlSalesReports(session, commerce().site.currency))


def send_mail(to: str, subject: str, text: str, message_key: str | None = None) -> None:
    """``message_key`` gives the mail a stable ``Message-ID`` (a resent copy carries the same one)."""
    headers = {"Message-ID": f"<{message_key}@{commerce().site.mail['sender'].rpartition('@')[2]}>"} if message_key else {}
    commerce().mailer.send(MailMessage(to=(to,), subject=subject, text=text, headers=headers))


def notification_services() -> NotificationServices:
    session = db.session
    return NotificationServices(uow=SqlAlchemyUnitOfWork(session), orders=SqlOrderRepository(session),
                                log=SqlNotificationLog(session), send_mail=send_mail)
