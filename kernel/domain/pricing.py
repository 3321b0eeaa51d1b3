"""The pricing pipeline: how enabled plugins turn a cart or an order draft into its total.

Plain Python. Plugins contribute :class:`PricingStep` objects (hook ``commerce_pricing_steps``);
:class:`PricingPipeline` runs them in a fixed order of stages — promotions, then shipping,
then tax — and each step sees what the earlier ones decided (tax is computed on discounted
lines plus shipping). A step returns :class:`Adjustment` rows, never a total: the total is
the one rule of :func:`grand_total`, and every amount is rounded by
:func:`kernel.domain.money.rounded`.

The shopper's choices (a coupon code, the destination country, a shipping method) travel as
``draft.inputs``; a step that finds one unusable reports it in ``StepResult.rejected``. The
cart shows such a rejection as a notice; checkout (``strict``) answers it with a 422 naming
the field, before anything is stored.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum, StrEnum
from uuid import UUID

from kernel.domain.errors import ValidationFailed
from kernel.domain.money import minor_unit, rounded

ZERO = Decimal("0.00")
CODE_INPUTS = ("country", "region")


class Stage(IntEnum):
    """When a step runs. Steps of one stage run in the site's plugin order."""

    PROMOTIONS = 10
    SHIPPING = 20
    TAX = 30


class AdjustmentKind(StrEnum):
    DISCOUNT = "discount"  # subtracted
    SHIPPING = "shipping"  # added
    TAX = "tax"  # added


STANDARD_TAX_CLASS = "standard"
TAX_CLASS_RE = r"^[a-z][a-z0-9_-]{0,31}$"  # a product's tax class and a tax rate's


@dataclass(frozen=True)
class DraftLine:
    """A line being priced, with what steps may price it by: its categories (a promotion's
    target), its weight per unit (a shipping rate) and its tax class (a tax rate)."""

    variant_id: UUID
    product_id: UUID
    quantity: int
    unit_price: Decimal
    category_ids: frozenset[UUID] = frozenset()
    weight: Decimal | None = None  # per unit, in kg; None: the product carries no weight
    tax_class: str = STANDARD_TAX_CLASS

    @property
    def gross(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class PricingDraft:
    """What is being priced: a cart, or an order about to be placed.

    ``inputs`` holds the shopper's choices by name: ``coupon``, ``country``, ``region``,
    ``shippingMethod`` (a third-party step may read names of its own).
    """

    currency: str
    lines: tuple[DraftLine, ...]
    inputs: Mapping[str, str] = field(default_factory=dict)
    customer_id: UUID | None = None
    customer_email: str | None = None

    def __post_init__(self):
        # country and region codes are compared in capitals, however the shopper typed them
        codes = {name: self.inputs[name].strip().upper() for name in CODE_INPUTS if self.inputs.get(name)}
        object.__setattr__(self, "inputs", {**self.inputs, **codes})


@dataclass(frozen=True)
class Adjustment:
    """One contribution to the total. ``amount`` is positive; its ``kind`` says which way it goes.
    ``variant_id`` set: the adjustment belongs to that line; ``None``: to the whole order."""

    plugin: str
    kind: AdjustmentKind
    label: str
    amount: Decimal
    variant_id: UUID | None = None
    code: str | None = None  # what it stems from: a coupon code, a shipping method, a tax rate's name
    included: bool = False  # a tax already contained in the prices (shown, not added)

    def __post_init__(self):
        if self.amount < 0:
            raise ValueError("an adjustment's amount is positive; its kind gives the direction")

    @property
    def signed(self) -> Decimal:
        if self.included:
            return ZERO
        return -self.amount if self.kind is AdjustmentKind.DISCOUNT else self.amount


@dataclass(frozen=True)
class Choice:
    """Something the shopper may pick for an input, e.g. a shipping method and its charge."""

    input: str
    code: str
    label: str
    amount: Decimal


@dataclass(frozen=True)
class StepResult:
    adjustments: Sequence[Adjustment] = ()
    choices: Sequence[Choice] = ()
    rejected: Mapping[str, str] = field(default_factory=dict)  # input name → why it cannot be used


def grand_total(subtotal: Decimal, adjustments: Iterable[Adjustment]) -> Decimal:
    """subtotal − discounts + shipping + tax: the one definition of an order's or a cart's total."""
    return subtotal + sum((adjustment.signed for adjustment in adjustments), ZERO)


@dataclass(frozen=True)
class PriceBreakdown:
    currency: str
    lines: tuple[DraftLine, ...]
    adjustments: tuple[Adjustment, ...] = ()
    choices: tuple[Choice, ...] = ()
    notices: Mapping[str, str] = field(default_factory=dict)  # inputs ignored, and why

    @property
    def subtotal(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)

    def _sum(self, kind: AdjustmentKind) -> Decimal:
        return sum((a.amount for a in self.adjustments if a.kind is kind), ZERO)

    @property
    def discount_total(self) -> Decimal:
        return self._sum(AdjustmentKind.DISCOUNT)

    @property
    def shipping_total(self) -> Decimal:
        return self._sum(AdjustmentKind.SHIPPING)

    @property
    def tax_total(self) -> Decimal:
        return self._sum(AdjustmentKind.TAX)

    @property
    def total(self) -> Decimal:
        return grand_total(self.subtotal, self.adjustments)

    def line_discount(self, variant_id: UUID) -> Decimal:
        return sum((a.amount for a in self.adjustments
                    if a.kind is AdjustmentKind.DISCOUNT and a.variant_id == variant_id), ZERO)

    def line_net(self, line: DraftLine) -> Decimal:
        """What is left to pay for a line after its discounts (what tax is charged on)."""
        return line.gross - self.line_discount(line.variant_id)

    def with_step(self, result: StepResult) -> PriceBreakdown:
        return PriceBreakdown(self.currency, self.lines, (*self.adjustments, *result.adjustments),
                              (*self.choices, *result.choices), {**self.notices, **result.rejected})


def allocate(amount: Decimal, weights: Sequence[Decimal], currency: str) -> list[Decimal]:
    """Split ``amount`` over lines in proportion to ``weights``, in whole minor units that add up
    exactly (largest remainder), e.g. a fixed coupon over the lines it applies to."""
    unit = minor_unit(currency)
    total_weight = sum(weights, ZERO)
    if total_weight <= 0:
        return [ZERO for _ in weights]
    units = int(rounded(amount, currency) / unit)
    exact = [Decimal(units) * weight / total_weight for weight in weights]
    shares = [int(share) for share in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (exact[i] - shares[i], -i), reverse=True)
    for index in by_remainder[:units - sum(shares)]:
        shares[index] += 1
    return [rounded(share * unit, currency) for share in shares]


class PricingStep(ABC):
    """A plugin's part of pricing. Runs inside the caller's unit of work; keep it to a fixed
    number of queries whatever the number of lines (read everything the draft needs at once)."""

    plugin: str
    stage: Stage
    inputs: tuple[str, ...] = ()  # the draft inputs this step reads

    @abstractmethod
    def adjust(self, draft: PricingDraft, so_far: PriceBreakdown) -> StepResult:
        """This step's adjustments, given the earlier steps' (``so_far``). No side effects."""

    def redeem(self, draft: PricingDraft, adjustments: Sequence[Adjustment], order_id: UUID) -> None:
        """Checkout stores the order priced with ``adjustments`` (this step's): record what it
        uses up (a coupon use). Runs in the checkout's transaction; raising aborts the checkout."""
        return None  # most steps use nothing up


class PricingPipeline:
    """The site's steps in stage order. Without steps, a total is its subtotal."""

    def __init__(self, steps: Iterable[PricingStep] = ()):
        self.steps = sorted(steps, key=lambda step: step.stage)  # stable: plugin order within a stage

    @property
    def inputs(self) -> frozenset[str]:
        return frozenset(name for step in self.steps for name in step.inputs)

    def check_input(self, name: str, field_name: str) -> None:
        """422 naming ``field_name`` when no step of this site reads the input ``name``."""
        if name not in self.inputs:
            raise ValidationFailed(f"This shop does not use {name!r}.",
                                   errors={field_name: ["This shop does not offer this."]})

    def quote(self, draft: PricingDraft, *, strict: Iterable[str] = (),
              field_names: Mapping[str, str] | None = None) -> PriceBreakdown:
        """Price ``draft``. A rejected input listed in ``strict`` is a 422 (naming the field
        ``field_names`` gives for it); any other rejected input is ignored and noted."""
        breakdown = PriceBreakdown(draft.currency, draft.lines)
        for step in self.steps:
            breakdown = breakdown.with_step(step.adjust(draft, breakdown))
        strict = set(strict)
        refused = {name: [why] for name, why in breakdown.notices.items() if name in strict}
        if refused:
            raise ValidationFailed("; ".join(why for [why] in refused.values()), errors=_named(refused, field_names))
        return breakdown

    def redeem(self, draft: PricingDraft, breakdown: PriceBreakdown, order_id: UUID,
               field_names: Mapping[str, str] | None = None) -> None:
        """Let each step record what the order uses up; a step's refusal names the request's field."""
        try:
            for step in self.steps:
                step.redeem(draft, [a for a in breakdown.adjustments if a.plugin == step.plugin], order_id)
        except ValidationFailed as refused:
            raise ValidationFailed(refused.detail, errors=_named(refused.errors, field_names)) from None


def _named(errors: Mapping[str, list[str]], field_names: Mapping[str, str] | None) -> dict[str, list[str]]:
    """Errors keyed by input name, re-keyed by the request's field names."""
    names = field_names or {}
    return {names.get(name, name): messages for name, messages in errors.items()}
