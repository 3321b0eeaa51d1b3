"""Tax rates per country, region and product tax class from the site's configuration. Plain Python.

Every rate whose country matches (and whose region matches, when it names one) applies to the
lines of its tax class (``standard`` unless it names another, e.g. ``reduced``), each on those
lines after their discounts plus, for the standard class and when ``shipping_taxable``, the
shipping charge. A line whose class has no rate at the destination pays no tax. Each rate's
tax is rounded once, on that whole base (kernel.domain.money.rounded).

With ``prices_include_tax`` the prices (and the shipping charge) already contain the tax: it is
extracted instead of added, so totals stay what the prices say. For a class taxed at rates
p1 … pn (summing to P) a base B contains B × pi / (100 + P) of rate i.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from kernel.domain.money import rounded
from kernel.domain.ports.tax import TaxCalculator, TaxLine, TaxQuery
from kernel.domain.pricing import STANDARD_TAX_CLASS

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TaxRate:
    code: str
    label: str
    country: str
    percent: Decimal
    region: str | None = None  # None: the whole country
    tax_class: str = STANDARD_TAX_CLASS

    def applies_to(self, country: str, region: str | None) -> bool:
        return self.country == country and (self.region is None or self.region == region)


class RateTable(TaxCalculator):
    def __init__(self, rates: Sequence[TaxRate], shipping_taxable: bool = True, prices_include_tax: bool = False):
        self.rates = list(rates)
        self.shipping_taxable = shipping_taxable
        self.prices_include_tax = prices_include_tax

    def taxes(self, query: TaxQuery) -> list[TaxLine]:
        rates = [rate for rate in self.rates if rate.applies_to(query.country, query.region)]
        percent_of_class: dict[str, Decimal] = {}
        for rate in rates:
            percent_of_class[rate.tax_class] = percent_of_class.get(rate.tax_class, Decimal(0)) + rate.percent
        return [TaxLine(rate.code, rate.label, rounded(self._base(query, rate.tax_class) * rate.percent
                                                       / self._divisor(percent_of_class[rate.tax_class]),
                                                       query.currency), self.prices_include_tax)
                for rate in rates]

    def _base(self, query: TaxQuery, tax_class: str) -> Decimal:
        goods = sum((line.net for line in query.lines if line.tax_class == tax_class), Decimal(0))
        shipping = self.shipping_taxable and tax_class == STANDARD_TAX_CLASS
        return goods + (query.shipping if shipping else 0)

    def _divisor(self, class_percent: Decimal) -> Decimal:
        """What a rate's percent is divided by: 100 on net prices, 100 + the class's rates on gross."""
        return HUNDRED + class_percent if self.prices_include_tax else HUNDRED
