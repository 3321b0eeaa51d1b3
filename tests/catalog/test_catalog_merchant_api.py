"""What staff do: create, update, deactivate and delete products and categories, adjust stock."""

import sqlalchemy as sa

from kernel.infrastructure.db import db


def test_writes_need_the_catalog_write_permission(site):
    body = {"name": "Mug", "sku": "M-1", "price": "5.00"}
    assert site.client.post("/api/products", json=body).status_code == 401
    refused = site.client.post("/api/products", json=body, headers=site.customer)
    assert refused.status_code == 403 and refused.mimetype == "application/problem+json"
    assert site.client.post("/api/categories", json={"name": "X"}, headers=site.customer).status_code == 403
    assert site.listing()["totalCount"] == 0


def test_create_full_update_partial_update_and_delete(site):
    site.category("Kitchen")
    mug = site.product("Mug", "5.00", description="Blue", category="kitchen", lowStockThreshold=2)
    assert (mug["price"], mug["category"], mug["stockQuantity"]) == ("5.00", "kitchen", 10)

    replaced = site.client.put(f"/api/products/{mug['id']}", headers=site.staff,
                               json={"name": "Big Mug", "sku": mug["sku"], "price": 7})
    assert replaced.status_code == 200
    assert (replaced.json["name"], replaced.json["price"], replaced.json["slug"]) == ("Big Mug", "7.00", "big-mug")
    assert (replaced.json["description"], replaced.json["category"]) == ("", None)  # omitted: back to defaults
    assert replaced.json["stockQuantity"] == 10  # stock only moves through /stock

    patched = site.client.patch("/api/products/big-mug", headers=site.staff, json={"price": "6.49"})
    assert (patched.json["name"], patched.json["price"]) == ("Big Mug", "6.49")
    assert site.client.get("/api/products/big-mug").json["price"] == "6.49"

    assert site.client.patch("/api/products/big-mug", headers=site.staff, json={"isActive": False}).status_code == 200
    assert site.client.get("/api/products/big-mug").status_code == 404
    assert site.listing()["totalCount"] == 0
    assert site.client.patch(f"/api/products/{mug['id']}", headers=site.staff, json={"isActive": True}).status_code == 200
    assert site.listing()["totalCount"] == 1

    assert site.client.delete(f"/api/products/{mug['id']}", headers=site.staff).status_code == 204
    assert site.client.get(f"/api/products/{mug['id']}").status_code == 404
    assert site.client.delete(f"/api/products/{mug['id']}", headers=site.staff).status_code == 404


BAD_PRODUCTS = [
    ({"price": "-1.00"}, 422, "price"),
    ({"price": "1.001"}, 422, "price"),
    ({"price": "cheap"}, 422, "price"),
    ({"price": None}, 422, "price"),
    ({"name": ""}, 422, "name"),
    ({"category": "nope"}, 422, "category"),
    ({"stockQuantity": -3}, 422, "stockQuantity"),
    ({"slug": "Bad Slug"}, 422, "slug"),
    ({"colour": "red"}, 422, "colour"),
    ({"sku": "TAKEN"}, 409, "sku"),
    ({"slug": "taken"}, 409, "slug"),
]


def test_bad_products_are_4xx_problems_naming_the_field_and_store_nothing(site):
    site.product("Taken", sku="TAKEN")
    for change, status, field in BAD_PRODUCTS:
        body = {"name": "New", "sku": "NEW-1", "price": "5.00", **change}
        answer = site.client.post("/api/products", headers=site.staff, json=body)
        assert answer.status_code == status, (change, answer.json)
        assert answer.mimetype == "application/problem+json"
        assert field in answer.json["errors"], (change, answer.json)
    assert site.listing()["totalCount"] == 1
    patched = site.client.patch("/api/products/taken", headers=site.staff, json={"price": "-5"})
    assert patched.status_code == 422 and site.client.get("/api/products/taken").json["price"] == "10.00"
    assert site.client.put("/api/products/taken", headers=site.staff, json={"name": "x"}).status_code == 422


def test_stock_adjustments_are_atomic_and_never_go_below_zero(site):
    mug = site.product("Mug", stockQuantity=3)
    added = site.client.post(f"/api/products/{mug['id']}/stock", headers=site.staff, json={"delta": 7, "reason": "delivery"})
    assert added.status_code == 200 and added.json["stockQuantity"] == 10
    refused = site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": -11, "reason": "theft"})
    assert refused.status_code == 409 and "delta" in refused.json["errors"]
    emptied = site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": -10, "reason": "sold"})
    assert emptied.json["stockQuantity"] == 0 and emptied.json["inStock"] is False
    for body, field in (({"delta": 0, "reason": "x"}, "delta"), ({"delta": 1.5, "reason": "x"}, "delta"),
                        ({"delta": 1}, "reason"), ({"delta": 1, "reason": " "}, "reason")):
        answer = site.client.post("/api/products/mug/stock", headers=site.staff, json=body)
        assert answer.status_code == 422 and field in answer.json["errors"], body
    assert site.client.post("/api/products/nope/stock", headers=site.staff,
                            json={"delta": 1, "reason": "x"}).status_code == 404


def test_staff_read_the_stock_movements_newest_first_with_their_reason(site):
    mug = site.product("Mug", stockQuantity=3)
    site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": 7, "reason": "delivery"})
    site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": -2, "reason": "broken in the shop"})
    site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": -99, "reason": "refused"})
    answer = site.client.get(f"/api/products/{mug['id']}/stock", headers=site.staff)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    moves = [(m["delta"], m["stockAfter"], m["reason"]) for m in answer.json]
    assert moves[:2] == [(-2, 8, "broken in the shop"), (7, 10, "delivery")]
    assert all(reason != "refused" for _, _, reason in moves)
    assert site.client.get("/api/products/mug/stock", headers=site.customer).status_code == 403
    assert site.client.get("/api/products/nope/stock", headers=site.staff).status_code == 404


def test_stock_never_goes_past_the_integer_column(site):
    mug = site.product("Mug", stockQuantity=3)
    over = site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": 2**31 - 1, "reason": "x"})
    assert over.status_code == 422 and over.json["errors"]["delta"] == [f"Must be at most {2**31 - 1 - 3}."]
    assert site.client.get(f"/api/products/{mug['id']}").json["stockQuantity"] == 3
    full = site.client.post("/api/products/mug/stock", headers=site.staff, json={"delta": 2**31 - 4, "reason": "x"})
    assert full.status_code == 200 and full.json["stockQuantity"] == 2**31 - 1


def test_stock_low_fires_once_when_the_threshold_is_crossed(site, stock_low_events):
    events = stock_low_events(site.app)
    mug = site.product("Mug", stockQuantity=8, lowStockThreshold=5)
    for delta in (-2, -1, -1, -1, +10, -9):  # 6, 5 (crossed), 4, 3, 13, 4 (crossed again)
        assert site.client.post("/api/products/mug/stock", headers=site.staff,
                                json={"delta": delta, "reason": "test"}).status_code == 200
    assert [(e.sku, e.stock_quantity, e.threshold) for e in events] == [(mug["sku"], 5, 5), (mug["sku"], 4, 5)]


def test_categories_create_move_rename_and_delete(site):
    site.category("Electronics")
    site.category("Phones", parent="electronics")
    site.category("Audio")
    phone = site.product("Phone", category="phones")
    assert site.names("category=electronics") == ["Phone"]

    moved = site.client.patch("/api/categories/phones", headers=site.staff, json={"parent": "audio"})
    assert moved.status_code == 200 and moved.json["parent"] == "audio"
    assert site.names("category=electronics") == [] and site.names("category=audio") == ["Phone"]

    renamed = site.client.put("/api/categories/phones", headers=site.staff,
                              json={"name": "Mobile Phones", "slug": "mobiles", "parent": "audio"})
    assert renamed.json["slug"] == "mobiles"
    assert site.client.get(f"/api/products/{phone['id']}").json["category"] == "mobiles"

    assert site.client.delete("/api/categories/mobiles", headers=site.staff).status_code == 409
    site.client.delete(f"/api/products/{phone['id']}", headers=site.staff)
    assert site.client.delete("/api/categories/audio", headers=site.staff).status_code == 409  # has a child
    assert site.client.delete("/api/categories/mobiles", headers=site.staff).status_code == 204
    assert [c["slug"] for c in site.client.get("/api/categories").json] == ["audio", "electronics"]


BAD_CATEGORIES = [
    ("post", "/api/categories", {"name": ""}, 422, "name"),
    ("post", "/api/categories", {"name": "X", "parent": "nope"}, 422, "parent"),
    ("post", "/api/categories", {"name": "Top"}, 409, "slug"),
    ("patch", "/api/categories/top", {"parent": "child"}, 422, "parent"),
    ("patch", "/api/categories/top", {"parent": "top"}, 422, "parent"),
    ("patch", "/api/categories/top", {"slug": "child"}, 409, "slug"),
]


def test_bad_categories_are_4xx_problems(site):
    site.category("Top")
    site.category("Child", parent="top")
    for method, url, body, status, field in BAD_CATEGORIES:
        answer = getattr(site.client, method)(url, headers=site.staff, json=body)
        assert answer.status_code == status, (body, answer.json)
        assert field in answer.json["errors"], (body, answer.json)
    assert site.client.get("/api/categories/child").json["path"][0]["slug"] == "top"


def test_a_product_that_order_lines_refer_to_cannot_be_deleted(pg_site):
    site = pg_site
    mug = site.product("Mug")
    with site.app.app_context():
        db.session.execute(sa.text("CREATE TABLE order_lines_stub (product_id uuid REFERENCES products(id))"))
        db.session.execute(sa.text("INSERT INTO order_lines_stub VALUES (:id)"), {"id": mug["id"]})
        db.session.commit()
    refused = site.client.delete("/api/products/mug", headers=site.staff)
    assert refused.status_code == 409 and "deactivate" in refused.json["detail"]
    assert site.client.get("/api/products/mug").status_code == 200


def test_staff_list_and_open_inactive_products_that_the_shop_hides(site):
    site.product("Mug")
    site.product("Jug")
    site.client.patch("/api/products/jug", headers=site.staff, json={"isActive": False})
    assert site.names() == ["Mug"]

    def staff_names(query=""):
        answer = site.client.get(f"/api/admin/products{query}", headers=site.staff)
        assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
        return sorted(item["name"] for item in answer.json["items"])

    assert staff_names() == ["Mug"]
    assert staff_names("?status=inactive") == ["Jug"]
    assert staff_names("?status=all&q=jug") == ["Jug"]
    assert site.client.get("/api/products/jug").status_code == 404
    jug = site.client.get("/api/admin/products/jug", headers=site.staff)
    assert jug.status_code == 200 and jug.json["isActive"] is False
    bad = site.client.get("/api/admin/products?status=gone", headers=site.staff)
    assert bad.status_code == 422 and "status" in bad.json["errors"]
    assert site.client.get("/api/admin/products?status=all", headers=site.customer).status_code == 403
    assert site.client.get("/api/admin/products/jug").status_code == 401


def test_the_staff_view_of_a_product_keeps_its_inactive_variants(site):
    site.product("Tee", options=[{"name": "Size", "values": ["S", "M"]}],
                 variants=[{"sku": "TEE-S", "options": {"Size": "S"}, "stockQuantity": 2},
                           {"sku": "TEE-M", "options": {"Size": "M"}, "stockQuantity": 3, "isActive": False}])
    assert [v["sku"] for v in site.client.get("/api/products/tee").json["variants"]] == ["TEE-S"]
    staff = site.client.get("/api/admin/products/tee", headers=site.staff).json
    assert [(v["sku"], v["isActive"]) for v in staff["variants"]] == [("TEE-S", True), ("TEE-M", False)]


def test_staff_see_deactivated_categories_in_their_tree_and_activate_them_again(site):
    site.category("Audio")
    site.category("Headphones", parent="audio")
    site.category("Books")
    assert site.client.patch("/api/categories/audio", headers=site.staff, json={"isActive": False}).status_code == 200
    assert [c["slug"] for c in site.client.get("/api/categories").json] == ["books"]

    answer = site.client.get("/api/admin/categories", headers=site.staff)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    tree = {c["slug"]: (c["isActive"], [child["slug"] for child in c["children"]]) for c in answer.json}
    assert tree == {"audio": (False, ["headphones"]), "books": (True, [])}
    assert site.client.get("/api/admin/categories", headers=site.customer).status_code == 403

    assert site.client.patch("/api/categories/audio", headers=site.staff, json={"isActive": True}).status_code == 200
    assert [c["slug"] for c in site.client.get("/api/categories").json] == ["audio", "books"]
