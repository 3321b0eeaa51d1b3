"""The catalog's wire format (camelCase). Money is a JSON string with exactly two decimals
(``"price": "599.99"``); input takes a string or a number. Rules live in the domain;
these schemas only check shapes and types.
"""

from __future__ import annotations

from marshmallow import fields, validate

from kernel.web.schemas import CamelSchema, PageQuerySchema, page_schema

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
    category = fields.String(metadata={"description": "A category slug; its subcategories are included"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Full-text search"})
    min_price = fields.Decimal()
    max_price = fields.Decimal()
    in_stock = fields.Boolean()
    sort = fields.String(metadata={"description": "price, name, newest, rating or relevance (with q)"})
    order = fields.String(metadata={"description": "asc or desc (default: price/name asc, others desc)"})


def _optional_text(max_length: int) -> fields.String:
    return fields.String(load_default="", validate=validate.Length(max=max_length))


class CatalogProductUpdateSchema(CamelSchema):
    """A full update (PUT): omitted optional fields return to their defaults."""

    name = fields.String(required=True)
    sku = fields.String(required=True)
    price = fields.Decimal(required=True, metadata={"example": "599.99"})
    slug = fields.String(load_default=None, allow_none=True, metadata={"description": "Derived from the name if absent"})
    description = _optional_text(20_000)
    low_stock_threshold = fields.Integer(load_default=5)
    is_active = fields.Boolean(load_default=True)
    category = fields.String(load_default=None, allow_none=True, metadata={"description": "A category slug"})


class CatalogProductPatchSchema(CatalogProductUpdateSchema):
    """A partial update (PATCH): only the fields sent change. ``isActive: false`` deactivates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CatalogProductCreateSchema(CatalogProductUpdateSchema):
    """A new product; also the columns of a CSV import (same names)."""

    stock_quantity = fields.Integer(load_default=0)


class CatalogStockAdjustmentSchema(CamelSchema):
    delta = fields.Integer(required=True, strict=True, metadata={"example": -3})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=200), metadata={"example": "damaged"})


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
    name = fields.String(required=True)
    slug = fields.String(load_default=None, allow_none=True)
    description = _optional_text(20_000)
    parent = fields.String(load_default=None, allow_none=True, metadata={"description": "The parent's slug"})
    is_active = fields.Boolean(load_default=True)


class CatalogCategoryPatchSchema(CatalogCategoryUpdateSchema):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CatalogReviewInSchema(CamelSchema):
    rating = fields.Integer(required=True, strict=True, metadata={"example": 5})
    text = fields.String(load_default="")


class CatalogReviewSchema(CamelSchema):
    id = fields.UUID()
    product_id = fields.UUID()
    author = fields.String()
    rating = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()


CatalogReviewPageSchema = page_schema(CatalogReviewSchema, "CatalogReviewPageSchema")


def load_csv_row(row: dict[str, str]) -> dict:
    """A CSV row (columns named like the API's fields) as ProductData keyword arguments.

    Empty cells count as absent. Raises ``marshmallow.ValidationError`` naming the columns.
    """
    present = {key.strip(): value.strip() for key, value in row.items() if key and value is not None and value.strip()}
    return CatalogProductCreateSchema().load(present)
