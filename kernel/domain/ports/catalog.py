"""What the cart and orders need from the catalog, without importing the catalog plugin."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from kernel.domain.errors import Conflict
from kernel.domain.pricing import STANDARD_TAX_CLASS, DraftLine


@dataclass(frozen=True)
class ProductSnapshot:
    """A variant of a product as it is now: enough to price a line and check availability.

    ``id`` is the variant's id. A product without options is its own single variant (the
    same id), so for it ``id == product_id``; ``options`` are the variant's option values
    in the product's order (``(("Size", "M"), ("Colour", "Red"))``), empty for such a product.
    """

    id: UUID
    sku: str
    name: str
    slug: str
    unit_price: Decimal
    currency: str
    stock_quantity: int
    is_active: bool  # the product and the variant are both on sale
    product_id: UUID | None = None  # None: the same as ``id``
    options: tuple[tuple[str, str], ...] = ()
    category_ids: frozenset[UUID] = frozenset()  # the product's category and the categories above it
    weight: Decimal | None = None  # per unit, in kg
    tax_class: str = STANDARD_TAX_CLASS

    def draft_line(self, quantity: int) -> DraftLine:
        """This variant as a line of a pricing draft."""
        return DraftLine(self.id, self.of_product, quantity, self.unit_price, self.category_ids, self.weight,
                         self.tax_class)

    @property
    def of_product(self) -> UUID:
        """The id of the product this variant belongs to."""
        return self.product_id or self.id

    @property
    def label(self) -> str:
        """The name with the option values: ``"Tee (M / Red)"``."""
        return f"{self.name} ({' / '.join(value for _, value in self.options)})" if self.options else self.name


@dataclass(frozen=True)
class StockLine:
    variant_id: UUID
    quantity: int


@dataclass(frozen=True)
class Shortage:
    variant_id: UUID
    requested: int
    available: int


class InsufficientStock(Conflict):
    """Raised by :meth:`CatalogPort.reserve_stock`; nothing was reserved."""

    def __init__(self, shortages: Sequence[Shortage]):
        self.shortages = list(shortages)
        super().__init__(
            "Not enough stock for " + ", ".join(f"{s.variant_id} (available {s.available})" for s in shortages),
            extra={
                "shortages": [
                    {"variantId": str(s.variant_id), "requested": s.requested, "available": s.available}
                    for s in shortages
                ]
            },
        )


class CatalogPort(ABC):
    """Implemented by the catalog plugin, provided through ``commerce_catalog_port``."""

    @abstractmethod
    def products(self, ids: Iterable[UUID]) -> dict[UUID, ProductSnapshot]:
        """Snapshots of the given variants by variant id (a product without options: its id),
        in one query; unknown ids, and the ids of products that have options, are absent."""

    @abstractmethod
    def unknown_categories(self, ids: Iterable[UUID]) -> set[UUID]:
        """Those of ``ids`` that name no category (one query), for plugins that target categories."""

    @abstractmethod
    def reserve_stock(self, lines: Sequence[StockLine]) -> None:
        """Take stock for every line (per variant), or for none (raise :class:`InsufficientStock`).

        Runs inside the caller's transaction and locks rows in a fixed order, so
        concurrent reservations neither oversell nor deadlock.
        """

    @abstractmethod
    def release_stock(self, lines: Sequence[StockLine]) -> None:
        """Give reserved stock back (an order cancelled or expired), in the caller's transaction."""
