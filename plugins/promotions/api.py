"""``/api/admin/promotions``: staff manage coupons and automatic promotions (``promotions:manage``). Shoppers apply a coupon
through the cart (``POST /api/cart/coupon``) or at checkout (``couponCode``)."""

from __future__ import annotations

from uuid import UUID

from flask_smorest import Blueprint

from kernel.web.auth import permission_required
from plugins.promotions.bootstrap import promotion_admin
from plugins.promotions.schemas import CouponChangeSchema, CouponInSchema, CouponOutSchema

MANAGE = "promotions:manage"

blp = Blueprint("promotions_admin", __name__, url_prefix="/api/admin/promotions",
                description="Coupons and automatic promotions for staff (promotions:manage).")


@blp.route("", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, CouponOutSchema(many=True))
def list_coupons():
    """Every coupon, oldest first, with how often it was used."""
    return promotion_admin().list()


@blp.route("", methods=["POST"])
@permission_required(MANAGE)
@blp.arguments(CouponInSchema)
@blp.response(201, CouponOutSchema)
def create_coupon(body):
    """Create a coupon; 409 naming ``code`` when the code is taken (codes ignore case)."""
    return promotion_admin().create(body)


@blp.route("/<uuid:coupon_id>", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, CouponOutSchema)
def get_coupon(coupon_id: UUID):
    return promotion_admin().get(coupon_id)


@blp.route("/<uuid:coupon_id>", methods=["PATCH"])
@permission_required(MANAGE)
@blp.arguments(CouponChangeSchema(partial=True))
@blp.response(200, CouponOutSchema)
def change_coupon(body, coupon_id: UUID):
    """Change the fields sent (``isActive: false`` withdraws a coupon and keeps its history)."""
    return promotion_admin().change(coupon_id, body)


@blp.route("/<uuid:coupon_id>", methods=["DELETE"])
@permission_required(MANAGE)
@blp.response(204)
def delete_coupon(coupon_id: UUID):
    promotion_admin().delete(coupon_id)
