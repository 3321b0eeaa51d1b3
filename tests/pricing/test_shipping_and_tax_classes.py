"""Shipping by weight and by zone, the shipping methods a cart can choose from, tax per product tax
class, and prices entered with tax included: as a shopper sees them in the cart, on the order and in
the confirmation mail."""

from __future__ import annotations

import pytest

from tests.orders.conftest import ADDRESS
from tests.pricing.conftest import Merchant

ZONED = {"zones": {"eu": ["DE", "AT", "FR"]}, "methods": [
    {"code": "parcel", "label": "Parcel", "zones": ["eu"], "rate": "weight",
     "bands": [{"below": "2", "amount": "4.90"}, {"below": "10", "amount": "9.90"}, {"amount": "19.90"}]},
    {"code": "courier", "label": "Courier", "countries": ["DE"], "rate": "flat", "amount": "7.50",
     "free_above": "150.00"},
]}
CLASSES = {"rates": [
    {"code": "de-vat", "label": "VAT 19 %", "country": "DE", "percent": "19"},
    {"code": "de-vat-reduced", "label": "VAT 7 %", "country": "DE", "percent": "7", "tax_class": "reduced"},
]}
PLUGINS = ("catalog", "cart", "orders", "promotions", "shipping", "tax")


@pytest.fixture
def shop_and_merchant(make_shop, auth_headers):
    def build(**tax):
        shop = make_shop(plugins=PLUGINS, settings={"shipping": ZONED, "tax": {**CLASSES, **tax}})
        return shop, Merchant(shop, auth_headers(shop.app, "staff"))

    return build


def guest_cart(shop, *lines) -> dict:
    token = None
    for product, quantity in lines:
        added = shop.client.post("/api/cart/items", json={"productId": product, "quantity": quantity},
                                 headers={"X-Cart-Token": token} if token else {})
        assert added.status_code == 200, added.json
        token = token or added.json["cartToken"]
    return {"X-Cart-Token": token}


def test_the_cart_lists_its_shipping_methods_priced_by_weight_for_a_country_of_the_zone(shop_and_merchant):
    shop, merchant = shop_and_merchant()
    kettle = merchant.product("Kettle", "30.00", weight="1.250")
    book = merchant.product("Book", "12.00", weight="0.400", taxClass="reduced")
    cart = guest_cart(shop, (kettle, 2), (book, 1))  # 2.9 kg
    client = shop.client

    german = client.get("/api/cart/shipping-methods?country=de", headers=cart)
    assert german.status_code == 200, german.json
    assert german.headers["Cache-Control"] == "no-store"
    assert [(m["code"], m["label"], m["amount"]) for m in german.json["methods"]] == [
        ("courier", "Courier", "7.50"), ("parcel", "Parcel", "9.90")]
    french = client.get("/api/cart/shipping-methods?country=FR", headers=cart).json
    assert [(m["code"], m["amount"]) for m in french["methods"]] == [("parcel", "9.90")]  # the zone, not DE's courier
    client.patch(f"/api/cart/items/{kettle}", json={"quantity": 1}, headers=cart)  # 1.65 kg: the lightest band
    assert client.get("/api/cart/shipping-methods?country=AT", headers=cart).json["methods"][0]["amount"] == "4.90"

    for query in ("country=US", "country=Germany", ""):
        refused = client.get(f"/api/cart/shipping-methods?{query}", headers=cart)
        assert refused.status_code == 422, refused.json
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert "country" in str(refused.json["errors"]), refused.json
    assert client.get("/api/cart", headers=cart).json["pricingInputs"] == {}  # listing chose nothing


def test_each_tax_class_is_taxed_at_its_rate_with_one_line_per_rate_on_the_order_and_in_the_mail(shop_and_merchant):
    shop, merchant = shop_and_merchant()
    kettle = merchant.product("Kettle", "30.00", weight="1.250")
    book = merchant.product("Book", "12.00", weight="0.400", taxClass="reduced")
    cart = guest_cart(shop, (kettle, 1), (book, 1))
    client = shop.client

    chosen = client.put("/api/cart/destination", json={"country": "DE", "shippingMethod": "parcel"}, headers=cart).json
    # VAT 19 % on the kettle and shipping: (30.00 + 4.90) × 0.19 = 6.631; VAT 7 % on the book: 0.84
    assert [(a["code"], a["amount"]) for a in chosen["adjustments"] if a["kind"] == "tax"] == [
        ("de-vat", "6.63"), ("de-vat-reduced", "0.84")]
    assert (chosen["shippingTotal"], chosen["taxTotal"], chosen["total"]) == ("4.90", "7.47", "54.37")

    placed = client.post("/api/orders/guest", headers=cart, json={
        "email": "reader@example.org", "shippingAddress": {**ADDRESS, "country": "DE"}, "paymentMethod": "credit_card"})
    assert placed.status_code == 201, placed.json
    assert (placed.json["shippingMethod"], placed.json["shippingTotal"], placed.json["totalAmount"]) == (
        "parcel", "4.90", "54.37")
    [mail] = shop.mails()
    for text in ("Parcel: 4.90", "VAT 19 %: 6.63", "VAT 7 %: 0.84", "Total: 54.37"):
        assert text in mail, mail


def test_prices_with_tax_included_keep_their_totals_and_show_the_tax_they_contain(shop_and_merchant):
    shop, merchant = shop_and_merchant(prices_include_tax=True)
    kettle = merchant.product("Kettle", "119.00", weight="1.000")
    book = merchant.product("Book", "10.70", weight="0.400", taxClass="reduced")
    cart = guest_cart(shop, (kettle, 1), (book, 1))
    client = shop.client

    priced = client.put("/api/cart/destination", json={"country": "DE", "shippingMethod": "parcel"}, headers=cart).json
    # 19/119 of 119.00 + 4.90 = 19.7823 → 19.78; 7/107 of 10.70 = 0.70; the total is what the prices say
    assert [(a["label"], a["amount"], a["included"]) for a in priced["adjustments"] if a["kind"] == "tax"] == [
        ("VAT 19 %", "19.78", True), ("VAT 7 %", "0.70", True)]
    assert (priced["subtotal"], priced["taxTotal"], priced["total"]) == ("129.70", "20.48", "134.60")

    placed = client.post("/api/orders/guest", headers=cart, json={
        "email": "reader@example.org", "shippingAddress": {**ADDRESS, "country": "DE"}, "paymentMethod": "credit_card"})
    assert placed.status_code == 201 and placed.json["totalAmount"] == "134.60", placed.json
    [mail] = shop.mails()
    assert "incl. VAT 19 %: 19.78" in mail and "Total: 134.60" in mail, mail
