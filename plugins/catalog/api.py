"""The catalog's HTTP API: shopper reads (cached, with ETags) and merchant writes (``catalog:write``).

A product is addressed by id or by slug everywhere (``/api/products/{ref}``).
"""

from __future__ import annotations

from uuid import UUID

from flask import current_app, request, url_for
from flask_smorest import Blueprint

from kernel.web.auth import current_user_id, login_required, permission_required, public
from kernel.web.schemas import PageQuerySchema
from plugins.catalog.bootstrap import catalog_service
from plugins.catalog.domain import CategoryData, ProductData, ProductQuery
from plugins.catalog.rendering import RenderedJson, page_json, product_json, rendered_json
from plugins.catalog.schemas import (
    CatalogCategoryDetailSchema,
    CatalogCategoryNodeSchema,
    CatalogCategoryPatchSchema,
    CatalogCategoryUpdateSchema,
    CatalogProductCreateSchema,
    CatalogProductPageSchema,
    CatalogProductPatchSchema,
    CatalogProductQuerySchema,
    CatalogProductSchema,
    CatalogProductUpdateSchema,
    CatalogReviewInSchema,
    CatalogReviewPageSchema,
    CatalogReviewSchema,
    CatalogStockAdjustmentSchema,
)

WRITE = "catalog:write"
CACHE_CONTROL = "public, max-age=0, must-revalidate"  # browsers revalidate (cheap 304s), so no change is missed
# Schema instances, not classes: given a class, webargs builds a new schema on every request of the hot reads.
PRODUCT_QUERY = CatalogProductQuerySchema()
PAGE_QUERY = PageQuerySchema()

blp = Blueprint("catalog", __name__, url_prefix="/api", description="Products, categories, reviews and stock")


@blp.after_request
def conditional_get(response):
    """ETag and Cache-Control on successful reads; ``If-None-Match`` gets a 304 without a body."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.headers["Cache-Control"] = CACHE_CONTROL
        response.add_etag()
        response.make_conditional(request)
    return response


def json_answer(answer: RenderedJson):
    response = current_app.response_class(answer.body, mimetype="application/json")
    response.set_etag(answer.etag)  # computed once when the answer was cached
    return response


def render_page(page) -> RenderedJson:
    return rendered_json(page_json(page), current_app.json.dumps)


def render_product(product) -> RenderedJson:
    return rendered_json(product_json(product), current_app.json.dumps)


def product_ref(value: str) -> UUID | str:
    try:
        return UUID(value)
    except ValueError:
        return value


# --- products -------------------------------------------------------------------


@blp.route("/products", methods=["GET"])
@public
@blp.arguments(PRODUCT_QUERY, location="query", as_kwargs=True)
@blp.response(200, CatalogProductPageSchema)
def list_products(**query):
    """Active products, filtered, searched, sorted and paged."""
    return json_answer(catalog_service().list_products(ProductQuery(**query), render_page))


@blp.route("/products", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogProductCreateSchema)
@blp.response(201, CatalogProductSchema)
def create_product(data):
    product = catalog_service().create_product(ProductData(**data))
    return product, 201, {"Location": url_for("catalog.get_product", ref=str(product.id))}


@blp.route("/products/<ref>", methods=["GET"])
@public
@blp.response(200, CatalogProductSchema)
def get_product(ref):
    """An active product, by id or slug."""
    return json_answer(catalog_service().product(product_ref(ref), render_product))


@blp.route("/products/<ref>", methods=["PUT"])
@permission_required(WRITE)
@blp.arguments(CatalogProductUpdateSchema)
@blp.response(200, CatalogProductSchema)
def replace_product(data, ref):
    """Full update (stock changes only through ``POST /products/{ref}/stock``)."""
    return catalog_service().update_product(product_ref(ref), data)


@blp.route("/products/<ref>", methods=["PATCH"])
@permission_required(WRITE)
@blp.arguments(CatalogProductPatchSchema, required=False)
@blp.response(200, CatalogProductSchema)
def patch_product(data, ref):
    """Partial update; ``{"isActive": false}`` deactivates (hidden from shoppers, kept for orders)."""
    return catalog_service().update_product(product_ref(ref), data or {})


@blp.route("/products/<ref>", methods=["DELETE"])
@permission_required(WRITE)
@blp.response(204)
def delete_product(ref):
    """Delete for good (409 while order lines refer to it: deactivate instead)."""
    catalog_service().delete_product(product_ref(ref))


@blp.route("/products/<ref>/stock", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogStockAdjustmentSchema)
@blp.response(200, CatalogProductSchema)
def adjust_stock(data, ref):
    """Add ``delta`` (negative to remove) atomically; 409 if stock would go below zero."""
    return catalog_service().adjust_stock(product_ref(ref), data["delta"], data["reason"])


# --- reviews ---------------------------------------------------------------------


@blp.route("/products/<ref>/reviews", methods=["GET"])
@public
@blp.arguments(PAGE_QUERY, location="query", as_kwargs=True)
@blp.response(200, CatalogReviewPageSchema)
def list_reviews(ref, page, page_size):
    return catalog_service().reviews(product_ref(ref), page, page_size)


@blp.route("/products/<ref>/reviews", methods=["POST"])
@login_required
@blp.arguments(CatalogReviewInSchema)
@blp.response(201, CatalogReviewSchema)
def add_review(data, ref):
    """One review per signed-in customer and product (a second one is 409)."""
    return catalog_service().add_review(product_ref(ref), current_user_id(), data["rating"], data["text"])


# --- categories ------------------------------------------------------------------


@blp.route("/categories", methods=["GET"])
@public
@blp.response(200, CatalogCategoryNodeSchema(many=True))
def category_tree():
    """The active categories as a tree (sorted by name at every level)."""
    return catalog_service().category_tree()


@blp.route("/categories", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogCategoryUpdateSchema)
@blp.response(201, CatalogCategoryDetailSchema)
def create_category(data):
    view = catalog_service().create_category(CategoryData(**data))
    return view, 201, {"Location": url_for("catalog.get_category", slug=view.category.slug)}


@blp.route("/categories/<slug>", methods=["GET"])
@public
@blp.response(200, CatalogCategoryDetailSchema)
def get_category(slug):
    return catalog_service().category(slug)


@blp.route("/categories/<slug>", methods=["PUT"])
@permission_required(WRITE)
@blp.arguments(CatalogCategoryUpdateSchema)
@blp.response(200, CatalogCategoryDetailSchema)
def replace_category(data, slug):
    return catalog_service().update_category(slug, data)


@blp.route("/categories/<slug>", methods=["PATCH"])
@permission_required(WRITE)
@blp.arguments(CatalogCategoryPatchSchema, required=False)
@blp.response(200, CatalogCategoryDetailSchema)
def patch_category(data, slug):
    return catalog_service().update_category(slug, data or {})


@blp.route("/categories/<slug>", methods=["DELETE"])
@permission_required(WRITE)
@blp.response(204)
def delete_category(slug):
    """409 while products or subcategories are in it."""
    catalog_service().delete_category(slug)
