"""Cart lines, order lines and stock reservation by variant, through the real catalog."""

from tests.orders.conftest import ADDRESS, insert_sized_product, order_body


def test_ordering_a_variant_reserves_that_variants_stock_and_the_line_names_it(shop, auth_headers):
    buyer = auth_headers(shop.app)
    tee, sizes = insert_sized_product(shop.app, "Tee", "20.00", {"M": 3, "L": 5})
    response = shop.client.post("/api/orders", json=order_body((tee, 2, sizes["M"])), headers=buyer)
    assert response.status_code == 201, response.json
    [line] = response.json["items"]
    assert (line["productId"], line["variantId"], line["name"], line["quantity"]) == (str(tee), str(sizes["M"]),
                                                                                     "Tee (M)", 2)
    assert line["sku"].endswith("-M")
    assert (shop.stock(sizes["M"]), shop.stock(sizes["L"])) == (1, 5)
    short = shop.client.post("/api/orders", json=order_body((tee, 2, sizes["M"])), headers=buyer)
    assert short.status_code == 409 and short.json["shortages"][0]["name"] == "Tee (M)"
    cancelled = shop.client.post(f"/api/orders/{response.json['orderId']}/cancel", headers=buyer, json={})
    assert cancelled.status_code == 200, cancelled.json
    assert (shop.stock(sizes["M"]), shop.stock(sizes["L"])) == (3, 5)


def test_a_product_with_options_is_ordered_by_variant_and_a_foreign_variant_is_refused(shop, auth_headers):
    buyer = auth_headers(shop.app)
    tee, sizes = insert_sized_product(shop.app, "Tee", "20.00", {"M": 3})
    lamp = shop.product("Lamp", "10.00", 3)
    vague = shop.client.post("/api/orders", json=order_body((tee, 1)), headers=buyer)
    assert vague.status_code == 422 and "items[0].productId" in vague.json["errors"]
    foreign = shop.client.post("/api/orders", json=order_body((lamp, 1, sizes["M"])), headers=buyer)
    assert foreign.status_code == 422 and "items[0].variantId" in foreign.json["errors"]
    assert shop.rows("orders") == 0 and shop.stock(sizes["M"]) == 3


def test_the_cart_holds_variants_apart_and_checks_out_each(shop, auth_headers):
    buyer = auth_headers(shop.app)
    tee, sizes = insert_sized_product(shop.app, "Tee", "20.00", {"M": 3, "L": 5})
    for size, quantity in (("M", 1), ("L", 2), ("M", 1)):
        added = shop.client.post("/api/cart/items", headers=buyer,
                                 json={"productId": str(tee), "variantId": str(sizes[size]), "quantity": quantity})
        assert added.status_code == 200, added.json
    lines = added.json["lines"]
    assert [(line["variantId"], line["options"], line["quantity"]) for line in lines] == [
        (str(sizes["M"]), {"Size": "M"}, 2), (str(sizes["L"]), {"Size": "L"}, 2)]
    too_many = shop.client.patch(f"/api/cart/items/{sizes['M']}", headers=buyer, json={"quantity": 4})
    assert too_many.status_code == 409
    unknown = shop.client.post("/api/cart/items", headers=buyer, json={"productId": str(tee), "quantity": 1})
    assert unknown.status_code == 404
    placed = shop.client.post("/api/orders", headers=buyer,
                              json={"fromCart": True, "shippingAddress": ADDRESS, "paymentMethod": "credit_card"})
    assert placed.status_code == 201, placed.json
    assert (shop.stock(sizes["M"]), shop.stock(sizes["L"])) == (1, 3)
    assert shop.client.get("/api/cart", headers=buyer).json["lines"] == []
