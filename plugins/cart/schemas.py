"""The cart's settings and its API bodies (camelCase on the wire, money as exact decimal strings)."""

from __future__ import annotations

import marshmallow as ma

from kernel.web.pricing_schemas import PriceBreakdownSchema, PriceChoiceSchema
from kernel.web.schemas import CamelSchema
from plugins.cart.domain import Availability

CART_TOKEN_HEADER = "X-Cart-Token"


class CartSettings(ma.Schema):
    """``[plugins.cart]`` in a site's TOML."""

    max_quantity_per_line = ma.fields.Integer(load_default=99, validate=ma.validate.Range(min=1, max=10_000))
    max_lines = ma.fields.Integer(load_default=100, validate=ma.validate.Range(min=1, max=1_000))
    guest_cart_max_age_days = ma.fields.Integer(load_default=30, validate=ma.validate.Range(min=1))
    cleanup_schedule = ma.fields.String(
        load_default="17 3 * * *",
        validate=ma.validate.Regexp(r"^\S+( \S+){4}$", error="expected a five-field cron expression"),
    )


class CartTokenHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    cart_token = ma.fields.String(
        data_key=CART_TOKEN_HEADER, load_default=None, validate=ma.validate.Length(max=200),
        metadata={"description": "A guest's cart token (ignored once signed in)."},
    )


class CartItemAddSchema(CamelSchema):
    product_id = ma.fields.UUID(required=True)
    variant_id = ma.fields.UUID(metadata={"description": "Required for a product with options."})
    quantity = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1),
                                 metadata={"description": "Added to the line if the product is already in the cart."})


class CartItemQuantitySchema(CamelSchema):
    quantity = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=0),
                                 metadata={"description": "The line's new quantity; 0 removes the line."})


def _money(description: str) -> ma.fields.Decimal:
    return ma.fields.Decimal(as_string=True, places=2, allow_none=True, metadata={"description": description})


class CartLineSchema(CamelSchema):
    product_id = ma.fields.UUID(required=True)
    variant_id = ma.fields.UUID(required=True, metadata={"description": "Names the line in PATCH/DELETE "
                                                                        "/api/cart/items/{variantId}."})
    options = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(),
                             metadata={"description": "The variant's option values, e.g. {\"Size\": \"M\"}."})
    sku = ma.fields.String(allow_none=True)
    name = ma.fields.String(allow_none=True, metadata={"description": "None once the catalog no longer has it."})
    slug = ma.fields.String(allow_none=True)
    quantity = ma.fields.Integer(required=True)
    unit_price = _money("Today's price.")
    line_total = _money("unitPrice × quantity.")
    discount = _money("The line's discounts (in adjustments too).")
    price_when_added = _money("The price when the line was (last) added to.")
    price_changed = ma.fields.Boolean(required=True)
    availability = ma.fields.Enum(Availability, by_value=True, required=True)
    available_quantity = ma.fields.Integer(required=True)
    added_at = ma.fields.DateTime(required=True)


class CartSchema(PriceBreakdownSchema):
    """The lines, and their price breakdown from the site's pricing plugins (docs/pricing.md)."""

    cart_token = ma.fields.String(metadata={"description": "Only in the answer that created a guest cart."})
    lines = ma.fields.List(ma.fields.Nested(CartLineSchema), required=True)
    item_count = ma.fields.Integer(required=True)
    subtotal = _money("Sum of the lines of products on sale.")
    currency = ma.fields.String(required=True)
    updated_at = ma.fields.DateTime(allow_none=True)
    pricing_inputs = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), dump_only=True,
                                    metadata={"description": "The shopper's choices: coupon, country, region, "
                                                             "shippingMethod."})
    choices = ma.fields.List(ma.fields.Nested(PriceChoiceSchema), dump_only=True,
                             metadata={"description": "What may be chosen, e.g. the shipping methods for the country."})
    notices = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String(), dump_only=True,
                             metadata={"description": "Choices ignored at today's prices, and why (an expired coupon)."})


class CartCouponSchema(CamelSchema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))


class ShippingMethodsQuerySchema(CamelSchema):
    country = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Za-z]{2}$",
                                                                          error="An ISO 3166 country code, e.g. DE."),
                               metadata={"description": "ISO 3166-1 alpha-2."})
    region = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=10))


class ShippingMethodsSchema(CamelSchema):
    """The methods that ship this cart to ``country``, cheapest first."""

    country = ma.fields.String(dump_only=True)
    currency = ma.fields.String(dump_only=True)
    methods = ma.fields.List(ma.fields.Nested(PriceChoiceSchema), dump_only=True)


class CartDestinationSchema(CamelSchema):
    """Where the cart ships to, and how: the shipping and tax plugins price it from this."""

    country = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[A-Za-z]{2}$",
                                                                          error="An ISO 3166 country code, e.g. DE."),
                               metadata={"description": "ISO 3166-1 alpha-2."})
    region = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=10),
                              metadata={"description": "A state or province code, where rates differ by region."})
    shipping_method = ma.fields.String(load_default=None, validate=ma.validate.Length(min=1, max=64),
                                       metadata={"description": "One of the cart's choices; default: the cheapest."})
