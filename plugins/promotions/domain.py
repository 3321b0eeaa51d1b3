"""Coupons in plain Python: what a code takes off which lines, and when it may be used.

A coupon takes a percentage or a fixed amount off the whole order or off the lines of some
products. It may need a minimum subtotal, be valid only in a window, and be limited in
total uses and in uses per customer. Discounts are always given per line (a fixed amount is
split over the lines it applies to), so every order line knows its own discount.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from kernel.domain.errors import ValidationFailed
from kernel.domain.money import rounded
from kernel.domain.pricing import Adjustment, AdjustmentKind, PriceBreakdown, PricingDraft, allocate

PLUGIN = "promotions"
HUNDRED = Decimal(100)


class DiscountType(StrEnum):
    PERCENTAGE = "percentage"
    FIXED = "fixed"


def normalized(code: str) -> str:
    """Codes are compared without case and surrounding blanks: ``" spring10 "`` is ``SPRING10``."""
    return code.strip().upper()


@dataclass
class Coupon:
    id: UUID
    code: str
    discount_type: DiscountType
    value: Decimal
    description: str = ""
    product_ids: frozenset[UUID] = frozenset()  # empty: every line of the order
    min_subtotal: Decimal | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None  # uses in all
    per_customer_limit: int | None = None
    is_active: bool = True
    times_used: int = field(default=0)

    def __post_init__(self):
        self.code = normalized(self.code)
        errors = {}
        if not self.code:
            errors["code"] = ["Required."]
        if self.value <= 0 or (self.discount_type is DiscountType.PERCENTAGE and self.value > HUNDRED):
            errors["value"] = ["A percentage is above 0 and at most 100; a fixed amount above 0."]
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["endsAt"] = ["Must be after startsAt."]
        for name, limit in (("usageLimit", self.usage_limit), ("perCustomerLimit", self.per_customer_limit)):
            if limit is not None and limit < 1:
                errors[name] = ["At least 1 (leave it out for no limit)."]
        if errors:
            raise ValidationFailed("This coupon is not valid.", errors=errors)

    def refusal(self, draft: PricingDraft, so_far: PriceBreakdown, now: datetime, uses_by_customer: int) -> str | None:
        """Why this coupon cannot be used on ``draft`` now, or ``None`` when it can."""
        if not self.is_active:
            return "No such coupon."
        if self.starts_at and now < self.starts_at:
            return "This coupon is not valid yet."
        if self.ends_at and now >= self.ends_at:
            return "This coupon has expired."
        if self.usage_limit is not None and self.times_used >= self.usage_limit:
            return "This coupon has been used up."
        if self.per_customer_limit is not None and uses_by_customer >= self.per_customer_limit:
            return "You have already used this coupon."
        if self.min_subtotal is not None and so_far.subtotal < self.min_subtotal:
            return f"This coupon needs a subtotal of at least {self.min_subtotal}."
        if not self._eligible(draft):
            return "This coupon applies to none of these products."
        return None

    def discounts(self, draft: PricingDraft, so_far: PriceBreakdown) -> list[Adjustment]:
        """One discount per eligible line, never more than what is left to pay on it."""
        lines = self._eligible(draft)
        bases = [so_far.line_net(line) for line in lines]
        if self.discount_type is DiscountType.PERCENTAGE:
            amounts = [rounded(base * self.value / HUNDRED, draft.currency) for base in bases]
        else:
            amounts = allocate(min(self.value, sum(bases)), bases, draft.currency)
        label = f"Coupon {self.code}"
        return [Adjustment(PLUGIN, AdjustmentKind.DISCOUNT, label, amount, line.variant_id, self.code)
                for line, amount in zip(lines, amounts, strict=True) if amount > 0]

    def _eligible(self, draft: PricingDraft):
        return [line for line in draft.lines if not self.product_ids or line.product_id in self.product_ids]


class CouponRepository(ABC):
    @abstractmethod
    def by_code(self, code: str) -> Coupon | None: ...

    @abstractmethod
    def get(self, coupon_id: UUID) -> Coupon | None: ...

    @abstractmethod
    def all(self) -> list[Coupon]: ...

    @abstractmethod
    def add(self, coupon: Coupon) -> None:
        """Store a new coupon (a code already taken raises :class:`kernel.domain.errors.Conflict`)."""

    @abstractmethod
    def save(self, coupon: Coupon) -> None: ...

    @abstractmethod
    def delete(self, coupon: Coupon) -> None: ...

    @abstractmethod
    def uses_by(self, coupon_id: UUID, customer_id: UUID | None, email: str | None) -> int:
        """How many orders this customer (by account, else by email) placed with the coupon."""

    @abstractmethod
    def claim_use(self, coupon_id: UUID) -> bool:
        """Count one more use unless the limit is reached, atomically (concurrent checkouts
        wait for each other here); the coupon stays locked until the transaction ends."""

    @abstractmethod
    def record_redemption(self, coupon_id: UUID, order_id: UUID, customer_id: UUID | None, email: str | None,
                          at: datetime) -> None: ...
