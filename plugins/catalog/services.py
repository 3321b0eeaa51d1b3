"""The catalog's use cases, and the kernel's catalog port for the cart and orders.

Reads go through the cache port (a failing cache is a miss); every write invalidates
what it changed once its transaction commits: the product's detail keys are deleted
and the listing generation is bumped, so every cached listing becomes a miss at once.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, BinaryIO, TypeVar
from uuid import UUID

from kernel.domain.errors import Conflict, NotFound, ValidationFailed
from kernel.domain.events import StockLow
from kernel.domain.ports.cache import CachePort
from kernel.domain.ports.catalog import CatalogPort, InsufficientStock, ProductSnapshot, Shortage, StockLine
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.unit_of_work import UnitOfWork
from plugins.catalog.bulk_import import UNREADABLE, ImportReport, ImportRow, run_import, unreadable
from plugins.catalog.domain import (
    MAX_STOCK,
    CatalogRepository,
    Category,
    CategoryData,
    CategoryView,
    Page,
    Product,
    ProductData,
    ProductQuery,
    Review,
    StockChange,
    StockMovement,
    category_tree,
    category_view,
    check_review,
    descendant_ids,
)
from plugins.catalog.images import Image
from plugins.catalog.variants import ProductOption, Variant, VariantData, validated_options, validated_variants

GENERATION = "catalog"  # the cache namespace of listings and categories
CATEGORY_GENERATION = "catalog-categories"  # of product details: a product shows its category's slug
DETAIL_TIMEOUT = 600
LISTING_TIMEOUT = 300
RENDITIONS_TASK = "catalog.make_renditions"

Answer = TypeVar("Answer")  # what a read's ``render`` makes of the domain value; the cache keeps that


class CatalogCache:
    """Key scheme and invalidation of the catalog's cached reads.

    Keys carry no generation: each entry keeps the generation of its namespace it was built
    for, and a hit reads that generation and the entry in one round trip (``get_many``). An
    entry built for another generation is a miss, so a bump still invalidates the whole namespace.
    """

    CATEGORIES_KEY = "catalog:categories"

    def __init__(self, cache: CachePort, uow: UnitOfWork | None = None):
        self._cache = cache
        self._uow = uow  # for invalidation; reads need none

    @staticmethod
    def product_key(ref: UUID | str) -> str:
        kind = "product" if isinstance(ref, UUID) else "product-slug"
        return f"catalog:{kind}:{ref}"

    @staticmethod
    def listing_key(query: ProductQuery) -> str:
        return f"catalog:products:{hashlib.sha256(repr(query).encode()).hexdigest()[:32]}"

    def _lookup(self, key: str, namespace: str) -> tuple[int, Any]:
        """``namespace``'s current generation, and the value under ``key`` if it was built for it."""
        generation, entry = self._cache.get_many(self._cache.generation_key(namespace), key)
        generation = generation or 0
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == generation:
            return generation, entry[1]
        return generation, None

    def cached_listing(self, query: ProductQuery):
        """The answer cached for a validated listing query, or ``None``."""
        return self._lookup(self.listing_key(query), GENERATION)[1]

    def cached_product(self, ref: UUID | str):
        """The answer cached for an active product's detail, or ``None``."""
        return self._lookup(self.product_key(ref), CATEGORY_GENERATION)[1]

    def read(self, key: str, namespace: str, load, timeout: int):
        """The value under ``key`` if it was built for ``namespace``'s current generation, else ``load()``
        (stored when not ``None``)."""
        generation, value = self._lookup(key, namespace)
        if value is not None:
            return value
        value = load()
        if value is not None:
            self._cache.set(key, (generation, value), timeout=timeout)
        return value

    def invalidate_after_commit(self, *refs: UUID | str, categories: bool = False) -> None:
        """Forget these products' details (by id and by slug) and every listing once the
        transaction commits; with ``categories`` every product detail too."""

        keys = [self.product_key(ref) for ref in refs]
        namespaces = [CATEGORY_GENERATION, GENERATION] if categories else [GENERATION]
        self._uow.after_commit(lambda: self._cache.forget(keys, namespaces))


class CatalogService:
    """Use cases of shoppers and merchants. Each write is one unit of work."""

    def __init__(self, repository: CatalogRepository, uow: UnitOfWork, cache: CachePort, jobs: JobQueue | None = None):
        self.repo = repository
        self.uow = uow
        self.cache = CatalogCache(cache, uow)
        self.jobs = jobs

    # --- shopper reads -----------------------------------------------------

    def active_categories(self) -> list[Category]:
        return self.cache.read(self.cache.CATEGORIES_KEY, GENERATION, lambda: self.repo.categories(active_only=True),
                               LISTING_TIMEOUT)

    def category_tree(self) -> list[Category]:
        return category_tree(self.active_categories())

    def staff_category_tree(self) -> list[Category]:
        """Every category, inactive ones too (with their subcategories), for staff; not cached."""
        with self.uow:
            return category_tree(self.repo.categories(active_only=False))

    def category(self, slug: str) -> CategoryView:
        view = category_view(self.active_categories(), slug)
        if view is None:
            raise NotFound(f"No category {slug!r}.")
        return view

    def list_products(self, query: ProductQuery, render: Callable[[Page], Answer]) -> Answer:
        """The page rendered by ``render``; cached rendered, so a hit skips unpickling and rendering."""
        query = query.validated()
        return self.cache.read(self.cache.listing_key(query), GENERATION, lambda: render(self._list(query)),
                               LISTING_TIMEOUT)

    def staff_products(self, query: ProductQuery) -> Page:
        """A listing for staff, inactive products too when ``query.status`` asks (never cached)."""
        with self.uow:
            return self._list(query.validated())

    def staff_product(self, ref: UUID | str) -> Product:
        """A product whatever its state, with every variant (inactive ones too) and image."""
        with self.uow:
            return self._existing(ref, detail=True)

    def _list(self, query: ProductQuery) -> Page:
        category_ids = None
        if query.category is not None:
            flat = self.active_categories()
            root = next((c for c in flat if c.slug == query.category), None)
            if root is None:
                raise ValidationFailed(f"Unknown category {query.category!r}.",
                                       errors={"category": [f"No category {query.category!r}."]})
            category_ids = descendant_ids(flat, root.id)
        return self.repo.list_products(query, category_ids)

    def product(self, ref: UUID | str, render: Callable[[Product], Answer]) -> Answer:
        """An active product with its active variants and images, rendered by ``render`` and cached
        rendered like listing pages."""

        def load():
            product = self.repo.product(ref, active_only=True, detail=True)
            return None if product is None else render(product)

        answer = self.cache.read(self.cache.product_key(ref), CATEGORY_GENERATION, load, DETAIL_TIMEOUT)
        if answer is None:
            raise NotFound(f"No product {str(ref)!r}.")
        return answer

    def reviews(self, ref: UUID | str, page: int, page_size: int) -> Page:
        return self.repo.reviews(self._existing(ref, active_only=True).id, page, page_size)

    def add_review(self, ref: UUID | str, user_id: UUID, rating: int, text: str) -> Review:
        check_review(rating, text)
        with self.uow:
            product = self._existing(ref, active_only=True)
            review = self.repo.add_review(uuid.uuid4(), product.id, user_id, rating, text.strip())
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()
        return review

    # --- merchant: products -------------------------------------------------

    def low_stock(self) -> list[tuple[Product, Variant]]:
        return self.repo.low_stock()

    def _existing(self, ref: UUID | str, *, active_only: bool = False, detail: bool = False) -> Product:
        product = self.repo.product(ref, active_only=active_only, detail=detail)
        if product is None:
            raise NotFound(f"No product {str(ref)!r}.")
        return product

    def _category_id(self, slug: str | None) -> UUID | None:
        if slug is None:
            return None
        category = self.repo.category_by_slug(slug)
        if category is None:
            raise ValidationFailed(f"Unknown category {slug!r}.", errors={"category": [f"No category {slug!r}."]})
        return category.id

    def create_product(self, data: ProductData) -> Product:
        """A new product; with ``options``, its ``variants`` too (else its implicit variant)."""
        data = data.validated()
        product_id = uuid.uuid4()
        with self.uow:
            self.repo.save_product(product_id, data, self._category_id(data.category), new=True)
            if data.options:
                self._save_variants(product_id, data.sku, data.options, data.variants, "created")
            self.cache.invalidate_after_commit()
            self.uow.commit()
        return self._existing(product_id, detail=True)

    def update_product(self, ref: UUID | str, changes: dict[str, Any]) -> Product:
        """Apply ``changes`` (ProductData field names) to the product; a full update passes every field.

        A changed ``low_stock_threshold`` applies to every variant; ``weight`` and ``tax_class``
        belong to the implicit variant (a product with options has them per variant)."""
        with self.uow:
            before = self._existing(ref, detail=True)  # the implicit variant's weight and tax class
            data = replace(before.data(), **changes).validated()
            self.repo.save_product(before.id, data, self._category_id(data.category), new=False)
            if data.low_stock_threshold != before.low_stock_threshold:
                self.repo.set_thresholds(before.id, data.low_stock_threshold)
            self.cache.invalidate_after_commit(before.id, before.slug)
            self.uow.commit()
        return self._existing(before.id, detail=True)

    def set_variants(self, ref: UUID | str, options: Sequence[ProductOption], variants: Sequence[VariantData]) -> Product:
        """Replace the product's options and variants (matched by id; stock set through movements).

        Without options the product goes back to one implicit variant."""
        with self.uow:
            product = self._existing(ref)
            self._save_variants(product.id, product.sku, options, variants, "variants")
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()
        return self._existing(product.id, detail=True)

    def _save_variants(self, product_id: UUID, sku: str, options, variants, reason: str) -> None:
        options = validated_options(options)
        variants = validated_variants(product_id, sku, options, variants)
        publish_low_stock(self.uow, self.repo.save_variants(product_id, options, variants, reason))

    def delete_product(self, ref: UUID | str) -> None:
        with self.uow:
            product = self._existing(ref)
            self.repo.delete_product(product.id)
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()

    def adjust_stock(self, ref: UUID | str, delta: int, reason: str, variant_id: UUID | None = None) -> Product:
        """Add ``delta`` to a variant's stock (the implicit one when ``variant_id`` is absent)."""
        if delta == 0:
            raise ValidationFailed("A stock adjustment needs a non-zero delta.", errors={"delta": ["Must not be 0."]})
        if not reason.strip():
            raise ValidationFailed("Say why the stock changes.", errors={"reason": ["Must not be blank."]})
        with self.uow:
            product = self._existing(ref, detail=True)
            variant = next((each for each in product.variants if each.id == (variant_id or product.id)), None)
            if variant is None:
                field = "variantId" if variant_id or product.options else "delta"
                raise ValidationFailed(f"Name one of the variants of {product.sku}.",
                                       errors={field: ["Must be the id of one of this product's variants."]})
            if variant.stock_quantity + delta > MAX_STOCK:
                raise ValidationFailed(f"Stock of {variant.sku} cannot go over {MAX_STOCK}.",
                                       errors={"delta": [f"Must be at most {MAX_STOCK - variant.stock_quantity}."]})
            change = self.repo.adjust_stock(variant.id, delta, reason.strip())
            if change is None:
                raise Conflict(f"Stock of {variant.sku} cannot go below zero (it is {variant.stock_quantity}).",
                               errors={"delta": [f"Must be at least {-variant.stock_quantity}."]})
            publish_low_stock(self.uow, [change])
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()
        return self._existing(product.id, detail=True)

    def stock_movements(self, ref: UUID | str, limit: int = 50) -> list[StockMovement]:
        """The product's latest stock movements (inactive products too: staff look back)."""
        with self.uow:
            return self.repo.stock_movements(self._existing(ref).id, limit)

    def import_csv(self, data: BinaryIO,
                   progress: Callable[[ImportReport], None] = lambda report: None) -> ImportReport:
        """Import a CSV file given as bytes, calling ``progress`` after each batch; a file that is
        not UTF-8 CSV or whose header is wrong is refused naming the field ``file`` (batches
        already written stay written)."""
        report = ImportReport()
        try:
            run_import(io.TextIOWrapper(data, encoding="utf-8-sig", newline=""), self.import_batch, report, progress)
        except UNREADABLE as exc:
            raise unreadable(exc) from None
        return report

    def import_batch(self, rows: list[ImportRow], report: ImportReport) -> None:
        """One batch of an import in one unit of work (``plugins.catalog.bulk_import``)."""
        with self.uow:
            category_ids = {category.slug: category.id for category in self.repo.categories(active_only=False)}
            known = []
            for row in rows:
                if row.product.category is not None and row.product.category not in category_ids:
                    report.errors.append(f"line {row.line}: category: No category {row.product.category!r}.")
                else:
                    known.append(row)
            outcome = self.repo.import_batch(known, category_ids)
            publish_low_stock(self.uow, outcome.changes)
            self.cache.invalidate_after_commit(*outcome.touched)
            self.uow.commit()
        report.created += outcome.created
        report.updated += outcome.updated
        report.errors += outcome.errors

    # --- merchant: images ---------------------------------------------------------

    def add_image(self, ref: UUID | str, upload: Callable[[UUID], Image], variant_id: UUID | None) -> Image:
        """Store an uploaded image (``upload`` checks and stores its file) and queue its renditions."""
        with self.uow:
            product = self._existing(ref, detail=True)
            if variant_id is not None and variant_id not in {each.id for each in product.variants}:
                raise ValidationFailed("No such variant of this product.",
                                       errors={"variantId": ["Must be the id of one of this product's variants."]})
            image = upload(product.id)
            self.repo.add_image(image)
            self.jobs.enqueue(RENDITIONS_TASK, str(image.id))
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()
        return image

    def make_renditions(self, image_id: UUID, render: Callable[[Image], dict[str, str]]) -> None:
        """The job: ``render`` makes and stores the renditions; idempotent (a gone image is skipped)."""
        with self.uow:
            image = self.repo.image(image_id)
            if image is None:
                return
            self.repo.set_renditions(image.id, render(image))
            product = self._existing(image.product_id)
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()

    def delete_image(self, ref: UUID | str, image_id: UUID) -> None:
        with self.uow:
            product = self._existing(ref)
            image = self.repo.image(image_id)
            if image is None or image.product_id != product.id:
                raise NotFound(f"No image {image_id} of this product.")
            self.repo.delete_image(image_id)
            self.cache.invalidate_after_commit(product.id, product.slug)
            self.uow.commit()

    # --- merchant: categories --------------------------------------------------

    def _existing_category(self, slug: str) -> Category:
        category = self.repo.category_by_slug(slug)
        if category is None:
            raise NotFound(f"No category {slug!r}.")
        return category

    def create_category(self, data: CategoryData) -> CategoryView:
        data = data.validated()
        with self.uow:
            parent_id = self._parent_id(data.parent)
            self.repo.save_category(uuid.uuid4(), data, parent_id, new=True)
            self.cache.invalidate_after_commit()
            self.uow.commit()
        return self._category_view(data.slug)

    def update_category(self, slug: str, changes: dict[str, Any]) -> CategoryView:
        with self.uow:
            category = self._existing_category(slug)
            flat = self.repo.categories(active_only=False)
            parent_slug = next((c.slug for c in flat if c.id == category.parent_id), None)
            data = replace(category.data(parent_slug), **changes).validated()
            parent_id = self._parent_id(data.parent)
            if parent_id is not None and parent_id in descendant_ids(flat, category.id):
                raise ValidationFailed("A category cannot move below itself.",
                                       errors={"parent": ["Must not be the category itself or one of its subcategories."]})
            self.repo.save_category(category.id, data, parent_id, new=False)
            self.cache.invalidate_after_commit(categories=True)  # products show their category's slug
            self.uow.commit()
        return self._category_view(data.slug)

    def delete_category(self, slug: str) -> None:
        with self.uow:
            category = self._existing_category(slug)
            if self.repo.category_in_use(category.id):
                raise Conflict(f"Category {slug!r} still has products or subcategories; move or delete them first.")
            self.repo.delete_category(category.id)
            self.cache.invalidate_after_commit(categories=True)
            self.uow.commit()

    def _parent_id(self, parent_slug: str | None) -> UUID | None:
        if parent_slug is None:
            return None
        parent = self.repo.category_by_slug(parent_slug)
        if parent is None:
            raise ValidationFailed(f"Unknown parent category {parent_slug!r}.",
                                   errors={"parent": [f"No category {parent_slug!r}."]})
        return parent.id

    def _category_view(self, slug: str) -> CategoryView:
        view = category_view(self.repo.categories(active_only=False), slug)
        assert view is not None, slug
        return view

    # --- demo data -----------------------------------------------------------

    def seed(self, categories: Sequence[CategoryData], products: Sequence[ProductData],
             pictures: Callable[[UUID, ProductData], list[Image]] = lambda product_id, data: []) -> bool:
        """Fill an empty catalog (categories parents first) with products, their variants and the
        images ``pictures`` makes for each; False when it already has products."""
        with self.uow:
            if self.repo.list_products(ProductQuery(page_size=1).validated(), None).total_count:
                return False
            ids: dict[str, UUID] = {}
            for data in categories:
                data = data.validated()
                ids[data.slug] = uuid.uuid4()
                self.repo.save_category(ids[data.slug], data, ids.get(data.parent), new=True)
            rows = []
            for data in products:
                product_id = uuid.uuid4()
                data = data.validated()
                if data.options:
                    options = validated_options(data.options)
                    data = replace(data, options=tuple(options),
                                   variants=tuple(validated_variants(product_id, data.sku, options, data.variants)))
                rows.append((product_id, data, ids.get(data.category)))
            self.repo.add_products(rows)
            for product_id, data, _ in rows:
                for image in pictures(product_id, data):
                    self.repo.add_image(image)
            self.cache.invalidate_after_commit()
            self.uow.commit()
        return True


def publish_low_stock(uow: UnitOfWork, changes: Iterable[StockChange]) -> None:
    for change in changes:
        if change.crossed_low:
            uow.publish(StockLow(product_id=change.product_id, sku=change.sku, name=change.name,
                                 stock_quantity=change.after, threshold=change.threshold))


def _quantities(lines: Sequence[StockLine]) -> dict[UUID, int]:
    totals: Counter[UUID] = Counter()
    for line in lines:
        if not isinstance(line.quantity, int) or line.quantity < 1:
            raise ValidationFailed("Quantities must be whole numbers of 1 or more.",
                                   errors={"quantity": [f"Must be at least 1 (variant {line.variant_id})."]})
        totals[line.variant_id] += line.quantity
    return dict(totals)


class CatalogStock(CatalogPort):
    """The kernel's catalog port. Works inside the caller's transaction and never commits."""

    def __init__(self, repository: CatalogRepository, uow: UnitOfWork, cache: CachePort):
        self.repo = repository
        self.uow = uow
        self.cache = CatalogCache(cache, uow)

    def products(self, ids: Iterable[UUID]) -> dict[UUID, ProductSnapshot]:
        return {snapshot.id: snapshot for snapshot in self.repo.snapshots(set(ids))}

    def unknown_categories(self, ids: Iterable[UUID]) -> set[UUID]:
        return self.repo.unknown_categories(ids)

    def reserve_stock(self, lines: Sequence[StockLine]) -> None:
        quantities = _quantities(lines)
        if not quantities:
            return
        changes, short = self.repo.take_stock(quantities, "reserved")
        if short:
            raise InsufficientStock([Shortage(variant_id, quantities[variant_id], available)
                                     for variant_id, available in sorted(short.items())])
        self._changed(changes)

    def release_stock(self, lines: Sequence[StockLine]) -> None:
        quantities = _quantities(lines)
        if quantities:
            self._changed(self.repo.return_stock(quantities, "released"))

    def _changed(self, changes: list[StockChange]) -> None:
        publish_low_stock(self.uow, changes)
        self.cache.invalidate_after_commit(*(ref for c in changes for ref in (c.product_id, c.slug)))
