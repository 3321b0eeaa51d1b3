"""The promotions' use cases: the coupon step of the pricing pipeline, and staff managing coupons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from uuid import UUID, uuid4

from kernel.domain.clock import utcnow
from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.ports.catalog import CatalogPort
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.domain.pricing import Adjustment, PriceBreakdown, PricingDraft, PricingStep, Stage, StepResult
from plugins.promotions.domain import PLUGIN, Coupon, CouponRepository, automatic_discounts, normalized

COUPON = "coupon"


class CouponStep(PricingStep):
    """Applies the automatic promotions, then the draft's ``coupon`` on what they left; at checkout
    counts the coupon's use against its limits."""

    plugin = PLUGIN
    stage = Stage.PROMOTIONS
    inputs = (COUPON,)

    def __init__(self, coupons: Callable[[], CouponRepository], clock: Callable[[], datetime] = utcnow):
        self.coupons = coupons  # the repository of the current unit of work
        self.clock = clock

    def adjust(self, draft: PricingDraft, so_far: PriceBreakdown) -> StepResult:
        code = draft.inputs.get(COUPON)
        if not draft.lines and not code:
            return StepResult()
        coupons = self.coupons()
        coupon, automatic = coupons.for_pricing(normalized(code) if code else None)
        now = self.clock()
        adjustments = automatic_discounts(automatic, draft, so_far, now)
        if not code:
            return StepResult(adjustments)
        if coupon is None:
            return StepResult(adjustments, rejected={COUPON: "No such coupon."})
        uses = (coupons.uses_by(coupon.id, draft.customer_id, draft.customer_email)
                if coupon.per_customer_limit is not None and (draft.customer_id or draft.customer_email) else 0)
        current = so_far.with_step(StepResult(adjustments))
        refusal = coupon.refusal(draft, current, now, uses)
        if refusal:
            return StepResult(adjustments, rejected={COUPON: refusal})
        return StepResult([*adjustments, *coupon.discounts(draft, current)])

    def redeem(self, draft: PricingDraft, adjustments: Sequence[Adjustment], order_id: UUID) -> None:
        used = [adjustment.code for adjustment in adjustments if adjustment.code]  # automatic ones have none
        if not used:
            return
        coupons = self.coupons()
        coupon = coupons.by_code(used[0])
        if coupon is None or not coupons.claim_use(coupon.id):
            raise ValidationFailed("This coupon has just been used up.", errors={COUPON: ["This coupon has been used up."]})
        if coupon.per_customer_limit is not None and \
                coupons.uses_by(coupon.id, draft.customer_id, draft.customer_email) >= coupon.per_customer_limit:
            raise ValidationFailed("You have already used this coupon.",
                                   errors={COUPON: ["You have already used this coupon."]})
        coupons.record_redemption(coupon.id, order_id, draft.customer_id, draft.customer_email, self.clock())


@dataclass
class PromotionAdmin:
    """Staff create, change and delete coupons and automatic promotions (``promotions:manage``)."""

    uow: UnitOfWork
    coupons: CouponRepository
    catalog: CatalogPort  # checks the categories a promotion targets
    clock: Callable[[], datetime] = field(default=utcnow)

    def list(self) -> list[Coupon]:
        with self.uow:
            return self.coupons.all()

    def get(self, coupon_id: UUID) -> Coupon:
        with self.uow:
            return self._existing(coupon_id)

    def create(self, values: dict) -> Coupon:
        coupon = Coupon(id=uuid4(), **values)
        with self.uow:
            self._check_categories(coupon)
            self.coupons.add(coupon)
            self.uow.commit()
        return coupon

    def change(self, coupon_id: UUID, values: dict) -> Coupon:
        with self.uow:
            coupon = replace(self._existing(coupon_id), **values)  # replace re-checks every rule
            self._check_categories(coupon)
            self.coupons.save(coupon)
            self.uow.commit()
        return coupon

    def delete(self, coupon_id: UUID) -> None:
        with self.uow:
            self.coupons.delete(self._existing(coupon_id))
            self.uow.commit()

    def _check_categories(self, coupon: Coupon) -> None:
        unknown = self.catalog.unknown_categories(coupon.category_ids) if coupon.category_ids else set()
        if unknown:
            raise ValidationFailed("No such category.", errors={"categoryIds": [
                f"No category {category}." for category in sorted(map(str, unknown))]})

    def _existing(self, coupon_id: UUID) -> Coupon:
        coupon = self.coupons.get(coupon_id)
        if coupon is None:
            raise NotFound(f"No coupon {coupon_id}.")
        return coupon
