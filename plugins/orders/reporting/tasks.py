"""The reports' periodic jobs: each builds a report and mails it to the site's staff address."""

from __future__ import annotations

from datetime import date, timedelta

from loguru import logger

from kernel.context import commerce
from kernel.domain.clock import utcnow
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from plugins.orders import bootstrap
from plugins.orders.reporting.repository import SqlSalesReports
from plugins.orders.reporting.services import low_stock, low_stock_mail, sales_report_mail


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


def _mail_staff(subject: str, text: str) -> None:
    address = bootstrap.settings()["staff_report_email"]
    if address:
        bootstrap.send_mail(address, subject, text)
    else:
        logger.info("no [plugins.orders] staff_report_email: {!r} not mailed", subject)
