"""HTTP endpoints of the staff's sales reports (``/api/admin/orders/reports``, ``orders:manage``)."""

from __future__ import annotations

from datetime import date

from flask import Response
from flask_smorest import Blueprint

from kernel.domain.errors import NotFound
from kernel.web.auth import permission_required
from plugins.orders import bootstrap
from plugins.orders.permissions import MANAGE
from plugins.orders.reporting.schemas import SalesReportDaySchema, SalesReportListSchema, SalesReportSchema

blp = Blueprint("order_reports", __name__, url_prefix="/api/admin/orders/reports",
                description="Daily sales reports for staff (orders:manage).")


@blp.route("/sales", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, SalesReportListSchema)
def list_sales_reports():
    """The latest daily sales reports (built each night for the day before)."""
    return {"items": bootstrap.report_services().recent_reports()}


@blp.route("/sales", methods=["POST"])
@permission_required(MANAGE)
@blp.arguments(SalesReportDaySchema)
@blp.response(200, SalesReportSchema)
def build_sales_report(data):
    """Build (or rebuild) the sales report of one day now."""
    return bootstrap.report_services().build_sales_report(data["day"])


@blp.route("/sales/<day>.csv", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, content_type="text/csv")
def download_sales_report(day: str):
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        raise NotFound(f"No sales report for {day!r} (use a day such as 2026-01-31).") from None
    report = bootstrap.report_services().sales_report(wanted)
    return Response(report.to_csv(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="sales-{wanted.isoformat()}.csv"'})
