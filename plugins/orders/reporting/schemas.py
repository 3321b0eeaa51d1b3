"""The reports' wire format (camelCase JSON)."""

from __future__ import annotations

import marshmallow as ma

from kernel.web.schemas import CamelSchema


class SalesReportDaySchema(CamelSchema):
    day = ma.fields.Date(required=True)


class TopProductSchema(CamelSchema):
    product_id = ma.fields.String(dump_only=True)
    sku = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    quantity = ma.fields.Integer(dump_only=True)
    revenue = ma.fields.Decimal(as_string=True, places=2, dump_only=True)


class SalesReportSchema(CamelSchema):
    day = ma.fields.Date(dump_only=True)
    currency = ma.fields.String(dump_only=True)
    orders = ma.fields.Integer(dump_only=True)
    cancelled = ma.fields.Integer(dump_only=True)
    revenue = ma.fields.Decimal(as_string=True, places=2, dump_only=True)
    generated_at = ma.fields.DateTime(dump_only=True)
    top_products = ma.fields.List(ma.fields.Nested(TopProductSchema), dump_only=True)
    csv_url = ma.fields.Function(lambda report: f"/api/admin/orders/reports/sales/{report.day.isoformat()}.csv",
                                 dump_only=True)


class SalesReportListSchema(CamelSchema):
    items = ma.fields.List(ma.fields.Nested(SalesReportSchema), dump_only=True)
