"""The cart's answer written out by hand (kernel/web/rendering.py says why); ``CartSchema``
stays the contract and ``tests/cart/test_cart_rendering.py`` holds the two equal."""

from __future__ import annotations

from kernel.web.rendering import adjustment_json, choice_json, moment, money
from plugins.cart.domain import PricedCart, PricedLine


def _line_json(line: PricedLine, cart: PricedCart) -> dict:
    item, product = line.item, line.product
    return {
        "productId": str(item.product_id),
        "variantId": str(item.variant),
        "options": {str(name): str(value) for name, value in product.options} if product else {},
        "sku": product.sku if product else None,
        "name": product.name if product else None,
        "slug": product.slug if product else None,
        "quantity": item.quantity,
        "unitPrice": money(line.unit_price.amount) if line.unit_price else None,
        "lineTotal": money(line.line_total.amount) if line.line_total else None,
        "discount": money(cart.breakdown.line_discount(item.variant)),
        "priceWhenAdded": money(item.price_when_added),
        "priceChanged": line.price_changed,
        "availability": line.availability.value,
        "availableQuantity": line.available_quantity,
        "addedAt": moment(item.added_at),
    }


def cart_json(cart: PricedCart, currency: str, new_token: str | None = None) -> dict:
    """The cart's answer; ``cartToken`` only in the answer that created a guest cart."""
    breakdown = cart.breakdown
    body = {
        "lines": [_line_json(line, cart) for line in cart.lines],
        "itemCount": cart.item_count,
        "subtotal": money(cart.subtotal.amount),
        "discountTotal": money(breakdown.discount_total),
        "shippingTotal": money(breakdown.shipping_total),
        "taxTotal": money(breakdown.tax_total),
        "total": money(breakdown.total),
        "adjustments": [adjustment_json(adjustment) for adjustment in breakdown.adjustments],
        "choices": [choice_json(choice) for choice in breakdown.choices],
        "notices": {str(name): str(why) for name, why in breakdown.notices.items()},
        "pricingInputs": {str(name): str(value) for name, value in cart.pricing_inputs.items()},
        "currency": currency,
        "updatedAt": moment(cart.updated_at),
    }
    if new_token:
        body["cartToken"] = new_token
    return body
