"""The pricing pipeline's wire format, shared by the cart and the orders (one schema, one name)."""

from __future__ import annotations

import marshmallow as ma

from kernel.domain.pricing import AdjustmentKind
from kernel.web.schemas import CamelSchema


def _money(description: str, **kwargs) -> ma.fields.Decimal:
    return ma.fields.Decimal(as_string=True, places=2, dump_only=True, metadata={"description": description},
                             **kwargs)


class PriceAdjustmentSchema(CamelSchema):
    plugin = ma.fields.String(dump_only=True, metadata={"description": "The plugin that contributed it."})
    kind = ma.fields.Enum(AdjustmentKind, by_value=True, dump_only=True)
    label = ma.fields.String(dump_only=True, metadata={"description": "What the shopper reads, e.g. \"VAT 19 %\"."})
    amount = _money("Positive; a discount is subtracted, shipping and tax are added.")
    variant_id = ma.fields.UUID(dump_only=True, allow_none=True,
                                metadata={"description": "The line it belongs to; null: the whole order."})
    code = ma.fields.String(dump_only=True, allow_none=True,
                            metadata={"description": "The coupon code, shipping method or tax rate it stems from."})
    included = ma.fields.Boolean(dump_only=True, metadata={
        "description": "A tax contained in the prices (the site enters prices with tax): shown, not added."})


class PriceChoiceSchema(CamelSchema):
    input = ma.fields.String(dump_only=True, metadata={"description": "The choice it is for, e.g. shippingMethod."})
    code = ma.fields.String(dump_only=True)
    label = ma.fields.String(dump_only=True)
    amount = _money("What choosing it would cost.")


class PriceBreakdownSchema(CamelSchema):
    """subtotal − discountTotal + shippingTotal + taxTotal = total."""

    subtotal = _money("The lines at their prices.")
    discount_total = _money("Sum of the discounts.")
    shipping_total = _money("Sum of the shipping charges.")
    tax_total = _money("Sum of the taxes (those contained in the prices too).")
    total = _money("What the shopper pays.")
    adjustments = ma.fields.List(ma.fields.Nested(PriceAdjustmentSchema), dump_only=True)
