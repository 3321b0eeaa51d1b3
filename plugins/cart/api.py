"""``/api/cart``: the signed-in user's cart, or a guest's cart named by its ``X-Cart-Token``.

A guest's first ``POST /api/cart/items`` without a token creates a guest cart; that answer
carries the new token in its body (``cartToken``) and in the ``X-Cart-Token`` header, and the
client sends the header on every later cart request. Cart answers are never cached.

Changes that answer with the cart accept an ``Idempotency-Key`` (the kernel's store, shared
with checkout): a retried add answers the first result instead of adding twice.
"""

from __future__ import annotations

from uuid import UUID

from flask import jsonify
from flask_smorest import Blueprint

from kernel.idempotency import web as idempotency
from kernel.idempotency.domain import Reply
from kernel.web.auth import current_user_id, public
from plugins.cart.bootstrap import cart_service
from plugins.cart.rendering import cart_json
from plugins.cart.schemas import (
    CART_TOKEN_HEADER,
    CartCouponSchema,
    CartDestinationSchema,
    CartItemAddSchema,
    CartItemQuantitySchema,
    CartSchema,
    CartTokenHeaderSchema,
    ShippingMethodsQuerySchema,
    ShippingMethodsSchema,
)
from plugins.cart.services import CartAnswer, CartService, Shopper

blp = Blueprint("cart", __name__, url_prefix="/api/cart",
                description="The shopper's cart: signed in (Bearer token) or as a guest (X-Cart-Token).")
OPTIONAL_BEARER = blp.doc(security=[{"bearerAuth": []}, {}])


def _shopper(headers: dict) -> Shopper:
    return Shopper(user_id=current_user_id(), cart_token=headers["cart_token"] or None)


def _changed(change, headers: dict, *args, **kwargs):
    """Run a cart change with the request's Idempotency-Key; answer the (maybe stored) cart."""
    shopper = _shopper(headers)
    owner = shopper.user_id or idempotency.guest_owner(shopper.cart_token)
    service = cart_service()

    def render(answer: CartAnswer) -> dict:
        return cart_json(answer.cart, service.currency, answer.new_cart_token)

    reply: Reply = change(service, shopper, *args, render=render, request=idempotency.idempotent_request(owner),
                          **kwargs)
    new_token = reply.body.get("cartToken")
    return idempotency.respond(reply, **({CART_TOKEN_HEADER: new_token} if new_token else {}))


@blp.route("", methods=["GET"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.response(200, CartSchema)
def get_cart(**headers):
    """The cart at today's prices (an empty cart when there is none yet)."""
    service = cart_service()
    return jsonify(cart_json(service.get_cart(_shopper(headers)), service.currency))


@blp.route("", methods=["DELETE"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.response(204)
def clear_cart(**headers):
    """Remove every line."""
    cart_service().clear(_shopper(headers))


@blp.route("/items", methods=["POST"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(CartItemAddSchema)
@blp.response(200, CartSchema, headers={CART_TOKEN_HEADER: {"description": "Set when a guest cart was created",
                                                            "schema": {"type": "string"}}})
@blp.doc(**idempotency.DOC)
def add_item(body, **headers):
    """Add a product (``variantId`` names the variant of a product with options); a variant
    already in the cart gets its line increased.

    409 when the cart would hold more than is in stock (``availableQuantity`` says how many),
    404 for an unknown product or variant, 422 for one not for sale, a variant of another
    product or a quantity out of range.
    """
    return _changed(CartService.add_item, headers, body["product_id"], body["quantity"], body.get("variant_id"))


@blp.route("/items/<uuid:variant_id>", methods=["PATCH"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(CartItemQuantitySchema)
@blp.response(200, CartSchema)
@blp.doc(**idempotency.DOC)
def change_quantity(body, variant_id: UUID, **headers):
    """Set a line's quantity; 0 removes the line. The line is named by its ``variantId``
    (for a product without options, the product's id)."""
    return _changed(CartService.change_quantity, headers, variant_id, body["quantity"])


@blp.route("/items/<uuid:variant_id>", methods=["DELETE"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.response(204)
def remove_item(variant_id: UUID, **headers):
    """Remove a line, named by its ``variantId`` (404 when it is not in the cart)."""
    cart_service().remove_item(_shopper(headers), variant_id)


@blp.route("/coupon", methods=["POST"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(CartCouponSchema)
@blp.response(200, CartSchema)
@blp.doc(**idempotency.DOC)
def apply_coupon(body, **headers):
    """Apply a coupon code (it replaces an earlier one). 422 naming ``code`` when the site has no
    promotions or the coupon cannot be used on this cart (unknown, expired, used up, minimum
    not reached); the cart is then left as it was."""
    return _changed(CartService.choose, headers, {"coupon": body["code"]}, {"coupon": "code"})


@blp.route("/coupon", methods=["DELETE"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.response(200, CartSchema)
def remove_coupon(**headers):
    """Remove the coupon."""
    return _changed(CartService.choose, headers, {"coupon": None}, {"coupon": "code"})


@blp.route("/destination", methods=["PUT"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(CartDestinationSchema)
@blp.response(200, CartSchema)
@blp.doc(**idempotency.DOC)
def set_destination(body, **headers):
    """Say where the cart ships to (and, optionally, how): the answer lists the shipping methods
    for that country in ``choices`` and prices shipping and tax. 422 naming the field for a
    country nothing ships to or a method not offered there; the cart is then left as it was."""
    choices = {"country": body["country"], "region": body["region"], "shippingMethod": body["shipping_method"]}
    return _changed(CartService.choose, headers, choices, {})


@blp.route("/shipping-methods", methods=["GET"])
@public
@OPTIONAL_BEARER
@blp.arguments(CartTokenHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(ShippingMethodsQuerySchema, location="query", as_kwargs=True)
@blp.response(200, ShippingMethodsSchema)
def shipping_methods(country: str, region: str | None, **headers):
    """The shipping methods to ``country`` for this cart with their charges, cheapest first (the
    cart keeps its destination). 422 naming ``country`` when nothing ships there."""
    service = cart_service()
    return {"country": country.upper(), "currency": service.currency,
            "methods": service.shipping_methods(_shopper(headers), country, region)}
