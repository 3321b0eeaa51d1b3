"""SQL adapter of the reports: computed from the orders' tables, stored per day."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from plugins.orders.domain import OrderStatus
from plugins.orders.orm import order_items, order_sales_reports, orders
from plugins.orders.reporting.domain import SalesReport, SalesReportRepository, TopProduct


class SqlSalesReports(SalesReportRepository):
    def __init__(self, session, currency: str):
        self.session = session
        self.currency = currency

    def compute(self, day: date, start: datetime, end: datetime, top: int, now: datetime) -> SalesReport:
        placed = sa.and_(orders.c.order_date >= start, orders.c.order_date < end)
        cancelled = orders.c.status == str(OrderStatus.CANCELLED)
        totals = self.session.execute(sa.select(
            sa.func.count().filter(sa.not_(cancelled)),
            sa.func.count().filter(cancelled),
            sa.func.coalesce(sa.func.sum(orders.c.total_amount - orders.c.refunded_amount).filter(sa.not_(cancelled)), 0),
        ).where(placed)).one()
        line_revenue = (order_items.c.unit_price - order_items.c.discount) * order_items.c.quantity
        best = self.session.execute(
            sa.select(order_items.c.product_id, sa.func.max(order_items.c.sku), sa.func.max(order_items.c.product_name),
                      sa.func.sum(order_items.c.quantity).label("quantity"), sa.func.sum(line_revenue).label("revenue"))
            .join(orders, orders.c.id == order_items.c.order_id).where(placed, sa.not_(cancelled))
            .group_by(order_items.c.product_id)
            .order_by(sa.desc("quantity"), sa.desc("revenue")).limit(top)).all()
        return SalesReport(day=day, currency=self.currency, orders=totals[0], cancelled=totals[1],
                           revenue=Decimal(totals[2]).quantize(Decimal("0.01")), generated_at=now,
                           top_products=[TopProduct(str(pid) if pid else "", sku, name, int(qty),
                                                    Decimal(revenue).quantize(Decimal("0.01")))
                                         for pid, sku, name, qty, revenue in best])

    def store(self, report: SalesReport) -> None:
        self.session.execute(order_sales_reports.delete().where(order_sales_reports.c.day == report.day))
        self.session.execute(order_sales_reports.insert().values(
            day=report.day, currency=report.currency, orders=report.orders, cancelled=report.cancelled,
            revenue=report.revenue, generated_at=report.generated_at,
            top_products=[{"productId": p.product_id, "sku": p.sku, "name": p.name, "quantity": p.quantity,
                           "revenue": str(p.revenue)} for p in report.top_products]))

    def get(self, day: date) -> SalesReport | None:
        row = self.session.execute(sa.select(order_sales_reports).where(order_sales_reports.c.day == day)).mappings().first()
        return _report_from(row) if row else None

    def recent(self, limit: int) -> list[SalesReport]:
        rows = self.session.execute(sa.select(order_sales_reports).order_by(order_sales_reports.c.day.desc())
                                    .limit(limit)).mappings().all()
        return [_report_from(row) for row in rows]


def _report_from(row) -> SalesReport:
    return SalesReport(day=row["day"], currency=row["currency"], orders=row["orders"], cancelled=row["cancelled"],
                       revenue=row["revenue"], generated_at=row["generated_at"],
                       top_products=[TopProduct(p["productId"], p["sku"], p["name"], p["quantity"], Decimal(p["revenue"]))
                                     for p in row["top_products"]])
