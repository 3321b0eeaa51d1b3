"""The staff's sales reports: build, store and read the daily report, and its mail's text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from kernel.domain.clock import utcnow
from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.orders.reporting.domain import SalesReport, SalesReportRepository


@dataclass
class ReportServices:
    uow: UnitOfWork
    reports: SalesReportRepository
    clock: Callable[[], datetime] = field(default=utcnow)

    def build_sales_report(self, day: date | None = None, top: int = 10) -> SalesReport:
        """Compute and store (replacing) the sales report of ``day`` (default: yesterday, UTC)."""
        today = self.clock().date()
        day = day or (today - timedelta(days=1))
        if day > today:
            raise ValidationFailed("A sales report covers a day that has begun.",
                                   errors={"day": [f"Must be {today.isoformat()} or earlier."]})
        start = datetime.combine(day, time.min, tzinfo=UTC)
        with self.uow:
            report = self.reports.compute(day, start, start + timedelta(days=1), top, self.clock())
            self.reports.store(report)
            self.uow.commit()
        return report

    def sales_report(self, day: date) -> SalesReport:
        with self.uow:
            report = self.reports.get(day)
        if report is None:
            raise NotFound(f"No sales report for {day.isoformat()}.")
        return report

    def recent_reports(self, limit: int = 30) -> list[SalesReport]:
        with self.uow:
            return self.reports.recent(limit)


def sales_report_mail(report: SalesReport) -> tuple[str, str]:
    lines = [f"Sales on {report.day.isoformat()}: {report.orders} orders, revenue {report.revenue} {report.currency}"
             f" ({report.cancelled} cancelled).", "", "Top products:"]
    lines += [f"  {p.quantity:>5} x {p.name} ({p.sku}) {p.revenue}" for p in report.top_products]
    return f"Sales report {report.day.isoformat()}", "\n".join(lines)
