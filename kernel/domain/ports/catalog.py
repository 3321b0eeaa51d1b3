"""What the cart and orders need from the catalog, without importing the catalog plugin."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from kernel.domain.errors import Conflict


@dataclass(frozen=True)
class ProductSnapshot:
    """A product as it is now: enough to price a line and check availability."""

    id: UUID
    sku: str
    name: str
    slug: str
    unit_price: Decimal
    currency: str
    stock_quantity: int
    is_active: bool


@dataclass(frozen=True)
class StockLine:
    product_id: UUID
    quantity: int


@dataclass(frozen=True)
class Shortage:
    product_id: UUID
    requested: int
    available: int


class InsufficientStock(Conflict):
    """Raised by :meth:`CatalogPort.reserve_stock`; nothing was reserved."""

    def __init__(self, shortages: Sequence[Shortage]):
        self.shortages = list(shortages)
        super().__init__(
            "Not enough stock for " + ", ".join(f"{s.product_id} (available {s.available})" for s in shortages),
            extra={
                "shortages": [
                    {"productId": str(s.product_id), "requested": s.requested, "available": s.available}
                    for s in shortages
                ]
            },
        )


class CatalogPort(ABC):
    """Implemented by the catalog plugin, provided through ``commerce_catalog_port``."""

    @abstractmethod
    def products(self, ids: Iterable[UUID]) -> dict[UUID, ProductSnapshot]:
        """Snapshots of the given products (unknown ids are absent), in one query."""

    @abstractmethod
    def reserve_stock(self, lines: Sequence[StockLine]) -> None:
        """Take stock for every line, or for none (raise :class:`InsufficientStock`).

        Runs inside the caller's transaction and locks rows in a fixed order, so
        concurrent reservations neither oversell nor deadlock.
        """

    @abstractmethod
    def release_stock(self, lines: Sequence[StockLine]) -> None:
        """Give reserved stock back (an order cancelled or expired), in the caller's transaction."""
