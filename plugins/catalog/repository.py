"""The catalog repository on SQLAlchemy Core: a constant number of statements per call.

Listing: one ``COUNT`` and one page query (the category subtree comes from the cached
category list). Search: PostgreSQL full text on the GIN-indexed ``tsvector`` expression,
``LIKE`` on every word on SQLite. Stock: a conditional ``UPDATE`` for adjustments, rows
locked in id order (``SELECT ... ORDER BY id FOR UPDATE``) for reservations.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from types import SimpleNamespace
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.domain.errors import Conflict
from kernel.domain.ports.catalog import ProductSnapshot
from kernel.infrastructure.db import metadata
from plugins.catalog.domain import (
    MAX_STOCK,
    CatalogRepository,
    Category,
    CategoryData,
    ImportOutcome,
    Page,
    Product,
    ProductData,
    ProductQuery,
    Review,
    StockChange,
    StockMovement,
)
from plugins.catalog.images import RENDITIONS, Image
from plugins.catalog.orm import (
    SEARCH_CONFIG,
    categories,
    product_images,
    product_reviews,
    product_variants,
    products,
    search_document,
    stock_movements,
)
from plugins.catalog.variants import ProductOption, Variant, VariantData, option_key

p, c, r, v, im = products, categories, product_reviews, product_variants, product_images
INSERT_CHUNK = 1000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """A value in PostgreSQL's ``COPY`` text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_COPY_ESCAPES)


CENTS = Decimal("0.01")


def _of_product(column, *conditions):
    """A correlated aggregate over the product's active variants."""
    return (sa.select(column).where(v.c.product_id == p.c.id, v.c.is_active.is_(True), *conditions)
            .correlate(p).scalar_subquery())


EFFECTIVE_PRICE = sa.func.coalesce(v.c.price, p.c.price)
PRICE_MIN = _of_product(sa.func.min(EFFECTIVE_PRICE))
CARD_IMAGE = (sa.select(im.c.renditions).where(im.c.product_id == p.c.id).order_by(im.c.position, im.c.created_at, im.c.id)
              .limit(1).correlate(p).scalar_subquery())
PRODUCT_COLUMNS = [
    *p.c, c.c.slug.label("category_slug"), c.c.name.label("category_name"),
    sa.func.coalesce(_of_product(sa.func.sum(v.c.stock_quantity)), 0).label("stock_quantity"),
    sa.func.coalesce(_of_product(sa.func.min(v.c.low_stock_threshold)), 0).label("low_stock_threshold"),
    PRICE_MIN.label("price_min"), _of_product(sa.func.max(EFFECTIVE_PRICE)).label("price_max"),
    CARD_IMAGE.label("card_image"),
]


def _aware(moment: datetime) -> datetime:
    """SQLite returns its ``now()`` defaults without a zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _money(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(CENTS)


def _options(value) -> tuple[ProductOption, ...]:
    return tuple(ProductOption(option["name"], tuple(option["values"])) for option in value or ())


def _product(row, currency: str, variants: tuple[Variant, ...] = (), images: tuple[Image, ...] = ()) -> Product:
    return Product(
        id=row.id, name=row.name, slug=row.slug, sku=row.sku, description=row.description,
        price=Decimal(row.price).quantize(Decimal("0.01")), currency=currency, stock_quantity=row.stock_quantity,
        low_stock_threshold=row.low_stock_threshold, is_active=row.is_active, category_id=row.category_id,
        category=row.category_slug, category_name=row.category_name,
        average_rating=None if row.rating_average is None else Decimal(row.rating_average).quantize(Decimal("0.01")),
        review_count=row.rating_count, created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
        options=_options(row.options), price_min=_money(row.price_min), price_max=_money(row.price_max),
        card_image=row.card_image or None, variants=variants, images=images,
    )


def _variant(row, product_price) -> Variant:
    own = _money(row.price)
    return Variant(id=row.id, product_id=row.product_id, sku=row.sku, price=own if own is not None else _money(product_price),
                   own_price=own, stock_quantity=row.stock_quantity, low_stock_threshold=row.low_stock_threshold,
                   is_active=row.is_active, options=dict(row.options or {}), position=row.position,
                   weight=row.weight, tax_class=row.tax_class)


def _image(row) -> Image:
    return Image(id=row.id, product_id=row.product_id, variant_id=row.variant_id, alt=row.alt, position=row.position,
                 original=row.original, width=row.width, height=row.height, renditions=dict(row.renditions or {}),
                 created_at=_aware(row.created_at))


def implicit_variant(product_id: UUID, data: ProductData) -> VariantData:
    """The one variant of a product without options: the product's id and SKU, its stock and the rest."""
    return VariantData(sku=data.sku, stock_quantity=data.stock_quantity, low_stock_threshold=data.low_stock_threshold,
                       id=product_id, weight=data.weight, tax_class=data.tax_class)


def variant_values(product_id: UUID, position: int, variant: VariantData, options: Sequence[ProductOption]) -> dict:
    """A ``product_variants`` row (option values in the product's option order)."""
    ordered = {option.name: variant.options[option.name] for option in options if option.name in variant.options}
    return dict(id=variant.id, product_id=product_id, sku=variant.sku, price=variant.price,
                stock_quantity=variant.stock_quantity, low_stock_threshold=variant.low_stock_threshold,
                is_active=variant.is_active, options=ordered, option_key=option_key(ordered), position=position,
                weight=variant.weight, tax_class=variant.tax_class)


def options_json(options: Sequence[ProductOption]) -> list[dict]:
    return [{"name": option.name, "values": list(option.values)} for option in options]


def _merged_options(options: Sequence[ProductOption], values: Iterable[tuple[str, str]]) -> tuple[ProductOption, ...]:
    """``options`` with each (name, value) added where missing, in the order first seen."""
    merged = {option.name.lower(): option for option in options}
    for name, value in values:
        option = merged.get(name.lower(), ProductOption(name, ()))
        if value.lower() not in {known.lower() for known in option.values}:
            option = ProductOption(option.name, (*option.values, value))
        merged[name.lower()] = option
    return tuple(merged.values())


def _category(row) -> Category:
    return Category(id=row.id, name=row.name, slug=row.slug, description=row.description, parent_id=row.parent_id,
                    is_active=row.is_active)


def _escaped(text: str) -> str:
    """``text`` for a ``LIKE`` pattern with ``\\`` as the escape character."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_pattern(word: str) -> str:
    return f"%{_escaped(word.lower())}%"


def _category_ancestors() -> sa.CTE:
    """(category_id, ancestor) for every category and each category above it, itself included."""
    tree = sa.select(c.c.id.label("category_id"), c.c.id.label("ancestor")).cte("category_tree", recursive=True)
    up = sa.alias(c)
    return tree.union_all(sa.select(tree.c.category_id, up.c.parent_id)
                          .join(up, up.c.id == tree.c.ancestor).where(up.c.parent_id.is_not(None)))


# The statements of a checkout's stock reservation, built once: a statement object keeps its cache
# key, so SQLAlchemy neither rebuilds the query nor keys it again on every call (building and
# keying the ancestors' CTE was a tenth of a checkout's own CPU time).
_ABOVE = _category_ancestors()
_SNAPSHOTS = (sa.select(v.c.id, v.c.sku, v.c.price, v.c.stock_quantity, v.c.options, v.c.product_id, v.c.weight,
                        v.c.tax_class, (v.c.is_active & p.c.is_active).label("on_sale"), p.c.name, p.c.slug,
                        p.c.price.label("product_price"), _ABOVE.c.ancestor)
              .select_from(v.join(p, v.c.product_id == p.c.id).outerjoin(_ABOVE, _ABOVE.c.category_id == p.c.category_id))
              .where(v.c.id.in_(sa.bindparam("ids", expanding=True))))
_LOCKED = (sa.select(v.c.id, v.c.product_id, p.c.slug, v.c.sku, p.c.name, v.c.stock_quantity, v.c.low_stock_threshold,
                     sa.and_(v.c.is_active, p.c.is_active).label("is_active"))
           .select_from(v.join(p, p.c.id == v.c.product_id))
           .where(v.c.id.in_(sa.bindparam("ids", expanding=True))).order_by(v.c.id).with_for_update(of=v))
_MOVE_STOCK = (sa.update(v).where(v.c.id == sa.bindparam("vid"))
               .values(stock_quantity=v.c.stock_quantity + sa.bindparam("delta"), updated_at=sa.func.now()))
_ADD_MOVEMENTS = sa.insert(stock_movements)


class SqlCatalogRepository(CatalogRepository):
    def __init__(self, session, currency: str):
        self.session = session
        self.currency = currency

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    def _execute(self, statement, params=None):
        return self.session.execute(statement, params)

    # --- categories ---------------------------------------------------------

    def categories(self, *, active_only: bool) -> list[Category]:
        query = sa.select(c).order_by(c.c.name)
        if active_only:
            query = query.where(c.c.is_active.is_(True))
        return [_category(row) for row in self._execute(query)]

    def category_by_slug(self, slug: str) -> Category | None:
        row = self._execute(sa.select(c).where(c.c.slug == slug)).first()
        return _category(row) if row else None

    def save_category(self, category_id: UUID, data: CategoryData, parent_id: UUID | None, *, new: bool) -> None:
        taken = self._execute(sa.select(c.c.id).where(c.c.slug == data.slug, c.c.id != category_id)).first()
        if taken:
            raise Conflict(f"Category slug {data.slug!r} is taken.", errors={"slug": ["Already used by another category."]})
        values = dict(name=data.name, slug=data.slug, description=data.description, parent_id=parent_id,
                      is_active=data.is_active)
        if new:
            statement = sa.insert(c).values(id=category_id, **values)
        else:
            statement = sa.update(c).where(c.c.id == category_id).values(updated_at=sa.func.now(), **values)
        self._write(statement, f"Category slug {data.slug!r} is taken.")

    def category_in_use(self, category_id: UUID) -> bool:
        children = sa.select(c.c.id).where(c.c.parent_id == category_id)
        items = sa.select(p.c.id).where(p.c.category_id == category_id)
        return bool(self._execute(sa.select(sa.or_(sa.exists(children), sa.exists(items)))).scalar())

    def delete_category(self, category_id: UUID) -> None:
        self._write(sa.delete(c).where(c.c.id == category_id), "The category is still in use.")

    # --- products -------------------------------------------------------------

    def _select_products(self):
        return sa.select(*PRODUCT_COLUMNS).select_from(p.outerjoin(c, p.c.category_id == c.c.id))

    def product(self, ref: UUID | str, *, active_only: bool, detail: bool = False) -> Product | None:
        query = self._select_products().where(p.c.id == ref if isinstance(ref, UUID) else p.c.slug == ref)
        if active_only:
            query = query.where(p.c.is_active.is_(True))
        row = self._execute(query).first()
        if row is None:
            return None
        if not detail:
            return _product(row, self.currency)
        variants = sa.select(v).where(v.c.product_id == row.id).order_by(v.c.position, v.c.sku)
        if active_only:
            variants = variants.where(v.c.is_active.is_(True))
        images = sa.select(im).where(im.c.product_id == row.id).order_by(im.c.position, im.c.created_at, im.c.id)
        return _product(row, self.currency, tuple(_variant(each, row.price) for each in self._execute(variants)),
                        tuple(_image(each) for each in self._execute(images)))

    def product_by_sku(self, sku: str) -> Product | None:
        row = self._execute(self._select_products().where(p.c.sku == sku)).first()
        return _product(row, self.currency) if row else None

    def snapshots(self, ids: Iterable[UUID]) -> list[ProductSnapshot]:
        ids = list(ids)
        if not ids:
            return []
        query, params = _SNAPSHOTS, {"ids": ids}
        rows: dict[UUID, list] = {}
        for row in self._execute(query, params):  # one row per category above the product's (one without any)
            rows.setdefault(row.id, []).append(row)
        return [ProductSnapshot(id=row.id, sku=row.sku, name=row.name, slug=row.slug,
                                unit_price=_money(row.product_price if row.price is None else row.price),
                                currency=self.currency, stock_quantity=row.stock_quantity, is_active=bool(row.on_sale),
                                product_id=row.product_id, options=tuple((row.options or {}).items()),
                                category_ids=frozenset(each.ancestor for each in same if each.ancestor),
                                weight=row.weight, tax_class=row.tax_class)
                for row, same in ((same[0], same) for same in rows.values())]

    def unknown_categories(self, ids: Iterable[UUID]) -> set[UUID]:
        ids = set(ids)
        return ids - set(self._execute(sa.select(c.c.id).where(c.c.id.in_(ids))).scalars()) if ids else set()

    def _with_variant(self, row) -> tuple[Product, Variant]:
        variant = SimpleNamespace(**{column.name: getattr(row, f"v_{column.name}") for column in v.c})
        return _product(row, self.currency), _variant(variant, row.price)

    def low_stock(self) -> list[tuple[Product, Variant]]:
        query = (sa.select(*PRODUCT_COLUMNS, *(column.label(f"v_{column.name}") for column in v.c))
                 .select_from(p.join(v, v.c.product_id == p.c.id).outerjoin(c, p.c.category_id == c.c.id))
                 .where(p.c.is_active.is_(True), v.c.is_active.is_(True), v.c.stock_quantity <= v.c.low_stock_threshold)
                 .order_by(v.c.stock_quantity, v.c.sku))
        return [self._with_variant(row) for row in self._execute(query)]

    def _search_condition(self, text: str):
        words = text.split()
        on_variants = sa.and_(*(v.c.option_key.like(f"%={_escaped(word.lower())}|%", escape="\\") for word in words))
        variant_match = p.c.id.in_(sa.select(v.c.product_id).where(
            v.c.is_active.is_(True), sa.or_(sa.func.lower(v.c.sku) == text.strip().lower(), on_variants)))
        if self._postgres:
            return sa.or_(search_document().op("@@")(self._tsquery(text)), variant_match)
        return sa.or_(sa.and_(*(sa.or_(sa.func.lower(p.c.name).like(pattern, escape="\\"),
                                       sa.func.lower(p.c.description).like(pattern, escape="\\"))
                                for pattern in map(_like_pattern, words))), variant_match)

    @staticmethod
    def _tsquery(text: str):
        return sa.func.websearch_to_tsquery(sa.text(f"'{SEARCH_CONFIG}'::regconfig"), text)

    def _order(self, query: ProductQuery) -> list:
        descending = query.order == "desc"
        if query.sort == "relevance":
            if not self._postgres:  # no ranking without full-text search
                return [p.c.created_at.desc(), p.c.id]
            column = sa.func.ts_rank(search_document(), self._tsquery(query.q))
        else:
            column = {"price": PRICE_MIN, "name": p.c.name, "newest": p.c.created_at,
                      "rating": p.c.rating_average}[query.sort]
        ordered = column.desc() if descending else column.asc()
        return [ordered.nulls_last() if query.sort in ("rating", "price") else ordered, p.c.id]

    def list_products(self, query: ProductQuery, category_ids: set[UUID] | None) -> Page:
        conditions = {"active": [p.c.is_active.is_(True)], "inactive": [p.c.is_active.is_(False)],
                      "all": []}[query.status]
        if category_ids is not None:
            conditions.append(p.c.category_id.in_(sorted(category_ids)))
        variant_conditions = []
        if query.min_price is not None:
            variant_conditions.append(EFFECTIVE_PRICE >= query.min_price)
        if query.max_price is not None:
            variant_conditions.append(EFFECTIVE_PRICE <= query.max_price)
        for name, value in query.option_values:
            variant_conditions.append(v.c.option_key.like(f"%|{_escaped(name)}={_escaped(value)}|%", escape="\\"))
        if query.in_stock:
            variant_conditions.append(v.c.stock_quantity > 0)
        if variant_conditions:  # one active variant must meet them all
            conditions.append(sa.exists().where(v.c.product_id == p.c.id, v.c.is_active.is_(True), *variant_conditions))
        if query.in_stock is False:
            conditions.append(~sa.exists().where(v.c.product_id == p.c.id, v.c.is_active.is_(True),
                                                 v.c.stock_quantity > 0))
        if query.q:
            conditions.append(self._search_condition(query.q))
        total = self._execute(sa.select(sa.func.count()).select_from(p).where(*conditions)).scalar_one()
        items = []
        if total > query.offset:
            rows = self._execute(self._select_products().where(*conditions).order_by(*self._order(query))
                                 .limit(query.page_size).offset(query.offset))
            items = [_product(row, self.currency) for row in rows]
        return Page(items=items, total_count=total, page=query.page, page_size=query.page_size)

    def _product_values(self, data: ProductData, category_id: UUID | None) -> dict:
        return dict(name=data.name, slug=data.slug, sku=data.sku, description=data.description, price=data.price,
                    is_active=data.is_active, category_id=category_id)

    def _check_taken(self, product_id: UUID, data: ProductData) -> None:
        for column, value, field in ((p.c.sku, data.sku, "sku"), (p.c.slug, data.slug, "slug")):
            if self._execute(sa.select(p.c.id).where(column == value, p.c.id != product_id)).first():
                raise Conflict(f"Another product already has {field} {value!r}.",
                               errors={field: ["Already used by another product."]})
        if self._execute(sa.select(v.c.id).where(v.c.sku == data.sku, v.c.product_id != product_id)).first():
            raise Conflict(f"A variant of another product already has SKU {data.sku!r}.",
                           errors={"sku": ["Already used by a variant of another product."]})

    def save_product(self, product_id: UUID, data: ProductData, category_id: UUID | None, *, new: bool) -> None:
        self._check_taken(product_id, data)
        values = self._product_values(data, category_id)
        conflict = "Another product already has this SKU or slug."
        if new:
            self._write(sa.insert(p).values(id=product_id, **values), conflict)
            self._write(sa.insert(v).values(variant_values(product_id, 0, implicit_variant(product_id, data), ())),
                        conflict)
            return
        self._write(sa.update(p).where(p.c.id == product_id).values(updated_at=sa.func.now(), **values), conflict)
        self._write(sa.update(v).where(v.c.id == product_id)  # the implicit variant, if it has one
                    .values(sku=data.sku, weight=data.weight, tax_class=data.tax_class), conflict)

    def set_thresholds(self, product_id: UUID, threshold: int) -> None:
        self._execute(sa.update(v).where(v.c.product_id == product_id)
                      .values(low_stock_threshold=threshold, updated_at=sa.func.now()))

    def save_variants(self, product_id: UUID, options: Sequence[ProductOption], variants: Sequence[VariantData],
                      reason: str) -> list[StockChange]:
        for index, variant in enumerate(variants):
            taken = sa.select(v.c.id).where(v.c.sku == variant.sku, v.c.id != variant.id)
            other_product = sa.select(p.c.id).where(p.c.sku == variant.sku, p.c.id != product_id)
            if self._execute(taken).first() or self._execute(other_product).first():
                raise Conflict(f"SKU {variant.sku!r} is taken.", errors={f"variants[{index}].sku": ["Already used."]})
        before = {row.id: row for row in self._execute(sa.select(v).where(v.c.product_id == product_id).with_for_update())}
        keep = [variant.id for variant in variants]
        self._execute(sa.delete(v).where(v.c.product_id == product_id, v.c.id.not_in(keep)))
        product = self._execute(sa.select(p.c.slug, p.c.name).where(p.c.id == product_id)).one()
        changes = []
        for position, variant in enumerate(variants):
            values = variant_values(product_id, position, variant, options)
            old = before.get(variant.id)
            if old is None:
                self._write(sa.insert(v).values(values), f"SKU {variant.sku!r} is taken.")
            else:
                self._write(sa.update(v).where(v.c.id == variant.id).values(updated_at=sa.func.now(), **values),
                            f"SKU {variant.sku!r} is taken.")
            was = old.stock_quantity if old is not None else 0
            if was != variant.stock_quantity:
                changes.append(StockChange(variant.id, product_id, product.slug, variant.sku, product.name, was,
                                           variant.stock_quantity, variant.low_stock_threshold))
        self._execute(sa.update(p).where(p.c.id == product_id)
                      .values(options=options_json(options), updated_at=sa.func.now()))
        self._record(changes, reason)
        return changes

    def add_products(self, rows: Sequence[tuple[UUID, ProductData, UUID | None]]) -> None:
        product_rows, variant_rows = [], []
        for product_id, data, category_id in rows:
            product_rows.append(dict(id=product_id, options=options_json(data.options),
                                     **self._product_values(data, category_id)))
            variants = data.variants or (implicit_variant(product_id, data),)
            variant_rows += [variant_values(product_id, position, variant, data.options)
                             for position, variant in enumerate(variants)]
        for table, values in ((p, product_rows), (v, variant_rows)):
            for start in range(0, len(values), INSERT_CHUNK):
                self._execute(sa.insert(table), values[start:start + INSERT_CHUNK])

    def delete_product(self, product_id: UUID) -> None:
        self._write(sa.delete(p).where(p.c.id == product_id),
                    "Other records (such as order lines) refer to this product; deactivate it instead.")

    def _write(self, statement, conflict: str) -> None:
        try:
            self._execute(statement)
        except IntegrityError as exc:  # a race lost to a concurrent writer, or a foreign key
            raise Conflict(conflict) from exc

    # --- import -------------------------------------------------------------------

    def import_batch(self, rows: Sequence, category_ids: Mapping[str, UUID]) -> ImportOutcome:
        outcome = ImportOutcome()
        skus = {row.product.sku for row in rows}
        known = {r.sku: r for r in self._execute(sa.select(p.c.id, p.c.sku, p.c.slug, p.c.name, p.c.options)
                                                  .where(p.c.sku.in_(skus)))}
        slug_owner = {r.slug: r.sku for r in self._execute(sa.select(p.c.slug, p.c.sku)
                                                            .where(p.c.slug.in_({row.product.slug for row in rows})))}
        variant_skus = {row.variant_sku or row.product.sku for row in rows}
        variants_before = {r.sku: r for r in self._execute(
            sa.select(v.c.id, v.c.sku, v.c.product_id, v.c.stock_quantity).where(v.c.sku.in_(variant_skus)))}
        products_rows: dict[str, dict] = {}
        kept = []
        for row in rows:
            data = row.product
            product_id = known[data.sku].id if data.sku in known else products_rows.get(data.sku, {}).get("id", uuid4())
            owner = slug_owner.get(data.slug)
            if owner is not None and owner != data.sku:
                outcome.errors.append(f"line {row.line}: slug: {data.slug!r} is already used by another product.")
                continue
            variant_before = variants_before.get(row.variant_sku or data.sku)
            if variant_before is not None and variant_before.product_id != product_id:
                column = "variantSku" if row.variant_sku else "sku"
                outcome.errors.append(f"line {row.line}: {column}: {row.key!r} is a variant of another product.")
                continue
            slug_owner[data.slug] = data.sku
            if data.sku not in products_rows:
                options = _options(known[data.sku].options) if data.sku in known else ()
                products_rows[data.sku] = dict(id=product_id, options=options,
                                               **self._product_values(data, category_ids.get(data.category)))
            if row.options:
                products_rows[data.sku]["options"] = _merged_options(products_rows[data.sku]["options"], row.options)
            kept.append((row, product_id, variant_before))
        if not kept:
            return outcome
        self._upsert(p, [dict(values, options=options_json(values["options"])) for values in products_rows.values()],
                     ("name", "slug", "description", "price", "is_active", "category_id", "options"))
        with_variants = {product_id for row, product_id, _ in kept if row.variant_sku}
        if with_variants:  # a product sold in variants no longer has its implicit one
            self._execute(sa.delete(v).where(v.c.id.in_(with_variants)))
        variant_rows = []
        for row, product_id, before in kept:
            if row.variant_sku:
                variant = replace(implicit_variant(before.id if before else uuid4(), row.product),
                                  sku=row.variant_sku, options=dict(row.options), price=row.variant_price)
            else:
                variant = implicit_variant(product_id, row.product)
            variant_rows.append(variant_values(product_id, 0, variant, products_rows[row.product.sku]["options"]))
            stock_before = before.stock_quantity if before else 0
            if before is not None:
                outcome.updated += 1
            else:
                outcome.created += 1
            if before is not None and stock_before != variant.stock_quantity:  # a new one starts with its stock
                outcome.changes.append(StockChange(variant.id, product_id, row.product.slug, variant.sku,
                                                   row.product.name, stock_before, variant.stock_quantity,
                                                   variant.low_stock_threshold))
            outcome.touched |= {product_id, row.product.slug}
        self._upsert(v, variant_rows, ("price", "stock_quantity", "low_stock_threshold", "options", "option_key",
                                       "weight", "tax_class"))
        self._record(outcome.changes, "import")
        self._import_images(kept)
        return outcome

    def _import_images(self, kept) -> None:
        wanted = [(product_id, url) for row, product_id, _ in kept for url in row.image_urls]
        if not wanted:
            return
        have = {(row.product_id, row.original) for row in self._execute(
            sa.select(im.c.product_id, im.c.original).where(im.c.product_id.in_({pid for pid, _ in wanted})))}
        new = [dict(id=uuid4(), product_id=pid, original=url, alt="", position=position,
                    renditions={name: url for name in RENDITIONS})
               for position, (pid, url) in enumerate(dict.fromkeys(wanted)) if (pid, url) not in have]
        if new:
            self._execute(sa.insert(im), new)

    def _upsert(self, table: sa.Table, rows: list[dict], updated: Sequence[str]) -> None:
        """Insert ``rows`` or update those whose SKU exists. An upsert is not batched by
        SQLAlchemy's executemany, so the rows go to the driver directly (converted by the columns'
        own bind processors): on PostgreSQL ``COPY`` into a staging table dropped at commit, then
        one ``INSERT … SELECT … ON CONFLICT``; on SQLite ``executemany``."""
        if not rows:
            return
        connection = self.session.connection()
        dialect = connection.dialect
        columns = list(rows[0])
        convert = [table.c[name].type._cached_bind_processor(dialect) or (lambda value: value) for name in columns]
        values = [tuple(to(row[name]) for to, name in zip(convert, columns, strict=True)) for row in rows]
        names = ", ".join(columns)
        assignments = ", ".join(f"{name} = excluded.{name}" for name in updated)
        tail = f" ON CONFLICT (sku) DO UPDATE SET {assignments}, updated_at = CURRENT_TIMESTAMP"
        cursor = connection.connection.cursor()
        try:
            if self._postgres:
                staging = f"import_{table.name}"
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
                               f"SELECT {names} FROM {table.name} WITH NO DATA")
                cursor.copy_expert(f"COPY {staging} ({names}) FROM STDIN", io.StringIO(
                    "".join("\t".join(map(_copy_text, row)) + "\n" for row in values)))
                cursor.execute(f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {staging}{tail}")
                cursor.execute(f"TRUNCATE {staging}")
            else:
                cursor.executemany(f"INSERT INTO {table.name} ({names}) VALUES "
                                   f"({', '.join('?' * len(columns))}){tail}", values)
        finally:
            cursor.close()

    # --- stock --------------------------------------------------------------------

    def _record(self, changes: list[StockChange], reason: str) -> None:
        """Each movement stamped to the microsecond (SQLite's ``now()`` has whole seconds), so the
        history lists them in the order they happened."""
        if changes:
            at = datetime.now(UTC)
            self._execute(_ADD_MOVEMENTS, [
                dict(id=uuid4(), product_id=ch.product_id, variant_id=ch.variant_id, delta=ch.after - ch.before,
                     stock_after=ch.after, reason=reason, created_at=at) for ch in changes])

    def stock_movements(self, product_id: UUID, limit: int) -> list[StockMovement]:
        m = stock_movements.c
        rows = self._execute(sa.select(m.variant_id, m.delta, m.stock_after, m.reason, m.created_at)
                             .where(m.product_id == product_id).order_by(m.created_at.desc(), m.id).limit(limit))
        return [StockMovement(**row._mapping) for row in rows]

    def adjust_stock(self, variant_id: UUID, delta: int, reason: str) -> StockChange | None:
        row = self._execute(
            sa.update(v).where(v.c.id == variant_id,  # in BIGINT: a sum past MAX_STOCK refuses, never overflows
                               sa.cast(v.c.stock_quantity, sa.BigInteger) + delta >= 0,
                               sa.cast(v.c.stock_quantity, sa.BigInteger) + delta <= MAX_STOCK)
            .values(stock_quantity=v.c.stock_quantity + delta, updated_at=sa.func.now())
            .returning(v.c.product_id, v.c.stock_quantity, v.c.low_stock_threshold, v.c.sku)
        ).first()
        if row is None:
            return None
        product = self._execute(sa.select(p.c.slug, p.c.name).where(p.c.id == row.product_id)).one()
        change = StockChange(variant_id, row.product_id, product.slug, row.sku, product.name,
                             row.stock_quantity - delta, row.stock_quantity, row.low_stock_threshold)
        self._record([change], reason)
        return change

    def _locked(self, ids: Iterable[UUID]) -> dict[UUID, sa.Row]:
        """The variants, locked in id order (so that concurrent callers never deadlock)."""
        return {row.id: row for row in self._execute(_LOCKED, {"ids": sorted(ids)})}

    def _move(self, rows: dict[UUID, sa.Row], deltas: dict[UUID, int], reason: str) -> list[StockChange]:
        changes = [StockChange(vid, rows[vid].product_id, rows[vid].slug, rows[vid].sku, rows[vid].name,
                               rows[vid].stock_quantity, rows[vid].stock_quantity + delta, rows[vid].low_stock_threshold)
                   for vid, delta in sorted(deltas.items()) if vid in rows]
        if changes:
            self._execute(_MOVE_STOCK, [{"vid": ch.variant_id, "delta": ch.after - ch.before} for ch in changes])
            self._record(changes, reason)
        return changes

    def take_stock(self, quantities: dict[UUID, int], reason: str) -> tuple[list[StockChange], dict[UUID, int]]:
        rows = self._locked(quantities)
        available = {vid: rows[vid].stock_quantity if vid in rows and rows[vid].is_active else 0 for vid in quantities}
        short = {vid: available[vid] for vid, wanted in quantities.items() if wanted > available[vid]}
        if short:
            return [], short
        return self._move(rows, {vid: -wanted for vid, wanted in quantities.items()}, reason), {}

    def return_stock(self, quantities: dict[UUID, int], reason: str) -> list[StockChange]:
        return self._move(self._locked(quantities), quantities, reason)

    # --- images ---------------------------------------------------------------------

    def add_image(self, image: Image) -> None:
        self._execute(sa.insert(im).values(id=image.id, product_id=image.product_id, variant_id=image.variant_id,
                                           alt=image.alt, position=image.position, original=image.original,
                                           width=image.width, height=image.height, renditions=dict(image.renditions)))

    def image(self, image_id: UUID) -> Image | None:
        row = self._execute(sa.select(im).where(im.c.id == image_id)).first()
        return _image(row) if row else None

    def set_renditions(self, image_id: UUID, renditions: Mapping[str, str]) -> None:
        self._execute(sa.update(im).where(im.c.id == image_id).values(renditions=dict(renditions),
                                                                      updated_at=sa.func.now()))

    def delete_image(self, image_id: UUID) -> None:
        self._execute(sa.delete(im).where(im.c.id == image_id))

    # --- reviews --------------------------------------------------------------------

    def _select_reviews(self):
        users = metadata.tables["users"]
        author = sa.func.coalesce(sa.func.nullif(sa.func.trim(sa.func.coalesce(users.c.first_name, "")), ""), "Customer")
        return sa.select(r, author.label("author")).select_from(r.join(users, users.c.id == r.c.user_id))

    @staticmethod
    def _review(row) -> Review:
        return Review(id=row.id, product_id=row.product_id, user_id=row.user_id, author=row.author, rating=row.rating,
                      text=row.text, created_at=_aware(row.created_at))

    def reviews(self, product_id: UUID, page: int, page_size: int) -> Page:
        total = self._execute(sa.select(sa.func.count()).select_from(r).where(r.c.product_id == product_id)).scalar_one()
        rows = self._execute(self._select_reviews().where(r.c.product_id == product_id)
                             .order_by(r.c.created_at.desc(), r.c.id).limit(page_size).offset((page - 1) * page_size))
        return Page(items=[self._review(row) for row in rows], total_count=total, page=page, page_size=page_size)

    def add_review(self, review_id: UUID, product_id: UUID, user_id: UUID, rating: int, text: str) -> Review:
        mine = sa.select(r.c.id).where(r.c.product_id == product_id, r.c.user_id == user_id)
        duplicate = Conflict("You have already reviewed this product.",
                             errors={"rating": ["One review per customer and product."]})
        if self._execute(mine).first():
            raise duplicate
        try:
            self._execute(sa.insert(r).values(id=review_id, product_id=product_id, user_id=user_id, rating=rating,
                                              text=text))
        except IntegrityError as exc:
            raise duplicate from exc
        total, count = self._execute(sa.select(sa.func.sum(r.c.rating), sa.func.count())
                                     .where(r.c.product_id == product_id)).one()
        average = (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        self._execute(sa.update(p).where(p.c.id == product_id).values(rating_average=average, rating_count=count))
        return self._review(self._execute(self._select_reviews().where(r.c.id == review_id)).one())
