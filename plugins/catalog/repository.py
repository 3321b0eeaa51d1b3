"""The catalog repository on SQLAlchemy Core: a constant number of statements per call.

Listing: one ``COUNT`` and one page query (the category subtree comes from the cached
category list). Search: PostgreSQL full text on the GIN-indexed ``tsvector`` expression,
``LIKE`` on every word on SQLite. Stock: a conditional ``UPDATE`` for adjustments, rows
locked in id order (``SELECT ... ORDER BY id FOR UPDATE``) for reservations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from decimal import ROUND_HALF_EVEN, Decimal
from uuid import UUID, uuid4

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from kernel.domain.errors import Conflict
from kernel.infrastructure.db import metadata
from plugins.catalog.domain import (
    CatalogRepository,
    Category,
    CategoryData,
    MAX_STOCK,
    Page,
    Product,
    ProductData,
    ProductQuery,
    Review,
    StockChange,
)
from plugins.catalog.orm import SEARCH_CONFIG, categories, product_reviews, products, search_document, stock_movements

p, c, r = products, categories, product_reviews
PRODUCT_COLUMNS = [*p.c, c.c.slug.label("category_slug"), c.c.name.label("category_name")]
INSERT_CHUNK = 1000


def _aware(moment: datetime) -> datetime:
    """SQLite returns its ``now()`` defaults without a zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _product(row, currency: str) -> Product:
    return Product(
        id=row.id, name=row.name, slug=row.slug, sku=row.sku, description=row.description,
        price=Decimal(row.price).quantize(Decimal("0.01")), currency=currency, stock_quantity=row.stock_quantity,
        low_stock_threshold=row.low_stock_threshold, is_active=row.is_active, category_id=row.category_id,
        category=row.category_slug, category_name=row.category_name,
        average_rating=None if row.rating_average is None else Decimal(row.rating_average).quantize(Decimal("0.01")),
        review_count=row.rating_count, created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
    )


def _category(row) -> Category:
    return Category(id=row.id, name=row.name, slug=row.slug, description=row.description, parent_id=row.parent_id,
                    is_active=row.is_active)


def _like_pattern(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


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

    def product(self, ref: UUID | str, *, active_only: bool) -> Product | None:
        query = self._select_products().where(p.c.id == ref if isinstance(ref, UUID) else p.c.slug == ref)
        if active_only:
            query = query.where(p.c.is_active.is_(True))
        row = self._execute(query).first()
        return _product(row, self.currency) if row else None

    def product_by_sku(self, sku: str) -> Product | None:
        row = self._execute(self._select_products().where(p.c.sku == sku)).first()
        return _product(row, self.currency) if row else None

    def products_by_id(self, ids: Iterable[UUID]) -> list[Product]:
        ids = list(ids)
        if not ids:
            return []
        return [_product(row, self.currency) for row in self._execute(self._select_products().where(p.c.id.in_(ids)))]

    def low_stock(self) -> list[Product]:
        query = (self._select_products().where(p.c.is_active.is_(True), p.c.stock_quantity <= p.c.low_stock_threshold)
                 .order_by(p.c.stock_quantity, p.c.sku))
        return [_product(row, self.currency) for row in self._execute(query)]

    def _search_condition(self, text: str):
        if self._postgres:
            return search_document().op("@@")(self._tsquery(text))
        return sa.and_(*(sa.or_(sa.func.lower(p.c.name).like(pattern, escape="\\"),
                                sa.func.lower(p.c.description).like(pattern, escape="\\"))
                         for pattern in map(_like_pattern, text.split())))

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
            column = {"price": p.c.price, "name": p.c.name, "newest": p.c.created_at,
                      "rating": p.c.rating_average}[query.sort]
        ordered = column.desc() if descending else column.asc()
        return [ordered.nulls_last() if query.sort == "rating" else ordered, p.c.id]

    def list_products(self, query: ProductQuery, category_ids: set[UUID] | None) -> Page:
        conditions = [p.c.is_active.is_(True)]
        if category_ids is not None:
            conditions.append(p.c.category_id.in_(sorted(category_ids)))
        if query.min_price is not None:
            conditions.append(p.c.price >= query.min_price)
        if query.max_price is not None:
            conditions.append(p.c.price <= query.max_price)
        if query.in_stock is not None:
            conditions.append(p.c.stock_quantity > 0 if query.in_stock else p.c.stock_quantity == 0)
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
                    low_stock_threshold=data.low_stock_threshold, is_active=data.is_active, category_id=category_id)

    def save_product(self, product_id: UUID, data: ProductData, category_id: UUID | None, *, new: bool) -> None:
        for column, value, field in ((p.c.sku, data.sku, "sku"), (p.c.slug, data.slug, "slug")):
            if self._execute(sa.select(p.c.id).where(column == value, p.c.id != product_id)).first():
                raise Conflict(f"Another product already has {field} {value!r}.",
                               errors={field: ["Already used by another product."]})
        values = self._product_values(data, category_id)
        if new:
            statement = sa.insert(p).values(id=product_id, stock_quantity=data.stock_quantity, **values)
        else:
            statement = sa.update(p).where(p.c.id == product_id).values(updated_at=sa.func.now(), **values)
        self._write(statement, "Another product already has this SKU or slug.")

    def add_products(self, rows: Sequence[tuple[UUID, ProductData, UUID | None]]) -> None:
        values = [dict(id=product_id, stock_quantity=data.stock_quantity, **self._product_values(data, category_id))
                  for product_id, data, category_id in rows]
        for start in range(0, len(values), INSERT_CHUNK):
            self._execute(sa.insert(p), values[start:start + INSERT_CHUNK])

    def delete_product(self, product_id: UUID) -> None:
        self._write(sa.delete(p).where(p.c.id == product_id),
                    "Other records (such as order lines) refer to this product; deactivate it instead.")

    def _write(self, statement, conflict: str) -> None:
        try:
            self._execute(statement)
        except IntegrityError as exc:  # a race lost to a concurrent writer, or a foreign key
            raise Conflict(conflict) from exc

    # --- stock --------------------------------------------------------------------

    def _record(self, changes: list[StockChange], reason: str) -> None:
        if changes:
            self._execute(sa.insert(stock_movements), [
                dict(id=uuid4(), product_id=ch.product_id, delta=ch.after - ch.before, stock_after=ch.after,
                     reason=reason) for ch in changes])

    def adjust_stock(self, product_id: UUID, delta: int, reason: str) -> StockChange | None:
        row = self._execute(
            sa.update(p).where(p.c.id == product_id,  # in BIGINT: a sum past MAX_STOCK refuses, never overflows
                               sa.cast(p.c.stock_quantity, sa.BigInteger) + delta >= 0,
                               sa.cast(p.c.stock_quantity, sa.BigInteger) + delta <= MAX_STOCK)
            .values(stock_quantity=p.c.stock_quantity + delta, updated_at=sa.func.now())
            .returning(p.c.stock_quantity, p.c.low_stock_threshold, p.c.sku, p.c.name, p.c.slug)
        ).first()
        if row is None:
            return None
        change = StockChange(product_id, row.slug, row.sku, row.name, row.stock_quantity - delta, row.stock_quantity,
                             row.low_stock_threshold)
        self._record([change], reason)
        return change

    def _locked(self, ids: Iterable[UUID]) -> dict[UUID, sa.Row]:
        """The products, locked in id order (so that concurrent callers never deadlock)."""
        query = (sa.select(p.c.id, p.c.slug, p.c.sku, p.c.name, p.c.stock_quantity, p.c.low_stock_threshold,
                           p.c.is_active)
                 .where(p.c.id.in_(sorted(ids))).order_by(p.c.id).with_for_update())
        return {row.id: row for row in self._execute(query)}

    def _move(self, rows: dict[UUID, sa.Row], deltas: dict[UUID, int], reason: str) -> list[StockChange]:
        changes = [StockChange(pid, rows[pid].slug, rows[pid].sku, rows[pid].name, rows[pid].stock_quantity,
                               rows[pid].stock_quantity + delta, rows[pid].low_stock_threshold)
                   for pid, delta in sorted(deltas.items()) if pid in rows]
        if changes:
            self._execute(
                sa.update(p).where(p.c.id == sa.bindparam("pid"))
                .values(stock_quantity=p.c.stock_quantity + sa.bindparam("delta"), updated_at=sa.func.now()),
                [{"pid": ch.product_id, "delta": ch.after - ch.before} for ch in changes],
            )
            self._record(changes, reason)
        return changes

    def take_stock(self, quantities: dict[UUID, int], reason: str) -> tuple[list[StockChange], dict[UUID, int]]:
        rows = self._locked(quantities)
        available = {pid: rows[pid].stock_quantity if pid in rows and rows[pid].is_active else 0 for pid in quantities}
        short = {pid: available[pid] for pid, wanted in quantities.items() if wanted > available[pid]}
        if short:
            return [], short
        return self._move(rows, {pid: -wanted for pid, wanted in quantities.items()}, reason), {}

    def return_stock(self, quantities: dict[UUID, int], reason: str) -> list[StockChange]:
        return self._move(self._locked(quantities), quantities, reason)

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
