"""Money as an exact decimal amount in one currency, and the one rounding rule of the platform.

Every amount is rounded here and nowhere else, half up (commercial rounding, what tax
authorities expect). :func:`rounded` gives a computed amount (a discount, a tax) to the
currency's exponent: 2 decimals unless :data:`ZERO_DECIMAL` lists the currency. :class:`Money`
keeps 2 decimals, what SQL stores, so a fraction of a yen stays visible and a payment
provider can refuse it; currencies with 3 decimals are not supported.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ROUNDING = ROUND_HALF_UP
CENT = Decimal("0.01")
# ISO 4217 currencies without minor units
ZERO_DECIMAL = frozenset({"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND",
                          "VUV", "XAF", "XOF", "XPF"})


def minor_unit(currency: str) -> Decimal:
    """The smallest amount of ``currency``: ``0.01``, or ``1`` for a zero-decimal currency."""
    return Decimal(1) if currency.upper() in ZERO_DECIMAL else CENT


def rounded(amount: Decimal | int | str, currency: str) -> Decimal:
    """``amount`` rounded half up to the currency's exponent: the platform's only rounding rule."""
    return Decimal(amount).quantize(minor_unit(currency), rounding=ROUNDING).quantize(CENT)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self):
        if isinstance(self.amount, float):
            raise TypeError("Money takes a Decimal, an int or a string, never a float")
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValueError(f"not an ISO 4217 currency code: {self.currency!r}")
        object.__setattr__(self, "currency", self.currency.upper())
        object.__setattr__(self, "amount", Decimal(self.amount).quantize(CENT, rounding=ROUNDING))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money only combines with Money")
        if other.currency != self.currency:
            raise ValueError(f"cannot mix {self.currency} and {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise TypeError("Money multiplies by a whole quantity only")
        return Money(self.amount * quantity, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
