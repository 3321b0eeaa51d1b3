"""The catalog's rules, without Flask or a database."""

from decimal import Decimal
from uuid import uuid4

import pytest

from kernel.domain.errors import ValidationFailed
from plugins.catalog.domain import (
    Category,
    CategoryData,
    ProductData,
    ProductQuery,
    category_tree,
    category_view,
    crossed_low_stock,
    descendant_ids,
    slugify,
)


def product(**changes):
    return ProductData(**{"name": "Blue Mug", "sku": "MUG-1", "price": Decimal("9.50"), **changes})


def field_errors(data) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        data.validated()
    return caught.value.errors


def test_a_valid_product_gets_a_slug_from_its_name():
    assert product(name="  Café Crème Mug ").validated().slug == "cafe-creme-mug"
    assert product(slug="my-mug").validated().slug == "my-mug"


@pytest.mark.parametrize(("changes", "field"), [
    ({"price": Decimal("-0.01")}, "price"),
    ({"price": Decimal("1.234")}, "price"),
    ({"price": Decimal("NaN")}, "price"),
    ({"price": Decimal("10000000000")}, "price"),
    ({"name": "   "}, "name"),
    ({"sku": ""}, "sku"),
    ({"slug": "Not A Slug"}, "slug"),
    ({"stock_quantity": -1}, "stockQuantity"),
    ({"low_stock_threshold": -1}, "lowStockThreshold"),
])
def test_a_broken_rule_names_its_field(changes, field):
    assert list(field_errors(product(**changes))) == [field]


def test_every_broken_field_is_reported_at_once():
    assert set(field_errors(product(name="", price=Decimal("-1")))) == {"name", "price"}


def test_slugify():
    assert slugify("Home & Kitchen") == "home-kitchen"
    assert slugify("  --Ünïcode  Ẅords-- ") == "unicode-words"


def test_a_category_cannot_be_its_own_parent():
    assert "parent" in field_errors(CategoryData(name="Phones", parent="phones"))


def tree_of(*pairs):
    ids = {name: uuid4() for name, _ in pairs}
    return ids, [Category(ids[name], name.title(), name, "", ids.get(parent), True) for name, parent in pairs]


def test_categories_nest_to_any_depth_sorted_by_name():
    ids, flat = tree_of(("root", None), ("b", "root"), ("a", "root"), ("deep", "a"), ("deeper", "deep"))
    [root] = category_tree(flat)
    assert [child.slug for child in root.children] == ["a", "b"]
    assert root.children[0].children[0].children[0].slug == "deeper"
    assert descendant_ids(flat, ids["a"]) == {ids["a"], ids["deep"], ids["deeper"]}
    view = category_view(flat, "deep")
    assert [c.slug for c in view.path] == ["root", "a", "deep"] and view.parent == "a"
    assert [c.slug for c in view.category.children] == ["deeper"]


@pytest.mark.parametrize(("before", "after", "crossed"), [
    (6, 5, True), (10, 0, True), (5, 4, False), (3, 0, False), (4, 6, False), (6, 6, False),
])
def test_stock_low_fires_only_on_the_crossing(before, after, crossed):
    assert crossed_low_stock(before, after, threshold=5) is crossed


def test_listing_query_defaults_and_errors():
    assert ProductQuery().validated().sort == "newest"
    assert ProductQuery(q=" mug ").validated() == ProductQuery(q="mug", sort="relevance", order="desc")
    assert ProductQuery(sort="price").validated().order == "asc"
    with pytest.raises(ValidationFailed) as caught:
        ProductQuery(min_price=Decimal(10), max_price=Decimal(5), sort="colour", order="up").validated()
    assert set(caught.value.errors) == {"minPrice", "sort", "order"}
    with pytest.raises(ValidationFailed):
        ProductQuery(sort="relevance").validated()
