"""Promotions in plain Python: what a coupon code or an automatic promotion takes off which lines,
and when it may be used.

A promotion takes a percentage or a fixed amount off the whole order or off the lines of some
products or categories. It may need a minimum subtotal and be valid only in a window. A
coupon has a code the shopper enters and may be limited in total uses and in uses per
customer; an automatic promotion has no code and applies by itself wherever it can (it has
no use to count, so no limits). Discounts are always given per line (a fixed amount is split
over the lines it applies to), so every order line knows its own discount.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from kernel.domain.errors import ValidationFailed
from kernel.domain.money import rounded
from kernel.domain.pricing import (
    Adjustment,
    AdjustmentKind,
    DraftLine,
    PriceBreakdown,
    PricingDraft,
    StepResult,
    allocate,
)

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
    """A promotion: with a ``code``, a coupon; without (``None``), an automatic promotion."""

    id: UUID
    code: str | None
    discount_type: DiscountType
    value: Decimal
    description: str = ""  # an automatic promotion's label (what the shopper reads)
    product_ids: frozenset[UUID] = frozenset()  # with category_ids empty too: every line of the order
    category_ids: frozenset[UUID] = frozenset()  # lines of products in these categories (or below)
    min_subtotal: Decimal | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    usage_limit: int | None = None  # uses in all
    per_customer_limit: int | None = None
    is_active: bool = True
    times_used: int = field(default=0)

    def __post_init__(self):
        self.code = normalized(self.code) if self.code is not None else None
        errors = {}
        if self.code == "":
            errors["code"] = ["Required for a coupon (leave it out, or null, for an automatic promotion)."]
        if self.automatic:
            if not self.description.strip():
                errors["description"] = ["An automatic promotion needs a description: the shopper reads it."]
            for name, limit in (("usageLimit", self.usage_limit), ("perCustomerLimit", self.per_customer_limit)):
                if limit is not None:
                    errors[name] = ["Only a coupon has uses to limit (an automatic promotion has no code)."]
        if self.value <= 0 or (self.discount_type is DiscountType.PERCENTAGE and self.value > HUNDRED):
            errors["value"] = ["A percentage is above 0 and at most 100; a fixed amount above 0."]
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["endsAt"] = ["Must be after startsAt."]
        for name, limit in (("usageLimit", self.usage_limit), ("perCustomerLimit", self.per_customer_limit)):
            if limit is not None and limit < 1:
                errors[name] = ["At least 1 (leave it out for no limit)."]
        if errors:
            raise ValidationFailed("This promotion is not valid.", errors=errors)

    @property
    def automatic(self) -> bool:
        return self.code is None

    @property
    def label(self) -> str:
        return self.description.strip() if self.automatic else f"Coupon {self.code}"

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
        return [Adjustment(PLUGIN, AdjustmentKind.DISCOUNT, self.label, amount, line.variant_id, self.code)
                for line, amount in zip(lines, amounts, strict=True) if amount > 0]

    def _eligible(self, draft: PricingDraft) -> list[DraftLine]:
        if not self.product_ids and not self.category_ids:
            return list(draft.lines)
        return [line for line in draft.lines
                if line.product_id in self.product_ids or line.category_ids & self.category_ids]


def automatic_discounts(promotions: Sequence[Coupon], draft: PricingDraft, so_far: PriceBreakdown,
                        now: datetime) -> list[Adjustment]:
    """The automatic promotions that apply, oldest first, each on what the earlier ones left."""
    adjustments: list[Adjustment] = []
    for promotion in promotions:
        current = so_far.with_step(StepResult(adjustments))
        if promotion.refusal(draft, current, now, 0) is None:
            adjustments += promotion.discounts(draft, current)
    return adjustments


class CouponRepository(ABC):
    @abstractmethod
    def by_code(self, code: str) -> Coupon | None: ...

    @abstractmethod
    def for_pricing(self, code: str | None) -> tuple[Coupon | None, list[Coupon]]:
        """The coupon of ``code`` (if any) and the active automatic promotions, oldest first, at once."""

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
