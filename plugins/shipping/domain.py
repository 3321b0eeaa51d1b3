"""Shipping methods and their rates, and the shipping step of the pricing pipeline. Plain Python.

A method ships to some countries (``"*"``: everywhere; a zone of the site's config is a named
list of them) at a rate: ``flat`` (one amount), ``bands`` (the amount of the first band whose
``below`` the goods stay under; the last band has no limit), ``weight`` (the same bands, by
the parcel's weight in kg) and, for any of them, ``free_above`` (nothing to pay from that
amount of goods on). "Goods" is what the lines cost after their discounts; the parcel weighs
what its lines' products weigh (a product without a weight counts 0). The shopper picks a
method (``shippingMethod``); without one, the cheapest for the country is taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

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


class Basis(StrEnum):
    GOODS = "goods"  # flat and bands: by what the goods cost
    WEIGHT = "weight"


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
    basis: Basis = Basis.GOODS  # what the bands' ``below`` compares
    zones: tuple[str, ...] = ()  # the site's zones it was configured with (``countries`` holds theirs too)

    @property
    def rate(self) -> str:
        """The rate's kind as a site file names it: ``weight``, ``flat`` (one band, no limit) or ``bands``."""
        if self.basis is Basis.WEIGHT:
            return "weight"
        return "flat" if len(self.bands) == 1 and self.bands[0].below is None else "bands"

    def ships_to(self, country: str) -> bool:
        return EVERYWHERE in self.countries or country in self.countries

    def charge(self, goods: Decimal, weight: Decimal, currency: str) -> Decimal:
        if self.free_above is not None and goods >= self.free_above:
            return rounded(0, currency)
        measure = weight if self.basis is Basis.WEIGHT else goods
        band = next((band for band in self.bands if band.below is None or measure < band.below), self.bands[-1])
        return rounded(band.amount, currency)


def parcel_weight(draft: PricingDraft) -> Decimal:
    return sum((line.weight * line.quantity for line in draft.lines if line.weight is not None), Decimal(0))


class ShippingStep(PricingStep):
    plugin = PLUGIN
    stage = Stage.SHIPPING
    inputs = ("country", "shippingMethod")

    def __init__(self, methods: Sequence[ShippingMethod]):
        self.methods = list(methods)

    def adjust(self, draft: PricingDraft, so_far: PriceBreakdown) -> StepResult:
        """The methods to the draft's country as choices (even for no lines: what they would cost),
        and the chosen one's charge when there is something to ship."""
        country = draft.inputs.get("country")
        if not country:
            return StepResult(rejected={"country": "Say which country the order ships to."} if draft.lines else {})
        goods, weight = so_far.subtotal - so_far.discount_total, parcel_weight(draft)
        offers = sorted(((method, method.charge(goods, weight, draft.currency)) for method in self.methods
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
        if not draft.lines:
            return StepResult(choices=choices)
        return StepResult([Adjustment(PLUGIN, AdjustmentKind.SHIPPING, method.label, charge, code=method.code)],
                          choices)
