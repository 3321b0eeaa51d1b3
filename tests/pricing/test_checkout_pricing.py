"""The whole pipeline as a shopper meets it: coupon, then shipping, then tax, in the cart and on the order."""

from __future__ import annotations

import pytest

from kernel.site import SiteError
from kernel.testing.queries import count_queries
from tests.orders.conftest import ADDRESS, order_body

GERMAN = {**ADDRESS, "country": "de"}


def summary(body) -> tuple:
    total = body.get("total", body.get("totalAmount"))
    return body["subtotal"], body["discountTotal"], body["shippingTotal"], body["taxTotal"], total


def staff_coupon(shop, auth_headers, **fields):
    made = shop.client.post("/api/admin/promotions", headers=auth_headers(shop.app, "staff"),
                            json={"code": "SPRING10", "discountType": "percentage", "value": "10", **fields})
    assert made.status_code == 201, made.json


def test_a_cart_shows_discount_shipping_and_vat_for_a_german_address(priced_shop, auth_headers):
    lamp, mug = priced_shop.product("Lamp", "19.99"), priced_shop.product("Mug", "5.00")
    staff_coupon(priced_shop, auth_headers)
    buyer = auth_headers(priced_shop.app)
    client = priced_shop.client
    for product, quantity in ((lamp, 2), (mug, 1)):
        client.post("/api/cart/items", json={"productId": str(product), "quantity": quantity}, headers=buyer)
    client.post("/api/cart/coupon", json={"code": "spring10"}, headers=buyer)

    before = client.get("/api/cart", headers=buyer).json
    assert before["notices"] == {"country": "Say which country the order ships to (taxes depend on it)."}
    cart = client.put("/api/cart/destination", json={"country": "de"}, headers=buyer)

    assert cart.status_code == 200, cart.json
    body = cart.json
    # 44.98 − (4.00 + 0.50) = 40.48 goods; Standard 4.90; VAT 19 % of 45.38 = 8.6222 → 8.62
    assert summary(body) == ("44.98", "4.50", "4.90", "8.62", "54.00")
    assert [(a["plugin"], a["kind"], a["label"], a["amount"]) for a in body["adjustments"]] == [
        ("promotions", "discount", "Coupon SPRING10", "4.00"), ("promotions", "discount", "Coupon SPRING10", "0.50"),
        ("shipping", "shipping", "Standard", "4.90"), ("tax", "tax", "VAT 19 %", "8.62")]
    assert [(c["code"], c["amount"]) for c in body["choices"]] == [("standard", "4.90"), ("express", "12.00")]
    express = client.put("/api/cart/destination", json={"country": "DE", "shippingMethod": "express"}, headers=buyer)
    assert summary(express.json) == ("44.98", "4.50", "12.00", "9.97", "62.45")  # 52.48 × 0.19 = 9.9712

    placed = client.post("/api/orders", headers=buyer, json={
        "fromCart": True, "shippingAddress": GERMAN, "paymentMethod": "credit_card"})
    assert placed.status_code == 201, placed.json
    order = placed.json
    assert summary(order) == ("44.98", "4.50", "12.00", "9.97", "62.45")
    assert order["shippingMethod"] == "express"
    assert [line["discount"] for line in order["items"]] == ["4.00", "0.50"]
    assert client.get("/api/cart", headers=buyer).json["pricingInputs"] == {}  # the next order starts afresh
    [mail] = priced_shop.mails()
    for text in ("2 x Lamp", "= 35.98 (after a discount of 4.00)", "Subtotal: 44.98", "Coupon SPRING10: -4.50",
                 "Express: 12.00", "VAT 19 %: 9.97", "Total: 62.45"):
        assert text in mail, mail


def test_each_rate_is_its_own_tax_line(priced_shop, auth_headers):
    lamp = priced_shop.product("Lamp", "100.00")
    address = {**ADDRESS, "country": "CA", "state": "bc"}
    placed = priced_shop.client.post("/api/orders", headers=auth_headers(priced_shop.app),
                                     json=order_body((lamp, 1), shippingAddress=address))
    assert placed.status_code == 201, placed.json
    taxes = [(a["code"], a["amount"]) for a in placed.json["adjustments"] if a["kind"] == "tax"]
    assert taxes == [("ca-gst", "6.00"), ("ca-bc-pst", "8.40")]  # on 100.00 + 20.00 shipping
    assert placed.json["totalAmount"] == "134.40"


def test_free_shipping_above_its_threshold(priced_shop, auth_headers):
    lamp = priced_shop.product("Lamp", "100.00")
    placed = priced_shop.client.post("/api/orders", headers=auth_headers(priced_shop.app),
                                     json=order_body((lamp, 1), shippingAddress=GERMAN, shippingMethod="standard"))
    assert summary(placed.json) == ("100.00", "0.00", "0.00", "19.00", "119.00")


def test_bad_destinations_are_refused_naming_the_field_and_change_nothing(priced_shop, auth_headers):
    lamp = priced_shop.product("Lamp", "10.00", stock=3)
    buyer = auth_headers(priced_shop.app)
    client = priced_shop.client
    client.post("/api/cart/items", json={"productId": str(lamp), "quantity": 1}, headers=buyer)
    client.put("/api/cart/destination", json={"country": "DE"}, headers=buyer)

    for body, field in (({"country": "FR"}, "country"), ({"country": "Germany"}, "country"),
                        ({"country": "AT", "shippingMethod": "express"}, "shippingMethod")):
        refused = client.put("/api/cart/destination", json=body, headers=buyer)
        assert refused.status_code == 422 and field in refused.json["errors"], refused.json
        assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/cart", headers=buyer).json["pricingInputs"] == {"country": "DE"}

    for address, extra, field in (({**ADDRESS, "country": "FR"}, {}, "shippingAddress.country"),
                                  (ADDRESS, {}, "shippingAddress.country"),
                                  (GERMAN, {"shippingMethod": "rocket"}, "shippingMethod")):
        refused = client.post("/api/orders", headers=buyer,
                              json=order_body((lamp, 1), shippingAddress=address, **extra))
        assert refused.status_code == 422 and field in refused.json["errors"], refused.json
    assert priced_shop.stock(lamp) == 3 and priced_shop.rows("orders") == 0


def test_pricing_costs_the_same_queries_for_1_or_20_lines_with_every_pricing_plugin(priced_shop, auth_headers, merchant):
    staff_coupon(priced_shop, auth_headers, perCustomerLimit=3)
    for automatic in ({"description": "5 % off everything", "discountType": "percentage", "value": "5"},
                      {"description": "1.00 off from 2.00", "discountType": "fixed", "value": "1.00",
                       "minSubtotal": "2.00"}):
        assert merchant.promotion(**automatic).status_code == 201
    products = [priced_shop.product(f"P{i}", "3.00") for i in range(20)]
    buyer = auth_headers(priced_shop.app)
    client = priced_shop.client
    counts = []
    for lines in ([products[0]], products):
        for product in lines:
            client.post("/api/cart/items", json={"productId": str(product), "quantity": 1}, headers=buyer)
        client.post("/api/cart/coupon", json={"code": "SPRING10"}, headers=buyer)
        with count_queries(priced_shop.app) as read:
            assert client.put("/api/cart/destination", json={"country": "DE"}, headers=buyer).status_code == 200
        with count_queries(priced_shop.app) as checkout:
            placed = client.post("/api/orders", headers=buyer, json={
                "fromCart": True, "shippingAddress": GERMAN, "paymentMethod": "credit_card"})
        # per line: both automatic promotions and the coupon; then shipping and tax
        assert placed.status_code == 201 and len(placed.json["adjustments"]) == 3 * len(lines) + 2, placed.json
        counts.append((len(read), len([s for s in checkout if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))])))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("settings, message", [
    ({"shipping": {"methods": [{"code": "x", "label": "X", "countries": ["DE"], "rate": "flat"}]}}, "amount"),
    ({"shipping": {"methods": [{"code": "x", "label": "X", "countries": ["DE"], "rate": "bands",
                                "bands": [{"amount": "1"}, {"below": "5", "amount": "2"}]}]}}, "bands"),
    ({"tax": {"rates": [{"code": "x", "label": "X", "country": "Germany", "percent": "19"}]}}, "country"),
    ({"shipping": {"methods": [{"code": "x", "label": "X", "zones": ["eu"], "rate": "flat", "amount": "1"}]}}, "zone eu"),
    ({"shipping": {"methods": [{"code": "x", "label": "X", "countries": ["DE"], "rate": "weight"}]}}, "bands"),
    ({"shipping": {"methods": [{"code": "x", "label": "X", "rate": "flat", "amount": "1"}]}}, "countries"),
    ({"tax": {"rates": [{"code": "x", "label": "X", "country": "DE", "percent": "7", "tax_class": "Reduced"}]}},
     "tax_class"),
])
def test_a_misconfigured_rate_stops_the_site_with_one_line(make_shop, settings, message):
    with pytest.raises(SiteError, match=message):
        make_shop(plugins=("catalog", "cart", "orders", "shipping", "tax"),
                  settings={"shipping": {"methods": [{"code": "s", "label": "S", "countries": ["*"], "rate": "flat",
                                                      "amount": "1"}]}, "tax": {"rates": []}} | settings)


def test_the_example_site_enables_the_pricing_plugins_by_configuration_only(tmp_path):
    from pathlib import Path

    from kernel.domain.pricing import Stage
    from kernel.plugins import build_plugin_manager
    from kernel.site import load_site

    site = load_site(Path(__file__).resolve().parents[2] / "sites" / "pricing.example.toml",
                     environ={"COMMERCE_SITE_INSTANCE_PATH": str(tmp_path)})
    pm = build_plugin_manager(site)
    steps = [step for steps in pm.hook.commerce_pricing_steps(site=site) for step in steps]
    assert sorted(step.stage for step in steps) == [Stage.PROMOTIONS, Stage.SHIPPING, Stage.TAX]
    assert [method.code for method in site.settings("shipping")["methods"]] == ["standard", "express", "world"]
