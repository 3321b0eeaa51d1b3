"""The reports' periodic job: build yesterday's sales report and mail it to the site's staff."""

from __future__ import annotations

from datetime import date

from kernel.context import commerce
from kernel.infrastructure.mail import mail_staff
from plugins.orders import bootstrap
from plugins.orders.reporting.services import sales_report_mail


def daily_sales_report(day: str | None = None) -> str:
    report = bootstrap.report_services().build_sales_report(date.fromisoformat(day) if day else None)
    mail_staff(commerce().mailer, bootstrap.settings()["staff_report_email"], *sales_report_mail(report),
               setting="[plugins.orders] staff_report_email")
    return report.day.isoformat()
