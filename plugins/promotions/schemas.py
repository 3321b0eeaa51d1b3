"""The promotions' wire format (camelCase, money as decimal strings)."""

from __future__ import annotations

import marshmallow as ma

from kernel.web.schemas import CamelSchema, Money, UtcDateTime
from plugins.promotions.domain import DiscountType

MAX_USES = 2**31 - 1  # the column is a PostgreSQL integer


class CouponInSchema(CamelSchema):
    """A new promotion: with a ``code``, a coupon; without (or null), an automatic promotion whose
    ``description`` the shopper reads. ``value`` is a percentage (``"10"`` = 10 %) or an amount of
    the site's currency."""

    code = ma.fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.Regexp(r"^\s*[A-Za-z0-9_-]{1,64}\s*$",
                                                        error="1 to 64 letters, digits, - or _."))
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    discount_type = ma.fields.Enum(DiscountType, by_value=True, required=True)
    value = Money(positive=True, required=True)
    product_ids = ma.fields.List(ma.fields.UUID(), load_default=list, validate=ma.validate.Length(max=1000),
                                 metadata={"description": "Only these products' lines (and those of categoryIds); "
                                                          "both empty: the whole order."})
    category_ids = ma.fields.List(ma.fields.UUID(), load_default=list, validate=ma.validate.Length(max=1000),
                                  metadata={"description": "Only lines of products in these categories or below."})
    min_subtotal = Money(allow_none=True, load_default=None)
    starts_at = UtcDateTime(allow_none=True, load_default=None)
    ends_at = UtcDateTime(allow_none=True, load_default=None)
    usage_limit = ma.fields.Integer(allow_none=True, load_default=None, validate=ma.validate.Range(min=1, max=MAX_USES))
    per_customer_limit = ma.fields.Integer(allow_none=True, load_default=None, validate=ma.validate.Range(min=1, max=MAX_USES))
    is_active = ma.fields.Boolean(load_default=True)

    @ma.post_load
    def as_set(self, data, **kwargs):
        for name in ("product_ids", "category_ids"):
            if name in data:
                data[name] = frozenset(data[name])
        return data


class CouponChangeSchema(CouponInSchema):
    """Only the fields sent change (loaded with ``partial=True``: nothing required, no defaults)."""


class CouponOutSchema(CamelSchema):
    """Every field is always in the answer (``required``, so generated clients need not test for it)."""

    id = ma.fields.UUID(dump_only=True, required=True)
    code = ma.fields.String(dump_only=True, required=True, allow_none=True, metadata={"description": "null: automatic"})
    automatic = ma.fields.Boolean(dump_only=True, required=True)
    description = ma.fields.String(dump_only=True, required=True)
    discount_type = ma.fields.Enum(DiscountType, by_value=True, dump_only=True, required=True)
    value = ma.fields.Decimal(as_string=True, places=2, dump_only=True, required=True)
    product_ids = ma.fields.List(ma.fields.UUID(), dump_only=True, required=True)
    category_ids = ma.fields.List(ma.fields.UUID(), dump_only=True, required=True)
    min_subtotal = ma.fields.Decimal(as_string=True, places=2, dump_only=True, required=True, allow_none=True)
    starts_at = ma.fields.DateTime(dump_only=True, required=True, allow_none=True)
    ends_at = ma.fields.DateTime(dump_only=True, required=True, allow_none=True)
    usage_limit = ma.fields.Integer(dump_only=True, required=True, allow_none=True)
    per_customer_limit = ma.fields.Integer(dump_only=True, required=True, allow_none=True)
    is_active = ma.fields.Boolean(dump_only=True, required=True)
    times_used = ma.fields.Integer(dump_only=True, required=True)
