"""The daily sales report in plain Python: what it holds and how it reads as CSV."""

from __future__ import annotations

import csv
import io
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class TopProduct:
    product_id: str
    sku: str
    name: str
    quantity: int
    revenue: Decimal


@dataclass(frozen=True)
class SalesReport:
    """Orders placed on ``day`` (UTC) that were not cancelled; revenue is net of refunds."""

    day: date
    currency: str
    orders: int
    cancelled: int
    revenue: Decimal
    generated_at: datetime
    top_products: list[TopProduct] = field(default_factory=list)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["day", "currency", "orders", "cancelled", "revenue"])
        writer.writerow([self.day.isoformat(), self.currency, self.orders, self.cancelled, self.revenue])
        writer.writerow([])
        writer.writerow(["rank", "product_id", "sku", "name", "quantity", "revenue"])
        for rank, product in enumerate(self.top_products, start=1):
            writer.writerow([rank, product.product_id, product.sku, product.name, product.quantity, product.revenue])
        return out.getvalue()


class SalesReportRepository(ABC):
    @abstractmethod
    def compute(self, day: date, start: datetime, end: datetime, top: int, now: datetime) -> SalesReport: ...

    @abstractmethod
    def store(self, report: SalesReport) -> None:
        """Save the report, replacing an earlier one of the same day."""

    @abstractmethod
    def get(self, day: date) -> SalesReport | None: ...

    @abstractmethod
    def recent(self, limit: int) -> list[SalesReport]: ...
