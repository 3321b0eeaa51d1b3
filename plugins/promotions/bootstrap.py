"""Builds the promotions' use cases and pricing step from the running site."""

from __future__ import annotations

from kernel.context import commerce
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from plugins.promotions.repository import SqlCouponRepository
from plugins.promotions.services import CouponStep, PromotionAdmin


def coupon_step() -> CouponStep:
    """One step for the site's life; each pricing reads through the current request's session."""
    return CouponStep(lambda: SqlCouponRepository(db.session))


def promotion_admin() -> PromotionAdmin:
    return PromotionAdmin(SqlAlchemyUnitOfWork(db.session), SqlCouponRepository(db.session), commerce().catalog)
