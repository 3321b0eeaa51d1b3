"""The tax port: what a tax calculator answers, so that a tax service can replace the built-in rates.

A calculator gets the lines after their discounts (each with its product's tax class), the
shipping charge and the destination, and answers one :class:`TaxLine` per rate (``VAT 19 %``; ``GST`` and ``PST`` in a Canadian
province). :class:`TaxStep` turns any calculator into the pricing pipeline's tax step: a
plugin returns ``[TaxStep("mytax", MyCalculator())]`` from ``commerce_pricing_steps``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from kernel.domain.pricing import (
    STANDARD_TAX_CLASS,
    Adjustment,
    AdjustmentKind,
    PriceBreakdown,
    PricingDraft,
    PricingStep,
    Stage,
    StepResult,
)


@dataclass(frozen=True)
class TaxableLine:
    variant_id: UUID
    product_id: UUID
    quantity: int
    net: Decimal  # the line's price after its discounts
    tax_class: str = STANDARD_TAX_CLASS


@dataclass(frozen=True)
class TaxQuery:
    currency: str
    country: str  # ISO 3166-1 alpha-2
    region: str | None
    lines: tuple[TaxableLine, ...]
    shipping: Decimal


@dataclass(frozen=True)
class TaxLine:
    code: str  # the rate's name, stored with the order
    label: str  # what the shopper reads
    amount: Decimal  # already rounded (kernel.domain.money.rounded)
    included: bool = False  # contained in the prices (a site entering prices with tax): shown, not added


class TaxCalculator(ABC):
    @abstractmethod
    def taxes(self, query: TaxQuery) -> list[TaxLine]:
        """The taxes due, one line per rate; none for a destination without tax. No side effects."""


class TaxStep(PricingStep):
    """The tax stage of the pipeline, answered by ``calculator``."""

    stage = Stage.TAX
    inputs = ("country", "region")

    def __init__(self, plugin: str, calculator: TaxCalculator):
        self.plugin = plugin
        self.calculator = calculator

    def adjust(self, draft: PricingDraft, so_far: PriceBreakdown) -> StepResult:
        if not draft.lines:
            return StepResult()
        country = draft.inputs.get("country")
        if not country:
            return StepResult(rejected={"country": "Say which country the order ships to (taxes depend on it)."})
        query = TaxQuery(draft.currency, country, draft.inputs.get("region"),
                         tuple(TaxableLine(line.variant_id, line.product_id, line.quantity, so_far.line_net(line),
                                           line.tax_class) for line in draft.lines), so_far.shipping_total)
        return StepResult([Adjustment(self.plugin, AdjustmentKind.TAX, tax.label, tax.amount, code=tax.code,
                                      included=tax.included)
                           for tax in self.calculator.taxes(query) if tax.amount > 0])
