"""Shipping methods and their rates, and the shipping step of the pricing pipeline. Plain Python.

A method ships to some countries (``"*"``: everywhere) at a rate: ``flat`` (one amount),
``bands`` (the amount of the first band whose ``below`` the goods stay under; the last band
has no limit) and, for either, ``free_above`` (nothing to pay from that amount of goods on).
"Goods" is what the lines cost after their discounts. The shopper picks a method
(``shippingMethod``); without one, the cheapest for the country is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kernel.domain.money import rounded
from kernel.domain.pricing import (
    Adjustment,
    AdjustmentKind,
    Choice,
    PriceBreakdown,
    PricingDraft,
    PricingStep,
    Stage,
    StepResult,
)

PLUGIN = "shipping"
EVERYWHERE = "*"


@dataclass(frozen=True)
class RateBand:
    amount: Decimal
    below: Decimal | None = None  # None: every amount from the previous band on


@dataclass(frozen=True)
class ShippingMethod:
    code: str
    label: str
    countries: frozenset[str]
    bands: tuple[RateBand, ...]  # a flat rate is one band without a limit
    free_above: Decimal | None = None

    def ships_to(self, country: str) -> bool:
        return EVERYWHERE in self.countries or country in self.countries

    def charge(self, goods: Decimal, currency: str) -> Decimal:
        if self.free_above is not None and goods >= self.free_above:
            return rounded(0, currency)
        band = next((band for band in self.bands if band.below is None or goods < band.below), self.bands[-1])
        return rounded(band.amount, currency)


class ShippingStep(PricingStep):
    plugin = PLUGIN
    stage = Stage.SHIPPING
    inputs = ("country", "shippingMethod")

    def __init__(self, methods: Sequence[ShippingMethod]):
        self.methods = list(methods)

    def adjust(self, draft: PricingDraft, so_far: PriceBreakdown) -> StepResult:
        if not draft.lines:
            return StepResult()
        country = draft.inputs.get("country")
        if not country:
            return StepResult(rejected={"country": "Say which country the order ships to."})
        goods = so_far.subtotal - so_far.discount_total
        offers = sorted(((method, method.charge(goods, draft.currency)) for method in self.methods
                         if method.ships_to(country)), key=lambda offer: offer[1])
        if not offers:
            return StepResult(rejected={"country": f"We do not ship to {country}."})
        choices = [Choice("shippingMethod", method.code, method.label, charge) for method, charge in offers]
        wanted = draft.inputs.get("shippingMethod")
        chosen = next((offer for offer in offers if offer[0].code == wanted), None) if wanted else offers[0]
        if chosen is None:
            return StepResult(choices=choices,
                              rejected={"shippingMethod": f"No shipping method {wanted!r} to {country}."})
        method, charge = chosen
        return StepResult([Adjustment(PLUGIN, AdjustmentKind.SHIPPING, method.label, charge, code=method.code)],
                          choices)
