"""The catalog's HTTP API: shopper reads (cached, with ETags) and merchant writes (``catalog:write``).

A product is addressed by id or by slug everywhere (``/api/products/{ref}``).
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID, uuid4

from flask import current_app, request, url_for
from flask_smorest import Blueprint

from kernel.domain.errors import TooLarge, ValidationFailed
from kernel.web.auth import current_user_id, login_required, permission_required, public
from kernel.web.problems import from_domain_error, from_http_exception
from kernel.web.schemas import PageQuerySchema
from plugins.catalog.bootstrap import catalog_media, catalog_service, catalog_settings, product_imports
from plugins.catalog.domain import CategoryData, ProductData, ProductQuery
from plugins.catalog.images import Image, is_url
from plugins.catalog.imaging import checked_upload
from plugins.catalog.rendering import RenderedJson, page_json, product_detail_json, rendered_json
from plugins.catalog.schemas import (
    CatalogCategoryDetailSchema,
    CatalogCategoryNodeSchema,
    CatalogCategoryPatchSchema,
    CatalogCategoryUpdateSchema,
    CatalogImageSchema,
    CatalogImageUploadSchema,
    CatalogImportReportSchema,
    CatalogImportRunSchema,
    CatalogImportUploadSchema,
    CatalogProductCreateSchema,
    CatalogProductDetailSchema,
    CatalogProductPageSchema,
    CatalogProductPatchSchema,
    CatalogProductQuerySchema,
    CatalogProductUpdateSchema,
    CatalogReviewInSchema,
    CatalogReviewPageSchema,
    CatalogReviewSchema,
    CatalogStaffCategoryNodeSchema,
    CatalogStaffProductQuerySchema,
    CatalogStockAdjustmentSchema,
    CatalogStockMovementSchema,
    CatalogVariantsSchema,
)
from plugins.catalog.variants import ProductOption, VariantData

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


def _urls(renditions) -> dict[str, str] | None:
    """Storage names as URLs (an imported image's URL stays as it is)."""
    if not renditions:
        return renditions
    media = catalog_media()
    return {name: ref if is_url(ref) else media.url(ref) for name, ref in renditions.items()}


def with_urls(product):
    """The product with URLs where its images keep storage names."""
    images = tuple(replace(image, renditions=_urls(image.renditions)) for image in product.images)
    return replace(product, card_image=_urls(product.card_image), images=images)


def render_page(page) -> RenderedJson:
    page = replace(page, items=[with_urls(product) for product in page.items])
    return rendered_json(page_json(page), current_app.json.dumps)


def render_product(product) -> RenderedJson:
    return rendered_json(product_detail_json(with_urls(product)), current_app.json.dumps)


def product_data(data: dict) -> ProductData:
    """The create body as ProductData (options and variants as domain values)."""
    options = tuple(ProductOption(o["name"], tuple(o["values"])) for o in data.pop("options", ()))
    variants = tuple(VariantData(**v) for v in data.pop("variants", ()))
    return ProductData(**data, options=options, variants=variants)


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
@blp.response(201, CatalogProductDetailSchema)
def create_product(data):
    """A new product; give ``options`` and ``variants`` to sell it in several (else one implicit variant)."""
    product = catalog_service().create_product(product_data(data))
    return with_urls(product), 201, {"Location": url_for("catalog.get_product", ref=str(product.id))}


@blp.route("/products/<ref>", methods=["GET"])
@public
@blp.response(200, CatalogProductDetailSchema)
def get_product(ref):
    """An active product, by id or slug, with its options, active variants and images."""
    return json_answer(catalog_service().product(product_ref(ref), render_product))


@blp.route("/admin/products", methods=["GET"])
@permission_required(WRITE)
@blp.arguments(CatalogStaffProductQuerySchema, location="query", as_kwargs=True)
@blp.response(200, CatalogProductPageSchema)
def list_products_for_staff(**query):
    """The listing for staff: as the shop's, with ``status`` to see inactive products too."""
    return json_answer(render_page(catalog_service().staff_products(ProductQuery(**query))))


@blp.route("/admin/products/<ref>", methods=["GET"])
@permission_required(WRITE)
@blp.response(200, CatalogProductDetailSchema)
def get_product_for_staff(ref):
    """A product by id or slug whatever its state, with every variant (inactive ones too) and image."""
    return with_urls(catalog_service().staff_product(product_ref(ref)))


@blp.route("/products/<ref>", methods=["PUT"])
@permission_required(WRITE)
@blp.arguments(CatalogProductUpdateSchema)
@blp.response(200, CatalogProductDetailSchema)
def replace_product(data, ref):
    """Full update (stock changes only through ``POST /products/{ref}/stock``; variants through
    ``PUT /products/{ref}/variants``)."""
    return with_urls(catalog_service().update_product(product_ref(ref), data))


@blp.route("/products/<ref>", methods=["PATCH"])
@permission_required(WRITE)
@blp.arguments(CatalogProductPatchSchema, required=False)
@blp.response(200, CatalogProductDetailSchema)
def patch_product(data, ref):
    """Partial update; ``{"isActive": false}`` deactivates (hidden from shoppers, kept for orders)."""
    return with_urls(catalog_service().update_product(product_ref(ref), data or {}))


@blp.route("/products/<ref>/variants", methods=["PUT"])
@permission_required(WRITE)
@blp.arguments(CatalogVariantsSchema)
@blp.response(200, CatalogProductDetailSchema)
def replace_variants(data, ref):
    """The product's options and every variant it sells: variants named by ``id`` are updated,
    others created, those left out deleted; ``stockQuantity`` is set through a recorded stock
    movement. Without options the product has its one implicit variant."""
    options = [ProductOption(o["name"], tuple(o["values"])) for o in data["options"]]
    variants = [VariantData(**v) for v in data["variants"]]
    return with_urls(catalog_service().set_variants(product_ref(ref), options, variants))


@blp.route("/products/<ref>", methods=["DELETE"])
@permission_required(WRITE)
@blp.response(204)
def delete_product(ref):
    """Delete for good (409 while order lines refer to it: deactivate instead)."""
    catalog_service().delete_product(product_ref(ref))


@blp.route("/products/<ref>/stock", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogStockAdjustmentSchema)
@blp.response(200, CatalogProductDetailSchema)
def adjust_stock(data, ref):
    """Add ``delta`` (negative to remove) to a variant's stock atomically (``variantId``; for a
    product without options leave it out); 409 if stock would go below zero."""
    return with_urls(catalog_service().adjust_stock(product_ref(ref), data["delta"], data["reason"],
                                                    data["variant_id"]))


@blp.route("/products/<ref>/stock", methods=["GET"])
@permission_required(WRITE)
@blp.response(200, CatalogStockMovementSchema(many=True))
def stock_movements(ref):
    """The product's latest 50 stock movements, newest first: adjustments with their reason,
    orders taking stock, cancellations putting it back, imports."""
    return catalog_service().stock_movements(product_ref(ref))


# --- images -----------------------------------------------------------------------


UPLOAD_FORM_ROOM = 64 * 1024  # the multipart envelope and the other fields
MAX_IMPORT_BYTES = 10 * 1024 * 1024  # larger catalogs go through `commerce catalog import`


def upload_limit() -> int | None:
    """The file size this request's endpoint accepts, if it takes a file."""
    return {"catalog.upload_image": lambda: catalog_settings()["max_image_bytes"],
            "catalog.import_products": lambda: MAX_IMPORT_BYTES,
            "catalog.start_import": lambda: MAX_IMPORT_BYTES}.get(request.endpoint, lambda: None)()


@blp.before_request
def room_for_uploads():
    """An upload may be larger than other bodies (images: [plugins.catalog] max_image_bytes)."""
    if (limit := upload_limit()) is not None:
        request.max_content_length = limit + UPLOAD_FORM_ROOM


@blp.errorhandler(413)
def upload_too_large(error):
    """A body over the limit is refused before it is read; for an upload, name the field."""
    if (limit := upload_limit()) is None:
        return from_http_exception(error)
    return from_domain_error(TooLarge(f"The upload is over {limit} bytes.", errors={"file": [f"At most {limit} bytes."]}))


@blp.route("/imports/products", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogImportUploadSchema, location="form", content_type="multipart/form-data")
@blp.response(200, CatalogImportReportSchema)
@blp.alt_response(413, description="The file is over 10 MiB (errors.file)")
def import_products(form):
    """Create or update (by SKU) products and variants from a CSV file, as ``commerce catalog
    import`` does: batch by batch, each its own transaction; bad rows are reported by line and
    skipped, the others written. A file with unknown or missing columns writes nothing (422)."""
    return catalog_service().import_csv(csv_upload().stream)


def csv_upload():
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed("Send the CSV as the form field 'file'.", errors={"file": ["Missing file."]})
    return upload


@blp.route("/admin/imports/products", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogImportUploadSchema, location="form", content_type="multipart/form-data")
@blp.response(202, CatalogImportRunSchema)
@blp.alt_response(413, description="The file is over 10 MiB (errors.file)")
def start_import(form):
    """Import a CSV as ``POST /imports/products`` does, in a background job: answers at once with
    the run (its ``Location``), whose progress ``GET /admin/imports/products/{id}`` tells. A file
    that is not UTF-8 CSV or has unknown or missing columns is refused at once (422)."""
    run = product_imports().start(csv_upload().read())
    return run, 202, {"Location": url_for("catalog.import_run", run_id=run.id)}


@blp.route("/admin/imports/products/<uuid:run_id>", methods=["GET"])
@permission_required(WRITE)
@blp.response(200, CatalogImportRunSchema)
def import_run(run_id: UUID):
    """A background import: rows done out of the total, created, updated and rejected counts,
    the rejected rows with their field and message."""
    return product_imports().status(run_id)


@blp.route("/products/<ref>/images", methods=["POST"])
@permission_required(WRITE)
@blp.arguments(CatalogImageUploadSchema, location="form", content_type="multipart/form-data")
@blp.response(201, CatalogImageSchema)
@blp.alt_response(413, description="The file is over [plugins.catalog] max_image_bytes (errors.file)")
def upload_image(form, ref):
    """Upload an image (``multipart/form-data``: ``file``, ``alt``, ``position``, ``variantId``).

    Checked by content (JPEG, PNG or WebP), size and pixel count; stored without metadata under
    a content-hash name. Its renditions (thumbnail, card, full) are made by a background job,
    so ``urls`` is empty in this answer and filled in the product's detail once it has run.
    """
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed("Send the image as the form field 'file'.", errors={"file": ["Missing file."]})
    settings = catalog_settings()
    checked = checked_upload(upload.read(settings["max_image_bytes"] + 1), max_bytes=settings["max_image_bytes"],
                             max_pixels=settings["max_image_pixels"])

    def store(product_id: UUID) -> Image:
        catalog_media().put(checked.name, checked.data, checked.content_type)
        return Image(id=uuid4(), product_id=product_id, variant_id=form["variant_id"], alt=form["alt"].strip(),
                     position=form["position"], original=checked.name, width=checked.width, height=checked.height)

    image = catalog_service().add_image(product_ref(ref), store, form["variant_id"])
    return replace(image, renditions=_urls(image.renditions)), 201


@blp.route("/products/<ref>/images/<uuid:image_id>", methods=["DELETE"])
@permission_required(WRITE)
@blp.response(204)
def delete_image(ref, image_id: UUID):
    catalog_service().delete_image(product_ref(ref), image_id)


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


@blp.route("/admin/categories", methods=["GET"])
@permission_required(WRITE)
@blp.response(200, CatalogStaffCategoryNodeSchema(many=True))
def staff_category_tree():
    """Every category as a tree, inactive ones too, each with ``isActive`` (staff)."""
    return catalog_service().staff_category_tree()


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
