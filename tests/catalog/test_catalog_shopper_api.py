"""What a shopper sees: listing, filters, search, sorting, details, categories and reviews."""

import pytest


@pytest.fixture
def shop(site):
    site.category("Electronics")
    site.category("Phones", parent="electronics")
    site.category("Cases", parent="phones")
    site.category("Books")
    site.product("Smartphone", "599.99", category="phones", description="Latest model smartphone")
    site.product("Leather Case", "19.50", category="cases", description="Protects your phone")
    site.product("Mystery Novel", "12.00", category="books", description="A thriller", stockQuantity=0)
    site.product("Hidden Gadget", "5.00", category="electronics", isActive=False)
    return site


def test_listing_has_the_designs_envelope_with_exact_prices(shop):
    body = shop.listing("page=1&pageSize=10&category=electronics")
    assert set(body) == {"items", "totalCount", "page", "pageSize"}
    assert (body["totalCount"], body["page"], body["pageSize"]) == (2, 1, 10)
    phone = next(item for item in body["items"] if item["name"] == "Smartphone")
    assert phone["price"] == "599.99" and phone["category"] == "phones"
    assert phone["description"] == "Latest model smartphone" and phone["currency"] == "USD"
    assert phone["createdAt"].endswith("+00:00")  # timezone-aware on SQLite too


def test_category_includes_every_subcategory_and_only_active_products(shop):
    assert sorted(shop.names("category=electronics")) == ["Leather Case", "Smartphone"]
    assert shop.names("category=cases") == ["Leather Case"]
    assert "Hidden Gadget" not in shop.names("pageSize=100")


def test_paging(shop):
    first, second = shop.listing("pageSize=2&sort=name"), shop.listing("pageSize=2&page=2&sort=name")
    assert [i["name"] for i in first["items"] + second["items"]] == ["Leather Case", "Mystery Novel", "Smartphone"]
    assert second["totalCount"] == 3
    assert shop.listing("page=9")["items"] == []


FILTERS = [
    ("minPrice=12&maxPrice=100", ["Leather Case", "Mystery Novel"]),
    ("minPrice=19.50&maxPrice=19.50", ["Leather Case"]),
    ("inStock=true", ["Leather Case", "Smartphone"]),
    ("inStock=false", ["Mystery Novel"]),
    ("q=protects", ["Leather Case"]),
    ("q=thriller", ["Mystery Novel"]),
    ("q=latest smartphone", ["Smartphone"]),
    ("q=nothing-like-this", []),
]


def test_filters_and_search(shop):
    for query, names in FILTERS:
        assert sorted(shop.names(query)) == names, query


SORTS = [
    ("sort=price", ["Mystery Novel", "Leather Case", "Smartphone"]),
    ("sort=price&order=desc", ["Smartphone", "Leather Case", "Mystery Novel"]),
    ("sort=name&order=desc", ["Smartphone", "Mystery Novel", "Leather Case"]),
]


def test_sorting(shop):
    for query, names in SORTS:
        assert shop.names(query) == names, query


def test_sort_by_rating_puts_the_best_rated_first_and_unrated_last(shop):
    novel = shop.names("sort=name")[1]
    assert novel == "Mystery Novel"
    shop.client.post("/api/products/mystery-novel/reviews", headers=shop.customer, json={"rating": 5})
    shop.client.post("/api/products/smartphone/reviews", headers=shop.customer, json={"rating": 2})
    assert shop.names("sort=rating") == ["Mystery Novel", "Smartphone", "Leather Case"]


BAD_QUERIES = [
    ("pageSize=101", "pageSize"),
    ("pageSize=0", "pageSize"),
    ("page=0", "page"),
    ("category=nope", "category"),
    ("minPrice=-1", "minPrice"),
    ("minPrice=abc", "minPrice"),
    ("minPrice=10&maxPrice=5", "minPrice"),
    ("sort=colour", "sort"),
    ("order=sideways", "order"),
    ("sort=relevance", "sort"),
    ("inStock=maybe", "inStock"),
]


def test_bad_listing_parameters_are_422_problems_naming_the_field(shop):
    for query, field in BAD_QUERIES:
        answer = shop.client.get(f"/api/products?{query}")
        assert answer.status_code == 422, query
        assert answer.mimetype == "application/problem+json"
        assert field in answer.json["errors"], (query, answer.json)


def test_product_detail_by_id_or_slug(shop):
    phone = shop.client.get("/api/products/smartphone").json
    assert shop.client.get(f"/api/products/{phone['id']}").json == phone
    assert phone["sku"] and phone["stockQuantity"] == 10 and phone["inStock"] is True
    assert shop.client.get("/api/products/hidden-gadget").status_code == 404
    missing = shop.client.get("/api/products/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_category_tree_and_detail(shop):
    tree = shop.client.get("/api/categories").json
    assert [c["slug"] for c in tree] == ["books", "electronics"]
    assert tree[1]["children"][0]["slug"] == "phones"
    assert tree[1]["children"][0]["children"][0]["slug"] == "cases"
    cases = shop.client.get("/api/categories/cases").json
    assert cases["parent"] == "phones" and [c["slug"] for c in cases["path"]] == ["electronics", "phones", "cases"]
    assert shop.client.get("/api/categories/nope").status_code == 404


def test_reviews_one_per_customer_with_average_and_count(shop, auth_headers):
    other = auth_headers(shop.app, role="customer")
    first = shop.client.post("/api/products/smartphone/reviews", headers=shop.customer,
                             json={"rating": 4, "text": "Good value"})
    assert first.status_code == 201 and first.json["rating"] == 4 and first.json["author"]
    assert shop.client.post("/api/products/smartphone/reviews", headers=other, json={"rating": 5}).status_code == 201
    again = shop.client.post("/api/products/smartphone/reviews", headers=shop.customer, json={"rating": 1})
    assert again.status_code == 409
    phone = shop.client.get("/api/products/smartphone").json
    assert (phone["averageRating"], phone["reviewCount"]) == (4.5, 2)
    reviews = shop.client.get("/api/products/smartphone/reviews").json
    assert reviews["totalCount"] == 2 and {r["text"] for r in reviews["items"]} == {"Good value", ""}


BAD_REVIEWS = [
    ({"rating": 6}, "rating"), ({"rating": 0}, "rating"), ({"rating": "five"}, "rating"), ({}, "rating"),
    ({"rating": 3, "text": "x" * 5001}, "text"), ({"rating": 3, "stars": 3}, "stars"),
]


def test_bad_reviews_are_422(shop):
    for body, field in BAD_REVIEWS:
        answer = shop.client.post("/api/products/smartphone/reviews", headers=shop.customer, json=body)
        assert answer.status_code == 422 and field in answer.json["errors"], body
    assert shop.client.get("/api/products/smartphone").json["reviewCount"] == 0


def test_reviewing_needs_a_signed_in_shopper_and_an_active_product(shop):
    assert shop.client.post("/api/products/smartphone/reviews", json={"rating": 5}).status_code == 401
    hidden = shop.client.post("/api/products/hidden-gadget/reviews", headers=shop.customer, json={"rating": 5})
    assert hidden.status_code == 404
