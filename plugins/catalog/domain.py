"""The catalog's entities, rules and the repository port its use cases talk to (plain Python).

Error dictionaries name fields as the API and the CSV import do (camelCase), so a
rule broken anywhere reaches the client under the name the client sent.
"""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from kernel.domain.errors import ValidationFailed
from kernel.domain.ports.catalog import ProductSnapshot
from kernel.domain.pricing import STANDARD_TAX_CLASS

if TYPE_CHECKING:  # these modules build on this one: here their names are annotations only
    from plugins.catalog.bulk_import import ImportRow
    from plugins.catalog.images import Image
    from plugins.catalog.variants import ProductOption, Variant, VariantData

MAX_PRICE = Decimal("9999999999.99")  # NUMERIC(12, 2)
MAX_PAGE_SIZE = 100
MAX_STOCK = 2_147_483_647  # an INTEGER column
STATUSES = ("active", "inactive", "all")  # which products a staff listing shows
SORTS = {"price": "asc", "name": "asc", "newest": "desc", "rating": "desc", "relevance": "desc"}


def slugify(text: str) -> str:
    """``"Café & Bar 2"`` -> ``"cafe-bar-2"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:255]


def fallback_slug(kind: str) -> str:
    """For a name with no letter or digit in it ("???"): a slug must not be empty."""
    return f"{kind}-{uuid4().hex[:8]}"


SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _text_errors(errors: dict, name: str, value: str | None, *, required: bool, max_length: int) -> None:
    if value is None or not value.strip():
        if required:
            errors[name] = ["Must not be blank."]
    elif len(value) > max_length:
        errors[name] = [f"Longer than {max_length} characters."]


def _slug_errors(errors: dict, value: str | None) -> None:
    if value is not None and not SLUG_RE.match(value):
        errors["slug"] = ["Use lowercase letters, digits and single hyphens (e.g. 'blue-mug')."]


def price_errors(price: Decimal | None) -> list[str]:
    if price is None:
        return ["Missing data for required field."]
    if not price.is_finite():
        return ["Not a number."]
    if price < 0:
        return ["Must not be negative."]
    if price > MAX_PRICE:
        return [f"Must be at most {MAX_PRICE}."]
    if price.as_tuple().exponent < -2:
        return ["At most 2 decimal places."]
    return []


@dataclass(frozen=True)
class ProductData:
    """What a merchant writes about a product (everything but ids, stock history and ratings)."""

    name: str
    sku: str
    price: Decimal
    slug: str | None = None
    description: str = ""
    stock_quantity: int = 0
    low_stock_threshold: int = 5
    is_active: bool = True
    category: str | None = None  # a category slug
    options: tuple[ProductOption, ...] = ()
    variants: tuple[VariantData, ...] = ()  # none: the implicit variant (stock, threshold, weight, tax class)
    weight: Decimal | None = None  # the implicit variant's, kg per unit
    tax_class: str = STANDARD_TAX_CLASS

    def validated(self) -> ProductData:
        """This data with a slug, or :class:`ValidationFailed` naming every broken field."""
        errors: dict[str, list[str]] = {}
        _text_errors(errors, "name", self.name, required=True, max_length=255)
        _text_errors(errors, "sku", self.sku, required=True, max_length=100)
        _text_errors(errors, "slug", self.slug, required=False, max_length=255)
        if "slug" not in errors:
            _slug_errors(errors, self.slug)
        if problems := price_errors(self.price):
            errors["price"] = problems
        for name, value in (("stockQuantity", self.stock_quantity), ("lowStockThreshold", self.low_stock_threshold)):
            if value < 0:
                errors[name] = ["Must not be negative."]
        if errors:
            raise ValidationFailed("The product is not valid: " + ", ".join(sorted(errors)), errors=errors)
        return replace(self, name=self.name.strip(), sku=self.sku.strip(),
                       slug=self.slug or slugify(self.name) or slugify(self.sku) or fallback_slug("product"))


@dataclass(frozen=True)
class Product:
    """A product as shoppers and merchants read it (with its category and rating).

    ``stock_quantity`` is the stock of its active variants together and ``low_stock_threshold``
    the lowest of theirs: for a product without options, its one variant's. ``variants`` and
    ``images`` are loaded for the detail only; a listing carries the price range and the first
    image's renditions (``card_image``).
    """

    id: UUID
    name: str
    slug: str
    sku: str
    description: str
    price: Decimal
    currency: str
    stock_quantity: int
    low_stock_threshold: int
    is_active: bool
    category_id: UUID | None
    category: str | None  # slug
    category_name: str | None
    average_rating: Decimal | None
    review_count: int
    created_at: datetime
    updated_at: datetime
    options: tuple[ProductOption, ...] = ()
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    card_image: Mapping[str, str] | None = None  # rendition -> storage key or URL
    variants: tuple[Variant, ...] = ()
    images: tuple[Image, ...] = ()

    @property
    def in_stock(self) -> bool:
        return self.stock_quantity > 0

    def data(self) -> ProductData:
        """The writable part, e.g. as the base of a partial update (variants are written apart)."""
        implicit = next((variant for variant in self.variants if variant.id == self.id), None)
        return ProductData(name=self.name, sku=self.sku, price=self.price, slug=self.slug,
                           description=self.description, stock_quantity=self.stock_quantity,
                           low_stock_threshold=self.low_stock_threshold, is_active=self.is_active,
                           category=self.category, weight=implicit.weight if implicit else None,
                           tax_class=implicit.tax_class if implicit else STANDARD_TAX_CLASS)


@dataclass(frozen=True)
class CategoryData:
    name: str
    slug: str | None = None
    description: str = ""
    parent: str | None = None  # the parent's slug
    is_active: bool = True

    def validated(self) -> CategoryData:
        errors: dict[str, list[str]] = {}
        _text_errors(errors, "name", self.name, required=True, max_length=255)
        _text_errors(errors, "slug", self.slug, required=False, max_length=255)
        if "slug" not in errors:
            _slug_errors(errors, self.slug)
        if self.parent is not None and self.parent == (self.slug or slugify(self.name)):
            errors["parent"] = ["A category cannot be its own parent."]
        if errors:
            raise ValidationFailed("The category is not valid: " + ", ".join(sorted(errors)), errors=errors)
        return replace(self, name=self.name.strip(), slug=self.slug or slugify(self.name) or fallback_slug("category"))


@dataclass(frozen=True)
class Category:
    id: UUID
    name: str
    slug: str
    description: str
    parent_id: UUID | None
    is_active: bool
    children: tuple[Category, ...] = ()

    def data(self, parent_slug: str | None) -> CategoryData:
        return CategoryData(name=self.name, slug=self.slug, description=self.description, parent=parent_slug,
                            is_active=self.is_active)


@dataclass(frozen=True)
class CategoryView:
    """One category with its parent, its path from the root and its direct children."""

    category: Category
    parent: str | None
    path: tuple[Category, ...]


def category_tree(flat: Iterable[Category]) -> list[Category]:
    """Nest categories (sorted by name at every level); orphans of inactive parents are dropped."""
    by_parent: dict[UUID | None, list[Category]] = {}
    for category in flat:
        by_parent.setdefault(category.parent_id, []).append(category)

    def build(parent_id: UUID | None) -> list[Category]:
        return [replace(c, children=tuple(build(c.id))) for c in sorted(by_parent.get(parent_id, []), key=lambda c: c.name)]

    return build(None)


def category_view(flat: Sequence[Category], slug: str) -> CategoryView | None:
    by_id = {c.id: c for c in flat}
    found = next((c for c in flat if c.slug == slug), None)
    if found is None:
        return None
    path, node = [], found
    while node is not None:
        path.append(node)
        node = by_id.get(node.parent_id)
    children = tuple(sorted((c for c in flat if c.parent_id == found.id), key=lambda c: c.name))
    parent = by_id.get(found.parent_id)
    return CategoryView(replace(found, children=children), parent.slug if parent else None, tuple(reversed(path)))


def descendant_ids(flat: Iterable[Category], root: UUID) -> set[UUID]:
    """The ids of ``root`` and everything below it."""
    children: dict[UUID | None, list[UUID]] = {}
    for category in flat:
        children.setdefault(category.parent_id, []).append(category.id)
    found, todo = set(), [root]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


@dataclass(frozen=True)
class Review:
    id: UUID
    product_id: UUID
    user_id: UUID
    author: str
    rating: int
    text: str
    created_at: datetime


def check_review(rating: int, text: str) -> None:
    errors = {}
    if not 1 <= rating <= 5:
        errors["rating"] = ["Must be between 1 and 5."]
    if len(text) > 5000:
        errors["text"] = ["Longer than 5000 characters."]
    if errors:
        raise ValidationFailed("The review is not valid: " + ", ".join(sorted(errors)), errors=errors)


def crossed_low_stock(before: int, after: int, threshold: int) -> bool:
    """True only for the change that takes stock from above the threshold to at or below it."""
    return before > threshold >= after


@dataclass(frozen=True)
class ProductQuery:
    """A shopper's listing request (already parsed); also the listing's cache key."""

    page: int = 1
    page_size: int = 10
    category: str | None = None
    q: str | None = None
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None
    sort: str | None = None
    order: str | None = None
    option_values: tuple[tuple[str, str], ...] = ()  # ?size=M -> (("size", "m"),), sorted
    status: str = "active"  # shoppers see active products only; staff may ask for inactive or all

    def validated(self) -> ProductQuery:
        errors: dict[str, list[str]] = {}
        if self.min_price is not None and (problems := price_errors(self.min_price)):
            errors["minPrice"] = problems
        if self.max_price is not None and (problems := price_errors(self.max_price)):
            errors["maxPrice"] = problems
        if not errors and None not in (self.min_price, self.max_price) and self.min_price > self.max_price:
            errors["minPrice"] = ["Must not be above maxPrice."]
        q = (self.q or "").strip() or None
        sort = self.sort or ("relevance" if q else "newest")
        if sort not in SORTS:
            errors["sort"] = [f"Must be one of: {', '.join(SORTS)}."]
        elif sort == "relevance" and not q:
            errors["sort"] = ["Sorting by relevance needs a search text (q)."]
        if self.status not in STATUSES:
            errors["status"] = [f"Must be one of: {', '.join(STATUSES)}."]
        if self.order not in (None, "asc", "desc"):
            errors["order"] = ["Must be one of: asc, desc."]
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            errors["pageSize"] = [f"Must be between 1 and {MAX_PAGE_SIZE}."]
        if self.page < 1:
            errors["page"] = ["Must be 1 or more."]
        if errors:
            raise ValidationFailed("Invalid listing parameters: " + ", ".join(sorted(errors)), errors=errors)
        return replace(self, q=q, sort=sort, order=self.order or SORTS[sort])

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class Page:
    items: list = field(default_factory=list)
    total_count: int = 0
    page: int = 1
    page_size: int = 10


@dataclass(frozen=True)
class StockChange:
    variant_id: UUID
    product_id: UUID
    slug: str
    sku: str
    name: str
    before: int
    after: int
    threshold: int

    @property
    def crossed_low(self) -> bool:
        return crossed_low_stock(self.before, self.after, self.threshold)


@dataclass(frozen=True)
class StockMovement:
    """One recorded change of a variant's stock, and why (an adjustment, an order, an import)."""

    variant_id: UUID | None
    delta: int
    stock_after: int
    reason: str
    created_at: datetime


@dataclass
class ImportOutcome:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)  # "line 7: slug: ..."
    changes: list[StockChange] = field(default_factory=list)
    touched: set = field(default_factory=set)  # ids and slugs of the products written


class CatalogRepository(ABC):
    """Persistence of the catalog, as the use cases need it. Methods never commit."""

    # --- categories
    @abstractmethod
    def categories(self, *, active_only: bool) -> list[Category]: ...

    @abstractmethod
    def category_by_slug(self, slug: str) -> Category | None: ...

    @abstractmethod
    def save_category(self, category_id: UUID, data: CategoryData, parent_id: UUID | None, *, new: bool) -> None:
        """Insert or update; raises ``Conflict`` (field ``slug``) for a taken slug."""

    @abstractmethod
    def category_in_use(self, category_id: UUID) -> bool:
        """Whether products or subcategories still point at the category."""

    @abstractmethod
    def delete_category(self, category_id: UUID) -> None: ...

    # --- products
    @abstractmethod
    def product(self, ref: UUID | str, *, active_only: bool, detail: bool = False) -> Product | None:
        """By id, or by slug when ``ref`` is a string; ``detail`` loads its variants and images
        (shoppers see active variants only when ``active_only``)."""

    @abstractmethod
    def product_by_sku(self, sku: str) -> Product | None: ...

    @abstractmethod
    def snapshots(self, ids: Iterable[UUID]) -> list[ProductSnapshot]:
        """The variants ``ids`` as the cart and checkout see them, active or not, in one query
        of the variant and product rows only (no listing aggregates); each carries its product's
        category and the categories above it (for promotions on a category)."""

    @abstractmethod
    def unknown_categories(self, ids: Iterable[UUID]) -> set[UUID]:
        """Those of ``ids`` that name no category."""

    @abstractmethod
    def low_stock(self) -> list[tuple[Product, Variant]]:
        """Active variants of active products at or below their threshold, lowest stock first."""

    @abstractmethod
    def list_products(self, query: ProductQuery, category_ids: set[UUID] | None) -> Page: ...

    @abstractmethod
    def save_product(self, product_id: UUID, data: ProductData, category_id: UUID | None, *, new: bool) -> None:
        """Insert or update; raises ``Conflict`` (field ``sku`` or ``slug``) when taken.

        A new product gets its implicit variant (stock and threshold from ``data``); an update
        carries a changed SKU over to it.
        """

    @abstractmethod
    def set_thresholds(self, product_id: UUID, threshold: int) -> None:
        """Give every variant of the product this low-stock threshold."""

    @abstractmethod
    def save_variants(self, product_id: UUID, options: Sequence[ProductOption], variants: Sequence[VariantData],
                      reason: str) -> list[StockChange]:
        """Make these the product's options and variants: matched by id, others deleted, new ones
        inserted; stock set to each variant's quantity through recorded movements. Raises
        ``Conflict`` (field ``variants[i].sku``) for a SKU another variant has."""

    @abstractmethod
    def add_products(self, rows: Sequence[tuple[UUID, ProductData, UUID | None]]) -> None:
        """Insert many products with their variants at once (seeding and benchmarks)."""

    @abstractmethod
    def delete_product(self, product_id: UUID) -> None:
        """Raises ``Conflict`` when other records (order lines) still refer to it."""

    @abstractmethod
    def import_batch(self, rows: Sequence[ImportRow], category_ids: Mapping[str, UUID]) -> ImportOutcome:
        """Create or update (by SKU) the products and variants of ``rows`` in a few set-based
        statements; stock set through recorded ``import`` movements. Rows whose slug or variant
        SKU belongs to another product are refused, the others written."""

    # --- stock (by variant)
    @abstractmethod
    def adjust_stock(self, variant_id: UUID, delta: int, reason: str) -> StockChange | None:
        """Add ``delta`` atomically unless stock would go below zero (then None, nothing changed)."""

    @abstractmethod
    def stock_movements(self, product_id: UUID, limit: int) -> list[StockMovement]:
        """The product's latest stock movements, newest first."""

    @abstractmethod
    def take_stock(self, quantities: dict[UUID, int], reason: str) -> tuple[list[StockChange], dict[UUID, int]]:
        """Lock the variants in id order; take every quantity, or none when any is short.

        Returns the changes made, and the available stock of each short variant (then
        nothing changed). Unknown or inactive variants (or products) count as having none.
        """

    @abstractmethod
    def return_stock(self, quantities: dict[UUID, int], reason: str) -> list[StockChange]: ...

    # --- images
    @abstractmethod
    def add_image(self, image: Image) -> None: ...

    @abstractmethod
    def image(self, image_id: UUID) -> Image | None: ...

    @abstractmethod
    def set_renditions(self, image_id: UUID, renditions: Mapping[str, str]) -> None: ...

    @abstractmethod
    def delete_image(self, image_id: UUID) -> None: ...

    # --- reviews
    @abstractmethod
    def reviews(self, product_id: UUID, page: int, page_size: int) -> Page: ...

    @abstractmethod
    def add_review(self, review_id: UUID, product_id: UUID, user_id: UUID, rating: int, text: str) -> Review:
        """Insert and refresh the product's rating; raises ``Conflict`` on a second review by the user."""
