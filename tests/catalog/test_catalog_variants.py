"""Options and variants through the API: detail and listing shapes, option filters, search on
variant SKUs and option values, stock per variant, and bad variants refused naming the field."""

import pytest

SIZES, COLOURS = ["S", "M", "L"], ["Red", "Blue"]


def tee(site, name="Tee", stock=None, **extra) -> dict:
    """A product in three sizes and two colours; L costs 2.00 more; M/Blue is out of stock."""
    variants = [{"sku": f"{name.upper()}-{size}-{colour.upper()}", "options": {"Size": size, "Colour": colour},
                 "price": "22.00" if size == "L" else None,
                 "stockQuantity": 0 if (size, colour) == ("M", "Blue") else (stock or 4)}
                for size in SIZES for colour in COLOURS]
    return site.product(name, price="20.00", sku=name.upper(), options=[{"name": "Size", "values": SIZES},
                        {"name": "Colour", "values": COLOURS}], variants=variants, **extra)


def test_a_product_with_two_options_shows_its_six_variants_price_range_and_availability(site):
    created = tee(site)
    detail = site.client.get(f"/api/products/{created['slug']}").json
    assert detail["options"] == [{"name": "Size", "values": SIZES}, {"name": "Colour", "values": COLOURS}]
    assert [(v["options"], v["price"], v["available"]) for v in detail["variants"]][:2] == [
        ({"Size": "S", "Colour": "Red"}, "20.00", True), ({"Size": "S", "Colour": "Blue"}, "20.00", True)]
    assert len(detail["variants"]) == 6 and detail["variants"][4]["price"] == "22.00"
    assert detail["stockQuantity"] == 20 and detail["images"] == []
    item = site.listing()["items"][0]
    assert item["priceRange"] == {"min": "20.00", "max": "22.00"} and item["availability"] == "in_stock"
    assert item["imageUrls"] is None and "variants" not in item


def test_a_product_without_options_keeps_todays_answer_with_one_implicit_variant(site):
    mug = site.product("Mug", price="9.50", stockQuantity=3, lowStockThreshold=5)
    detail = site.client.get(f"/api/products/{mug['id']}").json
    assert (detail["sku"], detail["price"], detail["stockQuantity"], detail["lowStockThreshold"]) == (mug["sku"], "9.50", 3, 5)
    assert detail["options"] == [] and detail["priceRange"] == {"min": "9.50", "max": "9.50"}
    assert detail["availability"] == "low_stock"
    assert [(v["id"], v["sku"], v["options"]) for v in detail["variants"]] == [(mug["id"], mug["sku"], {})]


def test_listing_filters_by_option_value_and_search_finds_variant_skus_and_values(site):
    tee(site, "Tee")
    site.product("Plain Mug")
    site.product("Sized Mug", sku="SIZED", options=[{"name": "Size", "values": ["XL"]}],
                 variants=[{"sku": "SIZED-XL", "options": {"Size": "XL"}, "stockQuantity": 1}])
    assert site.names("size=M") == ["Tee"]
    assert site.names("size=m&colour=blue") == ["Tee"]  # M/Blue exists (out of stock)
    assert site.names("size=m&colour=blue&inStock=true") == []  # one variant must meet every filter
    assert sorted(site.names("size=XL")) == ["Sized Mug"]
    assert site.names("q=TEE-L-RED") == ["Tee"]
    assert site.names("q=blue") == ["Tee"]
    assert sorted(site.names("minPrice=21")) == ["Tee"]


def test_an_option_filter_too_long_is_a_422_naming_it(site):
    answer = site.client.get("/api/products?size=" + "x" * 60)
    assert answer.status_code == 422 and "size" in answer.json["errors"]
    assert site.client.get("/api/products?" + "&".join(f"o{i}=x" for i in range(6))).status_code == 422


@pytest.mark.parametrize("variants, field", [
    ([{"sku": "A", "options": {"Size": "XXL"}}], "variants[0].options"),
    ([{"sku": "A", "options": {"Size": "S"}}, {"sku": "A", "options": {"Size": "M"}}], "variants[1].sku"),
    ([{"sku": "A", "options": {"Size": "S"}}, {"sku": "B", "options": {"size": "s"}}], "variants[1].options"),
    ([{"sku": "A", "options": {}}], "variants[0].options"),
    ([{"sku": "A", "options": {"Size": "S"}, "price": "-1"}], "{'0': {'price'"),  # refused by the schema, nested
])
def test_bad_variants_are_a_422_naming_the_field_and_change_nothing(site, variants, field):
    mug = site.product("Mug", stockQuantity=7)
    answer = site.client.put(f"/api/products/{mug['id']}/variants", headers=site.staff,
                             json={"options": [{"name": "Size", "values": SIZES}], "variants": variants})
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json", answer.json
    assert field in str(answer.json["errors"]), answer.json
    detail = site.client.get(f"/api/products/{mug['id']}").json
    assert [(v["id"], v["stockQuantity"]) for v in detail["variants"]] == [(mug["id"], 7)]


def test_replacing_variants_moves_stock_through_movements_and_back_to_one_implicit_variant(site):
    created = tee(site)
    variants = site.client.get(f"/api/products/{created['id']}").json["variants"]
    first = variants[0]
    answer = site.client.put(f"/api/products/{created['id']}/variants", headers=site.staff, json={
        "options": [{"name": "Size", "values": ["S"]}],
        "variants": [{"id": first["id"], "sku": first["sku"], "options": {"Size": "S"}, "stockQuantity": 9}]})
    assert answer.status_code == 200, answer.json
    assert [(v["id"], v["stockQuantity"]) for v in answer.json["variants"]] == [(first["id"], 9)]
    flat = site.client.put(f"/api/products/{created['id']}/variants", headers=site.staff,
                           json={"options": [], "variants": [{"sku": "ignored", "stockQuantity": 2}]})
    assert [(v["id"], v["sku"], v["stockQuantity"]) for v in flat.json["variants"]] == [(created["id"], "TEE", 2)]


def test_stock_is_adjusted_per_variant(site):
    created = tee(site)
    variant = site.client.get(f"/api/products/{created['id']}").json["variants"][1]
    moved = site.client.post(f"/api/products/{created['id']}/stock", headers=site.staff,
                             json={"delta": -4, "reason": "sold", "variantId": variant["id"]})
    assert moved.status_code == 200
    assert [v["stockQuantity"] for v in moved.json["variants"]][:2] == [4, 0]
    vague = site.client.post(f"/api/products/{created['id']}/stock", headers=site.staff, json={"delta": 1, "reason": "x"})
    assert vague.status_code == 422 and "variantId" in vague.json["errors"]
    below = site.client.post(f"/api/products/{created['id']}/stock", headers=site.staff,
                             json={"delta": -1, "reason": "sold", "variantId": variant["id"]})
    assert below.status_code == 409
