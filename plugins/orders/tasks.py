"""The orders' background and periodic jobs (run by the jobs platform in the site's app context)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from loguru import logger

from kernel.context import commerce
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from kernel.jobs import TaskSpec
from plugins.orders import bootstrap
from plugins.orders.payment_services import CAPTURE, REFUND_LATE
from plugins.orders.repository import SqlSalesReports
from plugins.orders.services import low_stock, low_stock_mail, sales_report_mail, utcnow


def send_confirmation(order_id: str, kind: str) -> bool:
    """The design's ``SendOrderConfirmation`` (``kind`` is ``placed`` or ``paid``); sent once."""
    return bootstrap.notification_services().send_confirmation(UUID(order_id), kind)


def expire_unpaid_orders() -> int:
    minutes = bootstrap.settings()["unpaid_order_ttl_minutes"]
    return bootstrap.order_services().expire_unpaid(timedelta(minutes=minutes))


def purge_idempotency_keys() -> int:
    return bootstrap.order_services().purge_idempotency_keys()


def low_stock_report() -> int:
    settings = bootstrap.settings()
    since = utcnow() - timedelta(days=settings["low_stock_lookback_days"])
    products = low_stock(commerce().catalog, SqlSalesReports(db.session, commerce().site.currency),
                         SqlAlchemyUnitOfWork(db.session), since, settings["low_stock_threshold"])
    if products:
        _mail_staff(*low_stock_mail(products, settings["low_stock_threshold"]))
    return len(products)


def daily_sales_report(day: str | None = None) -> str:
    report = bootstrap.report_services().build_sales_report(date.fromisoformat(day) if day else None)
    _mail_staff(*sales_report_mail(report))
    return report.day.isoformat()


def capture_payment(payment_id: str) -> None:
    bootstrap.payment_services().capture(UUID(payment_id))


def refund_late_payment(payment_id: str) -> None:
    bootstrap.payment_services().refund_late_payment(UUID(payment_id))


def _mail_staff(subject: str, text: str) -> None:
    address = bootstrap.settings()["staff_report_email"]
    if address:
        bootstrap.send_mail(address, subject, text)
    else:
        logger.info("no [plugins.orders] staff_report_email: {!r} not mailed", subject)


TASKS = [
    TaskSpec("orders.send_confirmation", send_confirmation),
    TaskSpec("orders.expire_unpaid", expire_unpaid_orders, schedule="*/5 * * * *"),
    TaskSpec("orders.purge_idempotency_keys", purge_idempotency_keys, schedule="17 * * * *"),
    TaskSpec("orders.low_stock_report", low_stock_report, schedule="0 6 * * *"),
    TaskSpec("orders.daily_sales_report", daily_sales_report, schedule="15 0 * * *"),
    TaskSpec(CAPTURE, capture_payment),
    TaskSpec(REFUND_LATE, refund_late_payment),
]
