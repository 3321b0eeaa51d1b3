"""The catalog's wire format (camelCase). Money is a JSON string with exactly two decimals
(``"price": "599.99"``); input takes a string or a number. Rules live in the domain;
these schemas only check shapes and types.
"""

from __future__ import annotations

import re

import marshmallow as ma
from marshmallow import fields, validate

from kernel.domain.pricing import STANDARD_TAX_CLASS, TAX_CLASS_RE
from kernel.web.schemas import CamelSchema, Money, PageQuerySchema, page_schema, text
from plugins.catalog.domain import MAX_STOCK, SLUG_RE, SORTS, STATUSES
from plugins.catalog.images import RENDITIONS
from plugins.catalog.rendering import availability
from plugins.catalog.variants import MAX_OPTIONS, MAX_VALUES, MAX_VARIANTS

_PRICE = {"example": "599.99", "description": "Exact, as a string"}
_URLS = fields.Dict(keys=fields.String(validate=validate.OneOf(RENDITIONS)), values=fields.String(),
                    metadata={"description": f"A URL per rendition ({', '.join(RENDITIONS)}); empty until the "
                                             "renditions are made", "example": {"card": "/media/products/ab/ab…-card.webp"}})


class CatalogSettings(ma.Schema):
    """``[plugins.catalog]`` in a site's TOML."""

    media_url = fields.String(load_default="file:media",
                              metadata={"description": "file:FOLDER, or s3://bucket/prefix?endpoint_url=…&region=…"})
    media_public_url = fields.String(load_default=None, allow_none=True,
                                     metadata={"description": "Where browsers fetch media (default: /media/ for a "
                                                              "folder, the bucket's address for S3)"})
    max_image_bytes = fields.Integer(load_default=10_000_000, validate=validate.Range(min=1024, max=100_000_000))
    max_image_pixels = fields.Integer(load_default=40_000_000, validate=validate.Range(min=10_000, max=200_000_000))
    staff_report_email = fields.Email(load_default=None, allow_none=True,
                                      metadata={"description": "Where the daily low-stock report goes (unset: logged only)"})


class CatalogOptionSchema(CamelSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50), metadata={"example": "Size"})
    values = fields.List(fields.String(validate=validate.Length(min=1, max=50)), required=True,
                         validate=validate.Length(min=1, max=MAX_VALUES), metadata={"example": ["S", "M", "L"]})


class CatalogPriceRangeSchema(CamelSchema):
    min = fields.Decimal(as_string=True, places=2)
    max = fields.Decimal(as_string=True, places=2)


class CatalogImageSchema(CamelSchema):
    id = fields.UUID()
    variant_id = fields.UUID(allow_none=True)
    alt = fields.String()
    position = fields.Integer()
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    urls = fields.Dict(attribute="renditions", keys=fields.String(), values=fields.String(),
                       metadata=_URLS.metadata)


def _price_range(product) -> dict | None:
    if product.price_min is None:
        return None
    return CatalogPriceRangeSchema().dump({"min": product.price_min, "max": product.price_max})


class CatalogProductSchema(CamelSchema):
    id = fields.UUID()
    name = fields.String()
    slug = fields.String()
    sku = fields.String()
    description = fields.String()
    price = fields.Decimal(as_string=True, places=2, metadata=_PRICE)
    currency = fields.String(metadata={"example": "USD"})
    category = fields.String(allow_none=True, metadata={"description": "The category's slug"})
    category_name = fields.String(allow_none=True)
    stock_quantity = fields.Integer(metadata={"description": "Of the active variants together"})
    in_stock = fields.Boolean()
    availability = fields.Function(lambda p: availability(p.stock_quantity, p.low_stock_threshold),
                                   metadata={"enum": ["in_stock", "low_stock", "out_of_stock"]})
    price_range = fields.Function(_price_range, metadata={"description": "Of the active variants: {min, max}"})
    options = fields.List(fields.Nested(CatalogOptionSchema))
    image_urls = fields.Dict(attribute="card_image", allow_none=True, keys=fields.String(), values=fields.String(),
                             metadata={"description": "The first image's renditions (null without one)"})
    low_stock_threshold = fields.Integer()
    is_active = fields.Boolean()
    average_rating = fields.Float(allow_none=True, metadata={"example": 4.5})
    review_count = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class CatalogVariantSchema(CamelSchema):
    id = fields.UUID()
    sku = fields.String()
    price = fields.Decimal(as_string=True, places=2, metadata={**_PRICE, "description": "Its own, or the product's"})
    stock_quantity = fields.Integer()
    available = fields.Boolean()
    low_stock_threshold = fields.Integer()
    is_active = fields.Boolean()
    weight = fields.Decimal(as_string=True, places=3, allow_none=True, metadata={"description": "kg per unit"})
    tax_class = fields.String()
    options = fields.Dict(keys=fields.String(), values=fields.String(), metadata={"example": {"Size": "M"}})
    images = fields.List(fields.Nested(CatalogImageSchema))


class CatalogProductDetailSchema(CatalogProductSchema):
    """A product as its detail shows it: with its (active) variants and every image."""

    variants = fields.List(fields.Nested(CatalogVariantSchema))
    images = fields.List(fields.Nested(CatalogImageSchema))


CatalogProductPageSchema = page_schema(CatalogProductSchema, "CatalogProductPageSchema")


OPTION_FILTER = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,49}$")
MAX_OPTION_FILTERS = 5


class CatalogProductQuerySchema(PageQuerySchema):
    """The listing's parameters; any other parameter filters by an option value (``?size=M``:
    some active variant has Size M), matched without regard to case."""

    class Meta:
        unknown = ma.INCLUDE

    category = text(255, metadata={"description": "A category slug; its subcategories are included"})
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "Full-text search"})
    min_price = Money()
    max_price = Money()
    in_stock = fields.Boolean()
    sort = fields.String(validate=validate.OneOf(SORTS), metadata={"description": "relevance needs q"})
    order = fields.String(validate=validate.OneOf(["asc", "desc"]),
                          metadata={"description": "default: price/name asc, others desc"})

    @ma.post_load
    def option_filters(self, data: dict, **_) -> dict:
        known = {field.data_key or name for name, field in self.fields.items()}
        filters = {key: data.pop(key) for key in [key for key in data if key not in known and key not in self.fields]}
        errors = {}
        for key, value in filters.items():
            if not OPTION_FILTER.match(key):
                errors[key] = ["Unknown parameter (an option filter is a name of letters, digits and hyphens)."]
            elif not isinstance(value, str) or not 1 <= len(value.strip()) <= 50:
                errors[key] = ["An option value has 1 to 50 characters."]
        if len(filters) > MAX_OPTION_FILTERS:
            errors["_schema"] = [f"At most {MAX_OPTION_FILTERS} option filters."]
        if errors:
            raise ma.ValidationError(errors)
        data["option_values"] = tuple(sorted((key.lower(), value.strip().lower()) for key, value in filters.items()))
        return data


def _optional_text(max_length: int) -> fields.String:
    return fields.String(load_default="", validate=validate.Length(max=max_length))


_SLUG = [validate.Length(max=255), validate.Regexp(SLUG_RE.pattern, error="Use lowercase letters, digits and single hyphens.")]
_COUNT = validate.Range(min=0, max=MAX_STOCK)
_COUNT_CHANGE = validate.Range(min=-MAX_STOCK, max=MAX_STOCK)


def _weight() -> fields.Decimal:
    return fields.Decimal(load_default=None, allow_none=True, places=3, as_string=True,
                          validate=validate.Range(min=0, max=100_000),
                          metadata={"description": "kg per unit, for shipping rates by weight; absent: none",
                                    "example": "0.350"})


def _tax_class() -> fields.String:
    return fields.String(load_default=STANDARD_TAX_CLASS, validate=validate.Regexp(
        TAX_CLASS_RE, error="1 to 32 lowercase letters, digits, - or _ (e.g. reduced)."),
        metadata={"description": "Which of the site's tax rates apply (e.g. reduced)"})


class CatalogStaffProductQuerySchema(CatalogProductQuerySchema):
    """The staff listing's parameters: the shop's but option filters (an unknown parameter is
    refused), and which products by state."""

    class Meta:
        unknown = ma.RAISE

    status = fields.String(load_default="active", validate=validate.OneOf(STATUSES),
                           metadata={"description": "active (the shop's listing), inactive or all"})


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
    weight = _weight()
    tax_class = _tax_class()


class CatalogProductPatchSchema(CatalogProductUpdateSchema):
    """A partial update (PATCH): only the fields sent change. ``isActive: false`` deactivates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class CatalogVariantInSchema(CamelSchema):
    id = fields.UUID(load_default=None, metadata={"description": "An existing variant's id (absent: a new variant)"})
    sku = text(100, required=True, blank=False)
    price = Money(load_default=None, allow_none=True, metadata={"description": "Absent: the product's price"})
    stock_quantity = fields.Integer(load_default=0, validate=_COUNT)
    low_stock_threshold = fields.Integer(load_default=5, validate=_COUNT)
    is_active = fields.Boolean(load_default=True)
    weight = _weight()
    tax_class = _tax_class()
    options = fields.Dict(keys=fields.String(validate=validate.Length(max=50)),
                          values=fields.String(validate=validate.Length(max=50)), load_default=dict,
                          metadata={"example": {"Size": "M", "Colour": "Red"}})


class CatalogVariantsSchema(CamelSchema):
    """The product's options and every variant it sells (variants left out are deleted)."""

    options = fields.List(fields.Nested(CatalogOptionSchema), load_default=list,
                          validate=validate.Length(max=MAX_OPTIONS))
    variants = fields.List(fields.Nested(CatalogVariantInSchema), load_default=list,
                           validate=validate.Length(max=MAX_VARIANTS))


class CatalogProductCreateSchema(CatalogProductUpdateSchema):
    """A new product; with ``options``, its ``variants`` too. Also the columns of a CSV import."""

    stock_quantity = fields.Integer(load_default=0, validate=_COUNT)
    options = fields.List(fields.Nested(CatalogOptionSchema), load_default=list,
                          validate=validate.Length(max=MAX_OPTIONS))
    variants = fields.List(fields.Nested(CatalogVariantInSchema), load_default=list,
                           validate=validate.Length(max=MAX_VARIANTS))


class CatalogImageUploadSchema(CamelSchema):
    """An upload (``multipart/form-data``): the file part and the fields sent with it."""

    text_input = True

    # Documents the file part; the view reads it from the request's files (webargs' form
    # location holds text fields only), so the value loaded here is never used.
    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary",
                                                   "description": "JPEG, PNG or WebP (checked by content); required"})

    alt = fields.String(load_default="", validate=validate.Length(max=300))
    position = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10_000))
    variant_id = fields.UUID(load_default=None, metadata={"description": "Show it for this variant"})


class CatalogStockAdjustmentSchema(CamelSchema):
    delta = fields.Integer(required=True, strict=True, validate=[_COUNT_CHANGE, validate.NoneOf([0])],
                           metadata={"example": -3, "not": {"enum": [0]}})
    reason = text(200, required=True, blank=False, metadata={"example": "damaged"})
    variant_id = fields.UUID(load_default=None, metadata={"description": "Required for a product with options"})


class CatalogStockMovementSchema(CamelSchema):
    variant_id = fields.UUID(allow_none=True)
    delta = fields.Integer(required=True)
    stock_after = fields.Integer(required=True)
    reason = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)


class CatalogImportUploadSchema(CamelSchema):
    """A CSV import (``multipart/form-data``): the file part, read by the view."""

    text_input = True

    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary",
                                                   "description": "A UTF-8 CSV with the columns of "
                                                                  "`commerce catalog import`; required"})


class CatalogImportReportSchema(CamelSchema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    errors = fields.List(fields.String(), required=True,
                         metadata={"description": "One line per rejected row: `line 7: price: …`"})


class CatalogImportRunSchema(CamelSchema):
    """A CSV import running in the background: poll it until ``state`` is done or failed."""

    id = fields.UUID(required=True)
    state = fields.String(required=True, metadata={"enum": ["queued", "running", "done", "failed"]})
    total_rows = fields.Integer(required=True, metadata={"description": "The file's rows after its header"})
    rows_done = fields.Integer(required=True, metadata={"description": "Rows read so far (written or rejected)"})
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    rejected = fields.Integer(required=True)
    errors = fields.List(fields.String(), required=True,
                         metadata={"description": "The first 1,000 rejected rows: `line N: field: message`"})
    failure = fields.String(allow_none=True, metadata={"description": "Why a failed run stopped"})
    created_at = fields.AwareDateTime(required=True)
    finished_at = fields.AwareDateTime(allow_none=True)


class CatalogCategoryRefSchema(CamelSchema):
    id = fields.UUID()
    name = fields.String()
    slug = fields.String()


class CatalogCategoryNodeSchema(CatalogCategoryRefSchema):
    description = fields.String()
    children = fields.List(fields.Nested(lambda: CatalogCategoryNodeSchema()))


class CatalogStaffCategoryNodeSchema(CatalogCategoryNodeSchema):
    """A node of the staff tree: inactive categories too, each with its state."""

    is_active = fields.Boolean()
    children = fields.List(fields.Nested(lambda: CatalogStaffCategoryNodeSchema()))


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
