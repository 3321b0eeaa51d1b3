"""The kernel's pricing pipeline without Flask or a database: order of stages, totals, rounding."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.domain.errors import ValidationFailed
from kernel.domain.money import Money, rounded
from kernel.domain.pricing import (
    Adjustment,
    AdjustmentKind,
    DraftLine,
    PricingDraft,
    PricingPipeline,
    PricingStep,
    Stage,
    StepResult,
    allocate,
)

D = Decimal


class Recorder(PricingStep):
    """A step that adds ``amount`` of ``kind`` and records what it saw of the earlier steps."""

    def __init__(self, plugin, stage, kind, amount, seen, inputs=()):
        self.plugin, self.stage, self.kind, self.amount, self.seen, self.inputs = plugin, stage, kind, amount, seen, inputs

    def adjust(self, draft, so_far):
        self.seen.append((self.plugin, so_far.total))
        if self.inputs and draft.inputs.get(self.inputs[0]) == "bad":
            return StepResult(rejected={self.inputs[0]: "Not that one."})
        return StepResult([Adjustment(self.plugin, self.kind, self.plugin, D(self.amount))])


def draft(*prices, **inputs) -> PricingDraft:
    return PricingDraft("EUR", tuple(DraftLine(uuid4(), uuid4(), 1, D(p)) for p in prices), inputs)


def test_steps_run_promotions_then_shipping_then_tax_whatever_the_plugin_order():
    seen = []
    steps = [Recorder("tax", Stage.TAX, AdjustmentKind.TAX, "1.90", seen),
             Recorder("shipping", Stage.SHIPPING, AdjustmentKind.SHIPPING, "5.00", seen),
             Recorder("promotions", Stage.PROMOTIONS, AdjustmentKind.DISCOUNT, "2.00", seen)]
    breakdown = PricingPipeline(steps).quote(draft("10.00", "2.00"))
    assert seen == [("promotions", D("12.00")), ("shipping", D("10.00")), ("tax", D("15.00"))]
    assert (breakdown.subtotal, breakdown.discount_total, breakdown.shipping_total, breakdown.tax_total,
            breakdown.total) == (D("12.00"), D("2.00"), D("5.00"), D("1.90"), D("16.90"))


def test_a_site_without_pricing_plugins_totals_its_subtotal():
    breakdown = PricingPipeline().quote(draft("19.99", "0.01"))
    assert breakdown.total == breakdown.subtotal == D("20.00") and breakdown.adjustments == ()


def test_a_rejected_input_is_a_notice_unless_strict_then_a_422_naming_the_request_field():
    step = Recorder("promotions", Stage.PROMOTIONS, AdjustmentKind.DISCOUNT, "1.00", [], inputs=("coupon",))
    pipeline = PricingPipeline([step])
    assert pipeline.quote(draft("5.00", coupon="bad")).notices == {"coupon": "Not that one."}
    with pytest.raises(ValidationFailed) as refused:
        pipeline.quote(draft("5.00", coupon="bad"), strict=["coupon"], field_names={"coupon": "couponCode"})
    assert refused.value.errors == {"couponCode": ["Not that one."]}
    with pytest.raises(ValidationFailed) as unknown:
        pipeline.check_input("country", "shippingAddress.country")
    assert list(unknown.value.errors) == ["shippingAddress.country"]


@pytest.mark.parametrize("amount, currency, expected", [
    ("2.005", "EUR", "2.01"), ("2.004", "EUR", "2.00"), ("-2.005", "EUR", "-2.01"), ("1234.5", "JPY", "1235.00"),
    ("1234.49", "JPY", "1234.00"),
])
def test_one_rounding_rule_half_up_to_the_currency_exponent(amount, currency, expected):
    assert rounded(D(amount), currency) == D(expected)


def test_money_keeps_two_decimals_rounded_the_same_way_so_a_fraction_of_a_yen_stays_visible():
    assert Money(D("2.005"), "EUR").amount == D("2.01")
    assert Money(D("12.5"), "JPY").amount == D("12.50")


@pytest.mark.parametrize("amount, weights, currency", [
    ("10.00", ["10", "20", "10"], "EUR"), ("0.01", ["1", "1", "1"], "EUR"), ("100", ["1", "1", "1"], "JPY"),
    ("7.77", ["3.33", "0", "9.99"], "USD"),
])
def test_allocating_a_fixed_amount_loses_no_minor_unit(amount, weights, currency):
    shares = allocate(D(amount), [D(w) for w in weights], currency)
    assert sum(shares) == rounded(D(amount), currency)
    assert all(share == rounded(share, currency) for share in shares)
    assert all(share == 0 for share, weight in zip(shares, weights, strict=True) if D(weight) == 0)


def test_an_adjustment_amount_is_positive_its_kind_gives_the_direction():
    with pytest.raises(ValueError):
        Adjustment("x", AdjustmentKind.DISCOUNT, "x", D("-1"))
    assert Adjustment("x", AdjustmentKind.DISCOUNT, "x", D("1")).signed == D("-1")
