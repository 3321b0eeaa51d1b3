"""The orders' wire format (camelCase JSON). Money is an exact decimal string, e.g. ``"599.99"``."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from kernel.web.pricing_schemas import PriceAdjustmentSchema
from kernel.web.schemas import AddressSchema, CamelSchema, Money, PageQuerySchema, UtcDateTime, page_schema
from plugins.orders.domain import OrderPaymentStatus, OrderStatus

MAX_LINES = 100


def _text(max_length: int, required: bool = False) -> ma.fields.String:
    rule = validate.Length(min=1, max=max_length)
    return ma.fields.String(required=True, validate=rule) if required else ma.fields.String(validate=rule)


def _money(attribute: str | None = None) -> ma.fields.Decimal:
    return ma.fields.Decimal(as_string=True, places=2, attribute=attribute, dump_only=True)


class OrderItemInSchema(CamelSchema):
    product_id = ma.fields.UUID(required=True)
    variant_id = ma.fields.UUID(metadata={"description": "Required for a product with options."})
    quantity = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))


class CheckoutDetailsSchema(CamelSchema):
    """Where the order goes and how it is paid; never prices (they come from the catalog)."""

    shipping_address = ma.fields.Nested(AddressSchema, required=True)
    billing_address = ma.fields.Nested(AddressSchema)
    payment_method = _text(100, required=True)
    coupon_code = ma.fields.String(validate=validate.Length(min=1, max=64),
                                   metadata={"description": "Overrides the cart's coupon (sites with promotions)."})
    shipping_method = ma.fields.String(validate=validate.Length(min=1, max=64),
                                       metadata={"description": "Default: the cart's, else the cheapest for the "
                                                                "shipping address's country (sites with shipping)."})


class PlaceOrderSchema(CheckoutDetailsSchema):
    """``items`` from the client, or ``fromCart: true`` to check out the current cart. Each address
    is given inline or as the id of one in the shopper's address book (``shippingAddressId``)."""

    shipping_address = ma.fields.Nested(AddressSchema, metadata={"description": "Or shippingAddressId."})
    shipping_address_id = ma.fields.UUID(metadata={"description": "An address of GET /api/users/me/addresses."})
    billing_address_id = ma.fields.UUID(metadata={"description": "An address of GET /api/users/me/addresses."})
    items = ma.fields.List(ma.fields.Nested(OrderItemInSchema), validate=validate.Length(max=MAX_LINES))
    from_cart = ma.fields.Boolean(load_default=False)

    @ma.validates_schema
    def one_of_each_address(self, data, **_kwargs):
        if ("shipping_address" in data) == ("shipping_address_id" in data):
            raise ma.ValidationError("Send shippingAddress or shippingAddressId (one of them).", "shippingAddress")
        if "billing_address" in data and "billing_address_id" in data:
            raise ma.ValidationError("Send billingAddress or billingAddressId, not both.", "billingAddress")


class GuestCheckoutSchema(CheckoutDetailsSchema):
    """A guest checks out the cart of their ``X-Cart-Token``; mails go to ``email``."""

    email = ma.fields.Email(required=True, validate=validate.Length(max=255))


CART_TOKEN_MAX_LENGTH = 200
CART_TOKEN_DESCRIPTION = "The guest's cart token."


class GuestCartHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    cart_token = ma.fields.String(data_key="X-Cart-Token", required=True,
                                  validate=validate.Length(min=1, max=CART_TOKEN_MAX_LENGTH),
                                  metadata={"description": CART_TOKEN_DESCRIPTION})


class GuestOrderHeaderSchema(ma.Schema):
    class Meta:
        unknown = ma.EXCLUDE

    order_token = ma.fields.String(data_key="X-Order-Token", required=True, validate=validate.Length(min=1, max=300),
                                   metadata={"description": "The guestAccessToken of the order's checkout answer."})


class CancelOrderSchema(CamelSchema):
    reason = ma.fields.String(load_default="", validate=validate.Length(max=300))


class ShipOrderSchema(CamelSchema):
    tracking_number = _text(100, required=True)


class RefundOrderSchema(CamelSchema):
    """Leave out ``amount`` to refund everything not refunded yet."""

    amount = Money(positive=True)
    reason = ma.fields.String(load_default="", validate=validate.Length(max=300))


class OrderLineOutSchema(CamelSchema):
    product_id = ma.fields.UUID(dump_only=True)
    variant_id = ma.fields.UUID(dump_only=True, allow_none=True,
                                metadata={"description": "The product's id for a product without options."})
    sku = ma.fields.String(dump_only=True)
    name = ma.fields.String(dump_only=True)
    quantity = ma.fields.Integer(dump_only=True)
    unit_price = _money("unit_price.amount")
    discount = _money("discount.amount")
    line_total = _money("total.amount")


class ShopperHistoryEntrySchema(CamelSchema):
    """A transition as its shopper sees it (which kind of actor, not which staff member)."""

    from_status = ma.fields.String(dump_only=True)
    to_status = ma.fields.String(dump_only=True)
    actor = ma.fields.String(attribute="actor.kind", dump_only=True)
    note = ma.fields.String(dump_only=True)
    occurred_at = ma.fields.DateTime(dump_only=True)


class OrderHistoryEntrySchema(ShopperHistoryEntrySchema):
    actor_id = ma.fields.UUID(attribute="actor.id", dump_only=True, allow_none=True)


class OrderSummarySchema(CamelSchema):
    """An order in a list and the answer to ``POST /api/orders``: ``orderId, status, totalAmount, orderDate`` and more."""

    order_id = ma.fields.UUID(attribute="id", dump_only=True)
    status = ma.fields.String(dump_only=True)
    total_amount = _money("total.amount")
    order_date = ma.fields.DateTime(dump_only=True)
    currency = ma.fields.String(dump_only=True)
    payment_status = ma.fields.String(dump_only=True)
    payment_method = ma.fields.String(dump_only=True)
    item_count = ma.fields.Function(lambda order: sum(line.quantity for line in order.lines), dump_only=True)


class OrderDetailSchema(OrderSummarySchema):
    """An order with its lines, its price breakdown and its history."""

    items = ma.fields.List(ma.fields.Nested(OrderLineOutSchema), attribute="lines", dump_only=True)
    refunded_amount = ma.fields.Decimal(as_string=True, places=2, dump_only=True)
    subtotal = _money("breakdown.subtotal")
    discount_total = _money("breakdown.discount_total")
    shipping_total = _money("breakdown.shipping_total")
    tax_total = _money("breakdown.tax_total")
    adjustments = ma.fields.List(ma.fields.Nested(PriceAdjustmentSchema), dump_only=True,
                                 metadata={"description": "subtotal − discounts + shipping + tax = totalAmount."})
    shipping_method = ma.fields.String(dump_only=True, allow_none=True)
    shipping_address = ma.fields.Nested(AddressSchema, dump_only=True)
    billing_address = ma.fields.Nested(AddressSchema, dump_only=True, allow_none=True)
    tracking_number = ma.fields.String(dump_only=True, allow_none=True)
    history = ma.fields.List(ma.fields.Nested(ShopperHistoryEntrySchema), dump_only=True)


class GuestOrderDetailSchema(OrderDetailSchema):
    guest_access_token = ma.fields.String(dump_only=True, metadata={
        "description": "Send it as X-Order-Token to GET /api/orders/guest/{orderId} and to pay the order."})


class StaffOrderDetailSchema(OrderDetailSchema):
    customer_id = ma.fields.UUID(attribute="user_id", dump_only=True, allow_none=True)
    customer_email = ma.fields.String(dump_only=True, allow_none=True)
    history = ma.fields.List(ma.fields.Nested(OrderHistoryEntrySchema), dump_only=True)


class StaffOrderSummarySchema(OrderSummarySchema):
    customer_id = ma.fields.UUID(attribute="user_id", dump_only=True, allow_none=True)
    customer_email = ma.fields.String(dump_only=True, allow_none=True)


OrderPageSchema = page_schema(OrderSummarySchema, "OrderPageSchema")
StaffOrderPageSchema = page_schema(StaffOrderSummarySchema, "StaffOrderPageSchema")


class MyOrdersQuerySchema(PageQuerySchema):
    status = ma.fields.String(validate=validate.OneOf([str(s) for s in OrderStatus]))


class StaffOrdersQuerySchema(MyOrdersQuerySchema):
    payment_status = ma.fields.String(validate=validate.OneOf([str(s) for s in OrderPaymentStatus]))
    customer_id = ma.fields.UUID()
    placed_from = UtcDateTime()
    placed_before = UtcDateTime()
