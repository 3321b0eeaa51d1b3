"""What a shopper and staff meet over HTTP: checkout, bad input, ownership, idempotency, life cycle."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from tests.orders.conftest import ADDRESS, order_body

PROBLEM = "application/problem+json"


def place(shop, headers, *lines, key=None, **extra):
    all_headers = dict(headers)
    if key:
        all_headers["Idempotency-Key"] = key
    return shop.client.post("/api/orders", json=order_body(*lines, **extra), headers=all_headers)


def test_checkout_answers_as_the_design_shows_and_takes_the_stock(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp, desk = shop.product("Lamp", "19.99", 5), shop.product("Desk", "560.00", 2)
    response = place(shop, buyer, (lamp, 2), (desk, 1))
    assert response.status_code == 201, response.json
    body = response.json
    assert {"orderId", "status", "totalAmount", "orderDate"} <= set(body)
    assert body["status"] == "Pending" and body["totalAmount"] == "599.98" and body["paymentStatus"] == "Pending"
    assert response.headers["Location"].endswith(f"/api/orders/{body['orderId']}")
    assert body["shippingAddress"] == ADDRESS and body["billingAddress"] is None
    assert [(i["name"], i["quantity"], i["unitPrice"]) for i in body["items"]] == [("Lamp", 2, "19.99"),
                                                                                  ("Desk", 1, "560.00")]
    assert shop.stock(lamp) == 3 and shop.stock(desk) == 1
    assert shop.recorder.kinds() == ["OrderStatusChanged", "OrderPlaced"]


def test_the_line_keeps_the_price_it_was_sold_at(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product("Lamp", "19.99", 5)
    order_id = place(shop, buyer, (lamp, 1)).json["orderId"]
    from kernel.infrastructure.db import db, metadata
    with shop.app.app_context():
        db.session.execute(metadata.tables["products"].update().values(price=Decimal("99.00"), name="Renamed"))
        db.session.commit()
    item = shop.client.get(f"/api/orders/{order_id}", headers=buyer).json["items"][0]
    assert (item["name"], item["unitPrice"]) == ("Lamp", "19.99")


@pytest.mark.parametrize("mutate, field", [
    (lambda body, lamp: body["items"].__setitem__(0, {"productId": str(uuid.uuid4()), "quantity": 1}),
     "items[0].productId"),
    (lambda body, lamp: body["items"].__setitem__(0, {"productId": str(lamp), "quantity": 0}), "items"),
    (lambda body, lamp: body.pop("shippingAddress"), "shippingAddress"),
    (lambda body, lamp: body["shippingAddress"].pop("zipCode"), "shippingAddress"),
    (lambda body, lamp: body.__setitem__("paymentMethod", "gold bars"), "paymentMethod"),
    (lambda body, lamp: body.__setitem__("items", []), "items"),
    (lambda body, lamp: body["items"][0].__setitem__("unitPrice", "0.01"), "items"),
])
def test_bad_input_is_a_422_problem_naming_the_field_and_changes_nothing(shop, auth_headers, mutate, field):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    body = order_body((lamp, 1))
    mutate(body, lamp)
    response = shop.client.post("/api/orders", json=body, headers=buyer)
    assert response.status_code == 422 and response.mimetype == PROBLEM, response.json
    assert field in response.json["errors"], response.json
    assert shop.rows("orders") == 0 and shop.stock(lamp) == 5


def test_an_inactive_product_is_not_for_sale(shop, auth_headers):
    hidden = shop.product(stock=5, active=False)
    response = place(shop, auth_headers(shop.app), (hidden, 1))
    assert response.status_code == 422 and "items[0].productId" in response.json["errors"]


def test_checkout_needs_a_token(shop):
    lamp = shop.product()
    response = shop.client.post("/api/orders", json=order_body((lamp, 1)))
    assert response.status_code == 401 and response.mimetype == PROBLEM


def test_a_short_line_is_409_naming_it_and_reserves_nothing(shop, auth_headers):
    lamp, desk = shop.product("Lamp", stock=5), shop.product("Desk", stock=1)
    response = place(shop, auth_headers(shop.app), (lamp, 2), (desk, 3))
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert response.json["shortages"] == [{"productId": str(desk), "name": "Desk", "sku": response.json["shortages"][0]["sku"],
                                           "requested": 3, "available": 1}]
    assert "Desk" in response.json["detail"]
    assert shop.stock(lamp) == 5 and shop.stock(desk) == 1 and shop.rows("orders") == 0


def test_another_shoppers_order_is_404_to_read_and_to_cancel(shop, auth_headers):
    alice, bob = auth_headers(shop.app), auth_headers(shop.app)
    lamp = shop.product(stock=5)
    order_id = place(shop, alice, (lamp, 2)).json["orderId"]
    assert shop.client.get(f"/api/orders/{order_id}", headers=bob).status_code == 404
    response = shop.client.post(f"/api/orders/{order_id}/cancel", headers=bob)
    assert response.status_code == 404 and response.mimetype == PROBLEM
    assert shop.stock(lamp) == 3
    assert shop.client.get(f"/api/orders/{order_id}", headers=alice).json["status"] == "Pending"


def test_cancelling_gives_the_stock_back_once(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    order_id = place(shop, buyer, (lamp, 2)).json["orderId"]
    response = shop.client.post(f"/api/orders/{order_id}/cancel", json={"reason": "changed my mind"}, headers=buyer)
    assert response.status_code == 200 and response.json["status"] == "Cancelled"
    assert response.json["paymentStatus"] == "Voided" and shop.stock(lamp) == 5
    again = shop.client.post(f"/api/orders/{order_id}/cancel", headers=buyer)
    assert again.status_code == 409 and again.mimetype == PROBLEM
    assert shop.stock(lamp) == 5
    assert shop.recorder.kinds().count("OrderCancelled") == 1


def test_my_orders_are_paginated_newest_first_and_only_mine(shop, auth_headers):
    alice, bob = auth_headers(shop.app), auth_headers(shop.app)
    lamp = shop.product(stock=50)
    mine = [place(shop, alice, (lamp, 1)).json["orderId"] for _ in range(3)]
    place(shop, bob, (lamp, 1))
    first = shop.client.get("/api/orders?page=1&pageSize=2", headers=alice).json
    second = shop.client.get("/api/orders?page=2&pageSize=2", headers=alice).json
    assert first["totalCount"] == 3 and first["page"] == 1 and first["pageSize"] == 2
    assert [o["orderId"] for o in first["items"] + second["items"]] == list(reversed(mine))


def test_a_retry_with_the_same_key_returns_the_first_answer(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    first = place(shop, buyer, (lamp, 1), key="checkout-1")
    again = place(shop, buyer, (lamp, 1), key="checkout-1")
    assert first.status_code == again.status_code == 201
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert shop.rows("orders") == 1 and shop.stock(lamp) == 4
    assert len(shop.recorder.kinds()) == 2  # the retry announced nothing


def test_the_same_key_with_another_body_is_refused(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    place(shop, buyer, (lamp, 1), key="checkout-1")
    response = place(shop, buyer, (lamp, 2), key="checkout-1")
    assert response.status_code == 422 and "Idempotency-Key" in response.json["errors"]
    assert shop.rows("orders") == 1 and shop.stock(lamp) == 4


def test_cancel_is_idempotent_too(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    order_id = place(shop, buyer, (lamp, 1)).json["orderId"]
    headers = {**buyer, "Idempotency-Key": "cancel-1"}
    first = shop.client.post(f"/api/orders/{order_id}/cancel", headers=headers)
    again = shop.client.post(f"/api/orders/{order_id}/cancel", headers=headers)
    assert first.status_code == again.status_code == 200 and again.json == first.json
    assert shop.stock(lamp) == 5


def test_staff_move_an_order_through_its_life_cycle(shop, auth_headers):
    buyer, clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp = shop.product(stock=5)
    order_id = place(shop, buyer, (lamp, 1)).json["orderId"]
    base = f"/api/admin/orders/{order_id}"
    assert shop.client.post(f"{base}/complete", headers=clerk).status_code == 409
    assert shop.client.post(f"{base}/mark-paid", headers=clerk).json["paymentStatus"] == "Paid"
    assert shop.client.post(f"{base}/process", headers=clerk).json["status"] == "Processing"
    assert shop.client.post(f"{base}/ship", json={}, headers=clerk).status_code == 422
    shipped = shop.client.post(f"{base}/ship", json={"trackingNumber": "1Z999"}, headers=clerk).json
    assert shipped["status"] == "Shipped" and shipped["trackingNumber"] == "1Z999"
    done = shop.client.post(f"{base}/complete", headers=clerk).json
    assert done["status"] == "Completed"
    assert [(h["fromStatus"], h["toStatus"], h["actor"]) for h in done["history"]] == [
        (None, "Pending", "customer"), ("Pending", "Paid", "staff"), ("Paid", "Processing", "staff"),
        ("Processing", "Shipped", "staff"), ("Shipped", "Completed", "staff")]
    assert done["history"][1]["actorId"] == str(clerk.user_id)
    assert shop.client.post(f"{base}/cancel", headers=clerk).status_code == 409
    assert shop.stock(lamp) == 4
    mine = shop.client.get(f"/api/orders/{order_id}", headers=buyer).json
    assert mine["status"] == "Completed" and "actorId" not in mine["history"][1]


def test_refunds_partial_then_full(shop, auth_headers):
    buyer, clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp = shop.product(price="10.00", stock=5)
    order_id = place(shop, buyer, (lamp, 2)).json["orderId"]
    base = f"/api/admin/orders/{order_id}"
    assert shop.client.post(f"{base}/refund", json={}, headers=clerk).status_code == 409  # not paid yet
    shop.client.post(f"{base}/mark-paid", headers=clerk)
    partial = shop.client.post(f"{base}/refund", json={"amount": "5.00"}, headers=clerk).json
    assert (partial["status"], partial["paymentStatus"], partial["refundedAmount"]) == ("Paid", "PartiallyRefunded",
                                                                                        "5.00")
    too_much = shop.client.post(f"{base}/refund", json={"amount": "15.01"}, headers=clerk)
    assert too_much.status_code == 422 and "amount" in too_much.json["errors"]
    full = shop.client.post(f"{base}/refund", json={}, headers=clerk).json
    assert (full["status"], full["paymentStatus"], full["refundedAmount"]) == ("Refunded", "Refunded", "20.00")
    assert shop.stock(lamp) == 5  # never shipped: back on the shelf


def test_a_shopper_cancels_a_paid_order_with_a_full_refund(shop, auth_headers):
    buyer, clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp = shop.product(stock=5)
    order_id = place(shop, buyer, (lamp, 1)).json["orderId"]
    shop.client.post(f"/api/admin/orders/{order_id}/mark-paid", headers=clerk)
    body = shop.client.post(f"/api/orders/{order_id}/cancel", headers=buyer).json
    assert (body["status"], body["paymentStatus"]) == ("Cancelled", "Refunded")
    assert shop.stock(lamp) == 5
    assert {"OrderCancelled", "OrderRefunded", "OrderPaid"} <= set(shop.recorder.kinds())


def test_shoppers_cannot_use_staff_endpoints(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product()
    order_id = place(shop, buyer, (lamp, 1)).json["orderId"]
    assert shop.client.get("/api/admin/orders", headers=buyer).status_code == 403
    assert shop.client.post(f"/api/admin/orders/{order_id}/mark-paid", headers=buyer).status_code == 403


def test_staff_list_and_filter_every_order(shop, auth_headers):
    alice, bob, clerk = auth_headers(shop.app), auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp = shop.product(stock=10)
    paid = place(shop, alice, (lamp, 1)).json["orderId"]
    place(shop, bob, (lamp, 1))
    shop.client.post(f"/api/admin/orders/{paid}/mark-paid", headers=clerk)
    everything = shop.client.get("/api/admin/orders", headers=clerk).json
    assert everything["totalCount"] == 2
    only_paid = shop.client.get("/api/admin/orders?status=Paid", headers=clerk).json
    assert [o["orderId"] for o in only_paid["items"]] == [paid]
    by_bob = shop.client.get(f"/api/admin/orders?customerId={bob.user_id}", headers=clerk).json
    assert by_bob["totalCount"] == 1 and by_bob["items"][0]["customerEmail"] == bob.email
    assert shop.client.get("/api/admin/orders?status=Lost", headers=clerk).status_code == 422


def test_the_confirmation_mail_is_sent_once_when_placed_and_once_when_paid(shop, auth_headers):
    buyer, clerk = auth_headers(shop.app), auth_headers(shop.app, role="staff")
    lamp = shop.product("Brass Lamp", stock=5)
    order_id = place(shop, buyer, (lamp, 1)).json["orderId"]
    mails = shop.mails()
    assert len(mails) == 1 and buyer.email in mails[0] and "Brass Lamp" in mails[0]
    assert "123 Main St, New York, 10001" in mails[0]
    from plugins.orders.notifications.tasks import send_confirmation
    with shop.app.app_context():
        assert send_confirmation(order_id, "placed") is False  # the event repeats: nothing more is sent
    shop.client.post(f"/api/admin/orders/{order_id}/mark-paid", headers=clerk)
    assert len(shop.mails()) == 2


def test_checkout_from_the_cart_empties_it(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    added = shop.client.post("/api/cart/items", json={"productId": str(lamp), "quantity": 2}, headers=buyer)
    assert added.status_code in (200, 201), added.json
    body = {"fromCart": True, "shippingAddress": ADDRESS, "paymentMethod": "credit_card"}
    response = shop.client.post("/api/orders", json=body, headers=buyer)
    assert response.status_code == 201, response.json
    assert response.json["items"][0]["quantity"] == 2 and shop.stock(lamp) == 3
    assert shop.client.get("/api/cart", headers=buyer).json["lines"] == []
    empty = shop.client.post("/api/orders", json=body, headers=buyer)
    assert empty.status_code == 422 and "fromCart" in empty.json["errors"]


def test_a_failed_checkout_from_the_cart_keeps_the_cart(shop, auth_headers):
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=5)
    shop.client.post("/api/cart/items", json={"productId": str(lamp), "quantity": 5}, headers=buyer)
    from kernel.infrastructure.db import db, metadata
    with shop.app.app_context():
        db.session.execute(metadata.tables["product_variants"].update().values(stock_quantity=1))
        db.session.commit()
    body = {"fromCart": True, "shippingAddress": ADDRESS, "paymentMethod": "credit_card"}
    assert shop.client.post("/api/orders", json=body, headers=buyer).status_code == 409
    assert len(shop.client.get("/api/cart", headers=buyer).json["lines"]) == 1


def test_a_site_without_a_cart_says_so(make_shop, auth_headers):
    shop = make_shop(plugins=("catalog", "orders"))
    body = {"fromCart": True, "shippingAddress": ADDRESS, "paymentMethod": "credit_card"}
    response = shop.client.post("/api/orders", json=body, headers=auth_headers(shop.app))
    assert response.status_code == 422 and "fromCart" in response.json["errors"]


def test_the_embedded_sqlite_site_places_replays_and_cancels(make_shop, auth_headers):
    shop = make_shop(backend="sqlite")
    buyer = auth_headers(shop.app)
    lamp = shop.product(stock=3)
    first = place(shop, buyer, (lamp, 2), key="sqlite-1")
    again = place(shop, buyer, (lamp, 2), key="sqlite-1")
    assert first.status_code == again.status_code == 201 and again.json == first.json
    assert place(shop, buyer, (lamp, 2)).status_code == 409
    cancelled = shop.client.post(f"/api/orders/{first.json['orderId']}/cancel", headers=buyer)
    assert cancelled.json["status"] == "Cancelled" and shop.stock(lamp) == 3
