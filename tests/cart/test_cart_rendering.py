"""The cart's hand-written JSON equals what the documented ``CartSchema`` dumps of the same cart."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.domain.money import Money
from kernel.domain.ports.catalog import ProductSnapshot
from kernel.domain.pricing import Adjustment, AdjustmentKind, Choice, DraftLine, PriceBreakdown
from plugins.cart.domain import Availability, CartItem, PricedCart, PricedLine
from plugins.cart.rendering import cart_json
from plugins.cart.schemas import CartSchema

NOW = datetime(2026, 12, 4, 9, 15, 30, 250000, tzinfo=UTC)


def schema_body(cart: PricedCart, currency: str, new_token: str | None = None) -> dict:
    """The cart as the schema is given it: its fields by their attribute names."""
    body = {
        "lines": [{
            "product_id": line.item.product_id, "variant_id": line.item.variant,
            "options": dict(line.product.options) if line.product else {},
            "sku": line.product.sku if line.product else None, "name": line.product.name if line.product else None,
            "slug": line.product.slug if line.product else None, "quantity": line.item.quantity,
            "unit_price": line.unit_price.amount if line.unit_price else None,
            "line_total": line.line_total.amount if line.line_total else None,
            "discount": cart.breakdown.line_discount(line.item.variant), "price_when_added": line.item.price_when_added,
            "price_changed": line.price_changed, "availability": line.availability,
            "available_quantity": line.available_quantity, "added_at": line.item.added_at,
        } for line in cart.lines],
        "item_count": cart.item_count, "subtotal": cart.subtotal.amount,
        "discount_total": cart.breakdown.discount_total, "shipping_total": cart.breakdown.shipping_total,
        "tax_total": cart.breakdown.tax_total, "total": cart.breakdown.total,
        "adjustments": cart.breakdown.adjustments, "choices": cart.breakdown.choices,
        "notices": dict(cart.breakdown.notices), "pricing_inputs": dict(cart.pricing_inputs), "currency": currency,
        "updated_at": cart.updated_at,
    }
    if new_token:
        body["cart_token"] = new_token
    return body


def priced_line(price: str, quantity: int, *, options=(), availability=Availability.IN_STOCK, added=NOW,
                added_at_price: str | None = None, stock: int = 7) -> PricedLine:
    variant = uuid4()
    snapshot = ProductSnapshot(id=variant, sku=f"SKU-{variant.hex[:4]}", name="Mug \"Ünïcode\"", slug="mug",
                               unit_price=Decimal(price), currency="EUR", stock_quantity=stock, is_active=True,
                               product_id=uuid4(), options=options)
    item = CartItem(snapshot.product_id, quantity, Decimal(added_at_price or price), added, variant_id=variant)
    unit = Money(Decimal(price), "EUR")
    return PricedLine(item, snapshot, unit, Money(Decimal(price) * quantity, "EUR"), availability)


def gone_line() -> PricedLine:
    return PricedLine(CartItem(uuid4(), 2, Decimal("3.10"), NOW), None, None, None, Availability.UNAVAILABLE)


def cart(lines: list[PricedLine], *, adjustments=(), choices=(), notices=None, inputs=None,
         updated=NOW) -> PricedCart:
    drafts = tuple(DraftLine(line.item.variant, line.item.product_id, line.item.quantity, line.unit_price.amount)
                   for line in lines if line.product)
    breakdown = PriceBreakdown("EUR", drafts, tuple(adjustments), tuple(choices), notices or {})
    subtotal = Money(sum((d.gross for d in drafts), Decimal(0)), "EUR")
    return PricedCart(lines, subtotal, updated, breakdown, inputs or {})


def carts() -> dict[str, tuple[PricedCart, str | None]]:
    sized = priced_line("19.99", 3, options=(("Size", "M"), ("Colour", "Red")), added_at_price="17.50")
    plain = priced_line("0.125", 1, availability=Availability.INSUFFICIENT_STOCK, stock=0,
                        added=NOW.astimezone(timezone(timedelta(hours=5, minutes=30))))
    return {
        "empty": (cart([], updated=None), None),
        "new guest cart": (cart([priced_line("12", 1)]), "token-abc"),
        "options, price changed, short of stock": (cart([sized, plain]), None),
        "a line the catalog lost": (cart([gone_line(), priced_line("5.00", 2)]), None),
        "coupon, shipping, included tax, choices, notices": (cart(
            [sized], adjustments=[
                Adjustment("promotions", AdjustmentKind.DISCOUNT, "10 % off", Decimal("5.997"), sized.item.variant,
                           "SAVE10"),
                Adjustment("shipping", AdjustmentKind.SHIPPING, "Standard", Decimal("4.9"), None, "standard"),
                Adjustment("tax", AdjustmentKind.TAX, "VAT 19 %", Decimal("8.61"), None, "vat", included=True)],
            choices=[Choice("shippingMethod", "express", "Express", Decimal("12"))],
            notices={"coupon": "The coupon OLD has expired."},
            inputs={"coupon": "SAVE10", "country": "DE", "shippingMethod": "standard"}), None),
    }


@pytest.mark.parametrize("name", list(carts()))
def test_a_cart_renders_as_its_schema_dumps_it(name):
    priced, token = carts()[name]
    assert cart_json(priced, "EUR", token) == CartSchema().dump(schema_body(priced, "EUR", token))
