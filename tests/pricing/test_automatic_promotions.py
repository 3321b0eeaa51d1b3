"""Promotions on categories and automatic promotions, set up by staff over HTTP and met by a shopper
in the cart and on the order: each line keeps its share of every discount."""

from __future__ import annotations

from tests.orders.conftest import ADDRESS

GERMAN = {**ADDRESS, "country": "DE"}


def cart_of(shop, *lines) -> dict:
    token = None
    for product, quantity in lines:
        added = shop.client.post("/api/cart/items", json={"productId": product, "quantity": quantity},
                                 headers={"X-Cart-Token": token} if token else {})
        assert added.status_code == 200, added.json
        token = token or added.json["cartToken"]
    return {"X-Cart-Token": token}


def discounts(body) -> list[tuple[str, str]]:
    return [(a["label"], a["amount"]) for a in body["adjustments"] if a["kind"] == "discount"]


def test_automatic_promotions_and_a_category_coupon_stack_on_each_line(priced_shop, merchant):
    home = merchant.category("Home")
    lamps = merchant.category("Lamps", parent=home["slug"])
    kitchen = merchant.category("Kitchen")
    lamp = merchant.product("Lamp", "19.99", category=lamps["slug"])
    mug = merchant.product("Mug", "5.00", category=kitchen["slug"])
    for fields in ({"description": "10 % off Home", "discountType": "percentage", "value": "10",
                    "categoryIds": [home["id"]]},  # Lamps is below Home: the lamp gets it
                   {"description": "5.00 off from 40.00", "discountType": "fixed", "value": "5.00",
                    "minSubtotal": "40.00"},
                   {"code": "MUGS", "discountType": "percentage", "value": "20", "categoryIds": [kitchen["id"]]}):
        made = merchant.promotion(**fields)
        assert made.status_code == 201, made.json
    token = cart_of(priced_shop, (lamp, 2), (mug, 1))
    client = priced_shop.client

    without_code = client.put("/api/cart/destination", json={"country": "DE"}, headers=token).json
    # 10 % of 39.98 = 3.998 → 4.00 on the lamp; then 5.00 split over 35.98 and 5.00 → 4.39 and 0.61
    assert discounts(without_code) == [("10 % off Home", "4.00"), ("5.00 off from 40.00", "4.39"),
                                       ("5.00 off from 40.00", "0.61")]
    cart = client.post("/api/cart/coupon", json={"code": "mugs"}, headers=token).json
    assert discounts(cart)[-1] == ("Coupon MUGS", "0.88")  # 20 % of what is left on the mug: 4.39
    assert [line["discount"] for line in cart["lines"]] == ["8.39", "1.49"]
    assert cart["discountTotal"] == "9.88"

    placed = client.post("/api/orders/guest", headers=token, json={
        "email": "shopper@example.org", "shippingAddress": GERMAN, "paymentMethod": "credit_card"})
    assert placed.status_code == 201, placed.json
    assert [line["discount"] for line in placed.json["items"]] == ["8.39", "1.49"]
    assert (placed.json["discountTotal"], placed.json["totalAmount"]) == (cart["discountTotal"], cart["total"])
    listed = {p["description"] or p["code"]: p["timesUsed"]
              for p in client.get("/api/admin/promotions", headers=merchant.staff).json}
    assert listed == {"10 % off Home": 0, "5.00 off from 40.00": 0, "MUGS": 1}  # automatic ones count no use


def test_an_automatic_promotion_applies_only_within_its_conditions(priced_shop, merchant):
    lamp = merchant.product("Lamp", "19.99")
    made = merchant.promotion(description="5.00 off from 40.00", discountType="fixed", value="5.00",
                              minSubtotal="40.00").json
    client = priced_shop.client
    token = cart_of(priced_shop, (lamp, 1))
    assert discounts(client.get("/api/cart", headers=token).json) == []  # 19.99 is below the minimum
    grown = client.patch(f"/api/cart/items/{lamp}", json={"quantity": 3}, headers=token).json
    assert discounts(grown) == [("5.00 off from 40.00", "5.00")]

    withdrawn = client.patch(f"/api/admin/promotions/{made['id']}", headers=merchant.staff, json={"isActive": False})
    assert withdrawn.status_code == 200 and withdrawn.json["automatic"] is True
    assert discounts(client.get("/api/cart", headers=token).json) == []


def test_bad_promotions_are_refused_naming_the_field_and_nothing_is_stored(priced_shop, merchant, auth_headers):
    shelf = merchant.category("Shelves")
    base = {"discountType": "percentage", "value": "10"}
    for fields, field in (({"code": "NEG", "value": "-5"}, "value"),
                          ({"code": "HUGE", "value": "100.01"}, "value"),
                          ({"code": "BACKWARDS", "startsAt": "2026-06-01T00:00:00Z", "endsAt": "2026-05-01T00:00:00Z"},
                           "endsAt"),
                          ({"code": "NOWHERE", "categoryIds": [shelf["id"], "0b6f3e4c-0000-4000-8000-000000000000"]},
                           "categoryIds"),
                          ({"categoryIds": ["not-a-uuid"], "description": "x"}, "categoryIds"),
                          ({"description": " "}, "description"),
                          ({"description": "Auto", "usageLimit": 10}, "usageLimit"),
                          ({"description": "Auto", "perCustomerLimit": 1}, "perCustomerLimit")):
        refused = merchant.promotion(**{**base, **fields})
        assert refused.status_code == 422, (fields, refused.json)
        assert refused.headers["Content-Type"].startswith("application/problem+json")
        assert field in refused.json["errors"], (fields, refused.json)
    customer = auth_headers(priced_shop.app)
    assert priced_shop.client.post("/api/admin/promotions", headers=customer,
                                   json={**base, "description": "Mine"}).status_code == 403
    assert priced_shop.client.get("/api/admin/promotions", headers=merchant.staff).json == []
    assert priced_shop.rows("promotions") == 0
