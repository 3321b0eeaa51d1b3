"""The catalog's wire format (camelCase). Money is a JSON string with exactly two decimals
(``"price": "599.99"``); input takes a string or a number. Rules live in the domain;
these schemas only check shapes and types.
"""

from __future__ import annotations

from marshmallow import fields, validate

from kernel.web.schemas import CamelSchema, Money, PageQuerySchema, page_schema, text
from plugins.catalog.domain import MAX_STOCK, SLUG_RE, SORTS

class CatalogProductSchema(CamelSchema):
    id = fields.UUID()
    name = fields.String()
    slug = fields.String()
    sku = fields.String()
    description = fields.String()
    price = fields.Decimal(as_string=True, places=2, metadata={"example": "599.99", "description": "Exact, as a string"})
    currency = fields.String(metadata={"example": "USD"})
    category = fields.String(allow_none=True, metadata={"description": "The category's slug"})
    category_name = fields.String(allow_none=True)
    stock_quantity = fields.Integer()
    in_stock = fields.Boolean()
    low_stock_threshold = fields.Integer()
    is_active = fields.Boolean()
    average_rating = fields.Float(allow_none=True, metadata={"example": 4.5})
    review_count = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


CatalogProductPageSchema = page_schema(CatalogProductSchema, "CatalogProductPageSchema")


class CatalogProductQuerySchema(PageQuerySchema):
    category = text(255, metadata={"description": "A category slug; its subcategories are included"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Full-text search"})
    min_price = Money()
    max_price = Money()
    in_stock = fields.Boolean()
    sort = fields.String(validate=validate.OneOf(SORTS), metadata={"description": "relevance needs q"})
    order = fields.String(validate=validate.OneOf(["asc", "desc"]),
                          metadata={"description": "default: price/name asc, others desc"})


def _optional_text(max_length: int) -> fields.String:
    return fields.String(load_default="", validate=validate.Length(max=max_length))


_SLUG = [validate.Length(max=255), validate.Regexp(SLUG_RE.pattern, error="Use lowercase letters, digits and single hyphens.")]
_COUNT = validate.Range(min=0, max=MAX_STOCK)
_COUNT_CHANGE = validate.Range(min=-MAX_STOCK, max=MAX_STOCK)


class CatalogProductUpdateSchema(CamelSchema):
    """A full update (PUT): omitted optional fields return to their defaults."""

    name = text(255, required=True, blank=False)
    sku = text(100, required=True, blank=False)
    price = Money(required=True, metadata={"example": "599.99"})
    slug = fields.String(load_default=None, allow_none=True, validate=_SLUG,
                         metadata={"description": "Derived from the name if absent"})
    description = _optional_text(20_000)
    low_stock_threshold = fields.Integer(load_default=5, validate=_COUNT)
    is_active = fields.Boolean(load_default=True)
    category = text(255, load_default=None, allow_none=True, metadata={"description": "A category slug"})


class CatalogProductPatchSchema(CatalogProductUpdateSchema):
    """A partial update (PATCH): only the fields sent change. ``isActive: false`` deactivates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CatalogProductCreateSchema(CatalogProductUpdateSchema):
    """A new product; also the columns of a CSV import (same names)."""

    stock_quantity = fields.Integer(load_default=0, validate=_COUNT)


class CatalogStockAdjustmentSchema(CamelSchema):
    delta = fields.Integer(required=True, strict=True, validate=[_COUNT_CHANGE, validate.NoneOf([0])],
                           metadata={"example": -3, "not": {"enum": [0]}})
    reason = text(200, required=True, blank=False, metadata={"example": "damaged"})


class CatalogCategoryRefSchema(CamelSchema):
    id = fields.UUID()
    name = fields.String()
    slug = fields.String()


class CatalogCategoryNodeSchema(CatalogCategoryRefSchema):
    description = fields.String()
    children = fields.List(fields.Nested(lambda: CatalogCategoryNodeSchema()))


class CatalogCategoryDetailSchema(CamelSchema):
    """A :class:`CategoryView`: the category with its parent, path from the root and children."""

    id = fields.UUID(attribute="category.id")
    name = fields.String(attribute="category.name")
    slug = fields.String(attribute="category.slug")
    description = fields.String(attribute="category.description")
    is_active = fields.Boolean(attribute="category.is_active")
    parent = fields.String(allow_none=True)
    path = fields.List(fields.Nested(CatalogCategoryRefSchema))
    children = fields.List(fields.Nested(CatalogCategoryRefSchema), attribute="category.children")


class CatalogCategoryUpdateSchema(CamelSchema):
    name = text(255, required=True, blank=False)
    slug = fields.String(load_default=None, allow_none=True, validate=_SLUG)
    description = _optional_text(20_000)
    parent = text(255, load_default=None, allow_none=True, metadata={"description": "The parent's slug"})
    is_active = fields.Boolean(load_default=True)


class CatalogCategoryPatchSchema(CatalogCategoryUpdateSchema):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CatalogReviewInSchema(CamelSchema):
    rating = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=5), metadata={"example": 5})
    text = _optional_text(5000)


class CatalogReviewSchema(CamelSchema):
    id = fields.UUID()
    product_id = fields.UUID()
    author = fields.String()
    rating = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()


CatalogReviewPageSchema = page_schema(CatalogReviewSchema, "CatalogReviewPageSchema")


class CatalogProductCsvSchema(CatalogProductCreateSchema):
    text_input = True  # "12" and "true" in a CSV cell


def load_csv_row(row: dict[str, str]) -> dict:
    """A CSV row (columns named like the API's fields) as ProductData keyword arguments.

    Empty cells count as absent. Raises ``marshmallow.ValidationError`` naming the columns.
    """
    present = {key.strip(): value.strip() for key, value in row.items() if key and value is not None and value.strip()}
    return CatalogProductCsvSchema().load(present)
