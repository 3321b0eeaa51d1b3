"""Coupons as a shopper and staff see them: cart breakdown, checkout, limits, bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from kernel.infrastructure.db import db, metadata
from kernel.testing.queries import count_queries
from tests.promotions.conftest import cart_checkout, order_body


def guest_cart(shop, *lines):
    client = shop.client
    token = None
    for product, quantity in lines:
        headers = {"X-Cart-Token": token} if token else {}
        added = client.post("/api/cart/items", json={"productId": str(product), "quantity": quantity}, headers=headers)
        assert added.status_code == 200, added.json
        token = token or added.json["cartToken"]
    return client, {"X-Cart-Token": token}


def test_a_percentage_coupon_shows_per_line_in_the_cart(promo_shop, coupon):
    lamp, mug = promo_shop.product("Lamp", "19.99"), promo_shop.product("Mug", "5.00")
    coupon("spring10", value="10")
    client, token = guest_cart(promo_shop, (lamp, 3), (mug, 1))

    cart = client.post("/api/cart/coupon", json={"code": " Spring10 "}, headers=token)

    assert cart.status_code == 200, cart.json
    body = cart.json
    assert (body["subtotal"], body["discountTotal"], body["total"]) == ("64.97", "6.50", "58.47")
    assert [line["discount"] for line in body["lines"]] == ["6.00", "0.50"]  # 5.997 and 0.5, each rounded half up
    assert {(a["plugin"], a["kind"], a["code"], a["amount"]) for a in body["adjustments"]} == {
        ("promotions", "discount", "SPRING10", "6.00"), ("promotions", "discount", "SPRING10", "0.50")}
    assert body["pricingInputs"] == {"coupon": " Spring10 "}  # kept as typed, matched without case and blanks
    removed = client.delete("/api/cart/coupon", headers=token)
    assert (removed.json["discountTotal"], removed.json["total"]) == ("0.00", "64.97")


def test_a_fixed_coupon_on_some_products_is_split_over_their_lines_to_the_cent(promo_shop, coupon):
    a, b, other = (promo_shop.product(n, "10.00") for n in ("A", "B", "Other"))
    coupon("TEN", discount_type="fixed", value="10.00", productIds=[str(a), str(b)])
    client, token = guest_cart(promo_shop, (a, 1), (b, 2), (other, 1))

    body = client.post("/api/cart/coupon", json={"code": "ten"}, headers=token).json

    assert [line["discount"] for line in body["lines"]] == ["3.33", "6.67", "0.00"]
    assert (body["discountTotal"], body["total"]) == ("10.00", "30.00")


def test_unusable_coupons_are_refused_naming_the_code_and_change_nothing(promo_shop, coupon):
    lamp = promo_shop.product("Lamp", "20.00")
    now = datetime.now(UTC)
    coupon("OLD", endsAt=(now - timedelta(days=1)).isoformat())
    coupon("LATER", startsAt=(now + timedelta(days=1)).isoformat())
    coupon("BIG", minSubtotal="100.00")
    coupon("OTHERS", productIds=[str(promo_shop.product("Other"))])
    coupon("GOOD")
    client, token = guest_cart(promo_shop, (lamp, 1))
    client.post("/api/cart/coupon", json={"code": "GOOD"}, headers=token)

    for code, why in (("OLD", "expired"), ("LATER", "not valid yet"), ("BIG", "at least 100.00"),
                      ("OTHERS", "none of these products"), ("NOPE", "No such coupon")):
        refused = client.post("/api/cart/coupon", json={"code": code}, headers=token)
        assert refused.status_code == 422, refused.json
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert why in refused.json["errors"]["code"][0]

    cart = client.get("/api/cart", headers=token).json
    assert cart["pricingInputs"] == {"coupon": "GOOD"} and cart["discountTotal"] == "2.00"
    assert client.post("/api/cart/coupon", json={}, headers=token).status_code == 422


def test_a_coupon_that_expired_in_the_cart_is_a_notice_there_and_refused_at_checkout(promo_shop, coupon, auth_headers):
    lamp = promo_shop.product("Lamp", "20.00", stock=5)
    made = coupon("SOON")
    buyer = auth_headers(promo_shop.app)
    client = promo_shop.client
    client.post("/api/cart/items", json={"productId": str(lamp), "quantity": 1}, headers=buyer)
    client.post("/api/cart/coupon", json={"code": "SOON"}, headers=buyer)
    client.patch(f"/api/admin/promotions/{made['id']}", headers=coupon.staff, json={"isActive": False})

    cart = client.get("/api/cart", headers=buyer).json
    assert cart["discountTotal"] == "0.00" and cart["notices"] == {"coupon": "No such coupon."}
    refused = client.post("/api/orders", json=cart_checkout(), headers=buyer)
    assert refused.status_code == 422 and "couponCode" in refused.json["errors"], refused.json
    assert promo_shop.stock(lamp) == 5 and promo_shop.rows("orders") == 0


def test_checkout_keeps_the_discounts_on_the_order_and_its_lines(promo_shop, coupon, auth_headers):
    lamp, mug = promo_shop.product("Lamp", "19.99"), promo_shop.product("Mug", "5.00")
    coupon("SPRING10", usageLimit=5)
    buyer = auth_headers(promo_shop.app)

    placed = promo_shop.client.post("/api/orders", headers=buyer,
                                    json=order_body((lamp, 3), (mug, 1), couponCode="spring10"))

    assert placed.status_code == 201, placed.json
    order = placed.json
    assert (order["subtotal"], order["discountTotal"], order["totalAmount"]) == ("64.97", "6.50", "58.47")
    assert [(line["discount"], line["lineTotal"]) for line in order["items"]] == [("6.00", "53.97"), ("0.50", "4.50")]
    again = promo_shop.client.get(f"/api/orders/{order['orderId']}", headers=buyer).json
    assert again["adjustments"] == order["adjustments"] and again["totalAmount"] == "58.47"
    with promo_shop.app.app_context():
        items = metadata.tables["order_items"]
        assert sorted(db.session.execute(sa.select(items.c.discount)).scalars()) == [0.5, 6]
        assert db.session.execute(sa.select(metadata.tables["promotions"].c.times_used)).scalar_one() == 1
        db.session.rollback()
    listed = promo_shop.client.get("/api/admin/promotions", headers=coupon.staff).json
    assert [(c["code"], c["timesUsed"]) for c in listed] == [("SPRING10", 1)]


def test_the_per_customer_limit_counts_each_customers_orders(promo_shop, coupon, auth_headers):
    lamp = promo_shop.product("Lamp", "10.00", stock=10)
    coupon("ONCE", perCustomerLimit=1)
    first, second = auth_headers(promo_shop.app), auth_headers(promo_shop.app)
    body = order_body((lamp, 1), couponCode="ONCE")

    assert promo_shop.client.post("/api/orders", headers=first, json=body).status_code == 201
    again = promo_shop.client.post("/api/orders", headers=first, json=body)
    assert again.status_code == 422 and again.json["errors"]["couponCode"] == ["You have already used this coupon."]
    assert promo_shop.client.post("/api/orders", headers=second, json=body).status_code == 201
    assert promo_shop.stock(lamp) == 8


def test_staff_manage_coupons_and_bad_input_names_the_field(promo_shop, coupon, auth_headers):
    client, staff = promo_shop.client, coupon.staff
    made = coupon("SUMMER", discount_type="fixed", value="5.00")
    for body, field in (({"code": "X", "discountType": "percentage", "value": "150"}, "value"),
                        ({"code": "bad code!", "discountType": "fixed", "value": "1"}, "code"),
                        ({"code": "summer", "discountType": "fixed", "value": "1"}, "code"),
                        ({"code": "Y", "discountType": "fixed", "value": "1", "usageLimit": 0}, "usageLimit"),
                        ({"code": "Z", "discountType": "fixed", "value": "1", "startsAt": "2026-02-01T00:00:00Z",
                          "endsAt": "2026-01-01T00:00:00Z"}, "endsAt")):
        refused = client.post("/api/admin/promotions", headers=staff, json=body)
        assert refused.status_code in (409, 422) and field in refused.json["errors"], (body, refused.json)
    changed = client.patch(f"/api/admin/promotions/{made['id']}", headers=staff, json={"value": "7.50"})
    assert changed.status_code == 200 and changed.json["value"] == "7.50"
    assert client.get("/api/admin/promotions", headers=auth_headers(promo_shop.app)).status_code == 403
    assert client.delete(f"/api/admin/promotions/{made['id']}", headers=staff).status_code == 204
    assert client.get(f"/api/admin/promotions/{made['id']}", headers=staff).status_code == 404


def test_a_site_without_promotions_refuses_a_coupon_and_prices_as_before(make_shop, auth_headers):
    shop = make_shop()
    lamp = shop.product("Lamp", "19.99")
    client, token = guest_cart(shop, (lamp, 2))
    assert client.get("/api/cart", headers=token).json["total"] == "39.98"
    refused = client.post("/api/cart/coupon", json={"code": "ANY"}, headers=token)
    assert refused.status_code == 422 and "code" in refused.json["errors"]
    placed = shop.client.post("/api/orders", headers=auth_headers(shop.app), json=order_body((lamp, 1), couponCode="X"))
    assert placed.status_code == 422 and "couponCode" in placed.json["errors"]


def test_pricing_a_cart_and_checking_out_cost_the_same_queries_for_1_or_20_lines(promo_shop, coupon, auth_headers):
    coupon("ALL5", usageLimit=10, perCustomerLimit=5)
    products = [promo_shop.product(f"P{i}", "3.00") for i in range(20)]
    buyer = auth_headers(promo_shop.app)
    counts = []
    for lines in ([products[0]], products):
        client = promo_shop.client
        for product in lines:
            client.post("/api/cart/items", json={"productId": str(product), "quantity": 1}, headers=buyer)
        client.post("/api/cart/coupon", json={"code": "ALL5"}, headers=buyer)
        with count_queries(promo_shop.app) as read:
            cart = client.get("/api/cart", headers=buyer)
        assert cart.json["discountTotal"] == str(Decimal("0.30") * len(lines)), cart.json
        with count_queries(promo_shop.app) as checkout:
            placed = client.post("/api/orders", headers=buyer, json=cart_checkout())
        assert placed.status_code == 201, placed.json
        counts.append((len(read), len([s for s in checkout if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))])))
    assert counts[0] == counts[1], counts


def test_the_migrated_schema_matches_the_models(make_app, pg_url):
    from kernel.infrastructure.migrations import pending_schema_changes, upgrade_database

    app = make_app(["catalog", "cart", "orders", "promotions"], backend="postgres", create_tables=False)
    upgrade_database(app)
    with app.app_context():
        assert pending_schema_changes(app) == []
