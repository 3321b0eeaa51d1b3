"""The catalog port that cart and orders use: snapshots, and stock reserved inside the caller's
transaction, all or nothing, never oversold, without deadlocks (real PostgreSQL)."""

import threading
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from kernel.context import commerce
from kernel.domain.errors import ValidationFailed
from kernel.domain.ports.catalog import InsufficientStock, StockLine
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from kernel.testing.queries import count_queries


def ids(site, *specs):
    return [UUID(site.product(name, stockQuantity=stock, lowStockThreshold=2)["id"]) for name, stock in specs]


def stock_of(site, product_id):
    return site.client.get(f"/api/products/{product_id}").json["stockQuantity"]


def test_snapshots_for_a_set_of_ids_in_one_query(pg_site):
    mug, cup = ids(pg_site, ("Mug", 3), ("Cup", 4))
    with pg_site.app.app_context(), count_queries(pg_site.app) as statements:
        snapshots = commerce().catalog.products([mug, cup, uuid4()])
    assert len(statements) == 1
    assert set(snapshots) == {mug, cup}
    assert snapshots[mug].unit_price == Decimal("10.00") and snapshots[mug].currency == "USD"
    assert snapshots[cup].stock_quantity == 4 and snapshots[cup].is_active


def test_reserve_joins_the_callers_transaction(pg_site):
    mug, = ids(pg_site, ("Mug", 5))
    with pg_site.app.app_context():
        commerce().catalog.reserve_stock([StockLine(mug, 2)])
        db.session.rollback()  # the caller gave up: nothing was taken
    assert stock_of(pg_site, mug) == 5
    with pg_site.app.app_context():
        commerce().catalog.reserve_stock([StockLine(mug, 2), StockLine(mug, 1)])
        SqlAlchemyUnitOfWork().commit()
    assert stock_of(pg_site, mug) == 2  # and the cached detail was invalidated
    with pg_site.app.app_context():
        commerce().catalog.release_stock([StockLine(mug, 3)])
        SqlAlchemyUnitOfWork().commit()
    assert stock_of(pg_site, mug) == 5


def test_reserve_is_all_or_nothing_and_lists_every_shortage(pg_site):
    mug, cup, hidden = ids(pg_site, ("Mug", 5), ("Cup", 1), ("Hidden", 9))
    pg_site.client.patch(f"/api/products/{hidden}", headers=pg_site.staff, json={"isActive": False})
    unknown = uuid4()
    with pg_site.app.app_context():
        with pytest.raises(InsufficientStock) as caught:
            commerce().catalog.reserve_stock([StockLine(mug, 2), StockLine(cup, 2), StockLine(hidden, 1),
                                              StockLine(unknown, 1)])
        SqlAlchemyUnitOfWork().commit()
    shortages = {s.variant_id: (s.requested, s.available) for s in caught.value.shortages}
    assert shortages == {cup: (2, 1), hidden: (1, 0), unknown: (1, 0)}
    assert caught.value.status == 409
    assert stock_of(pg_site, mug) == 5


def test_stock_low_is_published_after_commit_once_per_crossing(pg_site, stock_low_events):
    events = stock_low_events(pg_site.app)
    mug, = ids(pg_site, ("Mug", 4))  # threshold 2
    with pg_site.app.app_context():
        commerce().catalog.reserve_stock([StockLine(mug, 2)])
        db.session.rollback()
        assert events == []  # rolled back: no event
        commerce().catalog.reserve_stock([StockLine(mug, 2)])
        assert events == []  # not before the commit
        SqlAlchemyUnitOfWork().commit()
        commerce().catalog.reserve_stock([StockLine(mug, 1)])  # 2 -> 1: already below, no new event
        SqlAlchemyUnitOfWork().commit()
    assert [(e.product_id, e.stock_quantity) for e in events] == [(mug, 2)]


def test_quantities_must_be_positive(pg_site):
    mug, = ids(pg_site, ("Mug", 4))
    with pg_site.app.app_context(), pytest.raises(ValidationFailed):
        commerce().catalog.reserve_stock([StockLine(mug, 0)])


def test_concurrent_reservations_never_oversell_or_deadlock(pg_site):
    a, b = ids(pg_site, ("Alpha", 6), ("Beta", 6))
    app, shoppers, outcomes = pg_site.app, 16, []
    start = threading.Barrier(shoppers)

    def shopper(number):
        lines = [StockLine(a, 1), StockLine(b, 1)]
        if number % 2:
            lines.reverse()  # the opposite order must not deadlock
        with app.app_context():
            start.wait()
            try:
                commerce().catalog.reserve_stock(lines)
                SqlAlchemyUnitOfWork().commit()
                outcomes.append("ok")
            except InsufficientStock:
                db.session.rollback()
                outcomes.append("short")
            except Exception as exc:  # a deadlock or an oversell would land here
                db.session.rollback()
                outcomes.append(repr(exc))

    threads = [threading.Thread(target=shopper, args=(n,)) for n in range(shoppers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["ok"] * 6 + ["short"] * 10
    assert (stock_of(pg_site, a), stock_of(pg_site, b)) == (0, 0)
