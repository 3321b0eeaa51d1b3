"""Tax rates per country and region from the site's configuration. Plain Python.

Every rate whose country matches (and whose region matches, when it names one) applies, each
on the goods after their discounts plus, when ``shipping_taxable``, the shipping charge; each
rate's tax is rounded once, on that whole base (kernel.domain.money.rounded).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kernel.domain.money import rounded
from kernel.domain.ports.tax import TaxCalculator, TaxLine, TaxQuery

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxRate:
    code: str
    label: str
    country: str
    percent: Decimal
    region: str | None = None  # None: the whole country

    def applies_to(self, country: str, region: str | None) -> bool:
        return self.country == country and (self.region is None or self.region == region)


class RateTable(TaxCalculator):
    def __init__(self, rates: Sequence[TaxRate], shipping_taxable: bool = True):
        self.rates = list(rates)
        self.shipping_taxable = shipping_taxable

    def taxes(self, query: TaxQuery) -> list[TaxLine]:
        base = sum((line.net for line in query.lines), Decimal(0)) + (query.shipping if self.shipping_taxable else 0)
        return [TaxLine(rate.code, rate.label, rounded(base * rate.percent / HUNDRED, query.currency))
                for rate in self.rates if rate.applies_to(query.country, query.region)]
