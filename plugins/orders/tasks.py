"""The orders' background and periodic jobs (run by the jobs platform in the site's app context)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from kernel.jobs import TaskSpec
from plugins.orders import bootstrap
from plugins.orders.notifications.services import SEND_CONFIRMATION
from plugins.orders.notifications.tasks import send_confirmation
from plugins.orders.payments.services import CAPTURE, REFUND_LATE
from plugins.orders.reporting.tasks import daily_sales_report


def expire_unpaid_orders() -> int:
    minutes = bootstrap.settings()["unpaid_order_ttl_minutes"]
    return bootstrap.order_services().expire_unpaid(timedelta(minutes=minutes))


def capture_payment(payment_id: str) -> None:
    bootstrap.payment_services().capture(UUID(payment_id))


def refund_late_payment(payment_id: str) -> None:
    bootstrap.payment_services().refund_late_payment(UUID(payment_id))


TASKS = [
    TaskSpec(SEND_CONFIRMATION, send_confirmation),
    TaskSpec("orders.expire_unpaid", expire_unpaid_orders, schedule="*/5 * * * *"),
    TaskSpec("orders.daily_sales_report", daily_sales_report, schedule="15 0 * * *"),
    TaskSpec(CAPTURE, capture_payment),
    TaskSpec(REFUND_LATE, refund_late_payment),
]
