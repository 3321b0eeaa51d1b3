"""A variant's weight (shipping by weight) and tax class (tax by class): set through the product API,
the variants API and the CSV import, shown with each variant, kept by partial updates."""

import io


def variant(site, slug: str) -> dict:
    [only] = site.client.get(f"/api/products/{slug}").json["variants"]
    return only


def test_a_product_carries_its_weight_and_tax_class_and_a_partial_update_keeps_them(site):
    book = site.product("Atlas", "30.00", weight="1.2", taxClass="reduced")
    assert (variant(site, book["slug"])["weight"], variant(site, book["slug"])["taxClass"]) == ("1.200", "reduced")

    patched = site.client.patch(f"/api/products/{book['id']}", headers=site.staff, json={"price": "28.00"})
    assert patched.status_code == 200, patched.json
    assert (variant(site, book["slug"])["weight"], variant(site, book["slug"])["taxClass"]) == ("1.200", "reduced")
    site.client.patch(f"/api/products/{book['id']}", headers=site.staff, json={"weight": None})
    assert variant(site, book["slug"])["weight"] is None

    plain = site.product("Mug")
    assert (variant(site, plain["slug"])["weight"], variant(site, plain["slug"])["taxClass"]) == (None, "standard")


def test_variants_have_their_own_weight(site):
    tee = site.product("Tee")
    answer = site.client.put(f"/api/products/{tee['id']}/variants", headers=site.staff, json={
        "options": [{"name": "Size", "values": ["S", "XL"]}],
        "variants": [{"sku": "TEE-S", "options": {"Size": "S"}, "weight": "0.150"},
                     {"sku": "TEE-XL", "options": {"Size": "XL"}, "weight": "0.300", "taxClass": "reduced"}]})
    assert answer.status_code == 200, answer.json
    assert [(v["sku"], v["weight"], v["taxClass"]) for v in answer.json["variants"]] == [
        ("TEE-S", "0.150", "standard"), ("TEE-XL", "0.300", "reduced")]


def test_bad_weights_and_tax_classes_are_refused_naming_the_field(site):
    for fields, name in (({"weight": "-1"}, "weight"), ({"weight": "heavy"}, "weight"),
                         ({"taxClass": "Reduced Rate"}, "taxClass"), ({"taxClass": ""}, "taxClass")):
        refused = site.client.post("/api/products", headers=site.staff,
                                   json={"name": "Bad", "sku": "BAD", "price": "1.00", **fields})
        assert refused.status_code == 422 and name in refused.json["errors"], (fields, refused.json)
    assert site.client.get("/api/products").json["totalCount"] == 0


def test_the_import_reads_weight_and_tax_class_columns(site):
    csv = "sku,name,price,stockQuantity,weight,taxClass\nBOOK-1,Atlas,30.00,4,1.25,reduced\nMUG-1,Mug,8.00,2,,\n"
    answer = site.client.post("/api/imports/products", headers=site.staff,
                              data={"file": (io.BytesIO(csv.encode()), "products.csv")},
                              content_type="multipart/form-data")
    assert answer.status_code == 200 and answer.json["created"] == 2, answer.json
    assert (variant(site, "atlas")["weight"], variant(site, "atlas")["taxClass"]) == ("1.250", "reduced")
    assert (variant(site, "mug")["weight"], variant(site, "mug")["taxClass"]) == (None, "standard")
