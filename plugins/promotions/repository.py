"""Promotions in SQL (Core over the request's session). Pricing a cart reads the coupon and the
automatic promotions in one query; checkout adds
one guarded ``UPDATE`` (the usage limit), one count (only for a per-customer limit) and one insert."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.domain.errors import Conflict
from kernel.infrastructure.db import db
from plugins.promotions.domain import Coupon, CouponRepository, DiscountType
from plugins.promotions.orm import promotion_redemptions, promotions


class SqlCouponRepository(CouponRepository):
    def __init__(self, session=None):
        self.session = session or db.session

    def by_code(self, code: str) -> Coupon | None:
        return self._one(promotions.c.code == code)

    def for_pricing(self, code: str | None) -> tuple[Coupon | None, list[Coupon]]:
        automatic = promotions.c.code.is_(None) & promotions.c.is_active.is_(True)
        rows = self.session.execute(sa.select(promotions).where(automatic | (promotions.c.code == code) if code
                                                                else automatic)
                                    .order_by(promotions.c.created_at, promotions.c.id)).mappings()
        found = [_coupon(row) for row in rows]
        return next((each for each in found if each.code == code), None), [each for each in found if each.automatic]

    def get(self, coupon_id: UUID) -> Coupon | None:
        return self._one(promotions.c.id == coupon_id)

    def all(self) -> list[Coupon]:
        rows = self.session.execute(sa.select(promotions).order_by(promotions.c.created_at, promotions.c.code))
        return [_coupon(row) for row in rows.mappings()]

    def add(self, coupon: Coupon) -> None:
        try:
            with self.session.begin_nested():
                self.session.execute(promotions.insert().values(id=coupon.id, created_at=sa.func.now(), **_row(coupon)))
        except IntegrityError:
            raise Conflict(f"A coupon {coupon.code!r} exists already.",
                           errors={"code": ["Already taken."]}) from None

    def save(self, coupon: Coupon) -> None:
        try:
            with self.session.begin_nested():
                self.session.execute(promotions.update().where(promotions.c.id == coupon.id).values(**_row(coupon)))
        except IntegrityError:
            raise Conflict(f"A coupon {coupon.code!r} exists already, or it was used more often than the new limit.",
                           errors={"code": ["Already taken, or usageLimit below the uses so far."]}) from None

    def delete(self, coupon: Coupon) -> None:
        self.session.execute(promotions.delete().where(promotions.c.id == coupon.id))

    def uses_by(self, coupon_id: UUID, customer_id: UUID | None, email: str | None) -> int:
        who = (promotion_redemptions.c.customer_id == customer_id if customer_id is not None
               else sa.func.lower(promotion_redemptions.c.customer_email) == (email or "").lower())
        return self.session.execute(sa.select(sa.func.count()).select_from(promotion_redemptions)
                                    .where(promotion_redemptions.c.promotion_id == coupon_id, who)).scalar_one()

    def claim_use(self, coupon_id: UUID) -> bool:
        # PostgreSQL re-checks the WHERE on the row a concurrent claim just committed, so no
        # more claims than the limit ever succeed; the row stays locked until commit.
        claimed = self.session.execute(
            promotions.update()
            .where(promotions.c.id == coupon_id,
                   sa.or_(promotions.c.usage_limit.is_(None), promotions.c.times_used < promotions.c.usage_limit))
            .values(times_used=promotions.c.times_used + 1).returning(promotions.c.id)).first()
        return claimed is not None

    def record_redemption(self, coupon_id: UUID, order_id: UUID, customer_id: UUID | None, email: str | None,
                          at: datetime) -> None:
        self.session.execute(promotion_redemptions.insert().values(
            id=uuid4(), promotion_id=coupon_id, order_id=order_id, customer_id=customer_id, customer_email=email,
            redeemed_at=at))

    def _one(self, condition) -> Coupon | None:
        row = self.session.execute(sa.select(promotions).where(condition)).mappings().first()
        return _coupon(row) if row else None


def _row(coupon: Coupon) -> dict:
    return {"code": coupon.code, "description": coupon.description, "discount_type": str(coupon.discount_type),
            "value": coupon.value, "product_ids": sorted(str(p) for p in coupon.product_ids),
            "category_ids": sorted(str(c) for c in coupon.category_ids),
            "min_subtotal": coupon.min_subtotal, "starts_at": coupon.starts_at, "ends_at": coupon.ends_at,
            "usage_limit": coupon.usage_limit, "per_customer_limit": coupon.per_customer_limit,
            "is_active": coupon.is_active}


def _coupon(row) -> Coupon:
    return Coupon(id=row["id"], code=row["code"], discount_type=DiscountType(row["discount_type"]), value=row["value"],
                  description=row["description"], product_ids=frozenset(UUID(p) for p in row["product_ids"]),
                  category_ids=frozenset(UUID(c) for c in row["category_ids"]),
                  min_subtotal=row["min_subtotal"], starts_at=row["starts_at"], ends_at=row["ends_at"],
                  usage_limit=row["usage_limit"], per_customer_limit=row["per_customer_limit"],
                  is_active=row["is_active"], times_used=row["times_used"])
