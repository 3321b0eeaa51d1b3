"""Catalog benchmark: 100,000 products in PostgreSQL, listing/search timings and EXPLAIN plans.

Run (a few minutes at most; not part of the test suite):

    COMMERCE_TEST_DATABASE_URL=postgresql+psycopg2://postgres@127.0.0.1:5432/test \
        python benchmarks/catalog_bench.py [--products 100000] [--repeat 20]

It loads the products into a throw-away schema (dropped at the end), then times each listing
through the HTTP API with the cache switched off (every request goes to the database), once
more with the in-process cache on, and prints the SQL each listing runs with its EXPLAIN ANALYZE plan.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import uuid
import warnings
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kernel.infrastructure.db import db  # noqa: E402
from kernel.testing.databases import PostgresSchema, postgres_url  # noqa: E402
from kernel.testing.sites import build_test_app, make_site_data  # noqa: E402
from plugins.catalog.domain import CategoryData, ProductData, slugify  # noqa: E402
from plugins.catalog.orm import SEARCH_INDEX_SQL, product_variants, products  # noqa: E402
from plugins.catalog.repository import SqlCatalogRepository, variant_values  # noqa: E402
from plugins.catalog.seed import ADJECTIVES, COLOURS, TREE  # noqa: E402
from plugins.catalog.variants import VariantData  # noqa: E402

TOPS, LEAVES_PER_TOP = 10, 10
WORDS = ("sturdy light compact handmade recycled waterproof quiet fast warm bright elegant rugged vintage modern "
         "portable wireless ergonomic durable soft classic").split()
RARE_WORD = "zephyrite"  # in about 0.1% of descriptions

QUERIES = {
    "category (top level, 10 subcategories)": "category=dept-3&pageSize=20",
    "category (leaf)": "category=dept-3-aisle-7&pageSize=20",
    "price range (narrow)": "minPrice=100.00&maxPrice=101.00&pageSize=20&sort=price",
    "price range + category": "category=dept-3&minPrice=50&maxPrice=60&pageSize=20",
    "text search (common word)": "q=wireless headphones&pageSize=20",
    "text search (rare word)": f"q={RARE_WORD}&pageSize=20",
    "newest, page 1": "pageSize=20",
    "newest, page 200": "pageSize=20&page=200",
    "in stock, by rating": "inStock=true&sort=rating&pageSize=20",
}


def catalog_data(count: int, seed: int = 7):
    rng = random.Random(seed)
    categories = []
    for top in range(TOPS):
        categories.append(CategoryData(name=f"Dept {top}", slug=f"dept-{top}"))
        categories += [CategoryData(name=f"Dept {top} Aisle {leaf}", slug=f"dept-{top}-aisle-{leaf}",
                                    parent=f"dept-{top}") for leaf in range(LEAVES_PER_TOP)]
    leaves = [c.slug for c in categories if c.parent]
    kinds = [kind for children in TREE.values() for kinds in children.values() for kind in kinds]
    items = []
    for number in range(count):
        kind = rng.choice(kinds)
        words = rng.sample(WORDS, 6) + ([RARE_WORD] if rng.random() < 0.001 else [])
        name = f"{rng.choice(ADJECTIVES)} {kind} {rng.choice(COLOURS)}"
        items.append(ProductData(
            name=name, slug=f"{slugify(name)}-{number}", sku=f"B-{number:07d}",
            price=Decimal(rng.randint(100, 200_000)) / 100, description=f"A {' '.join(words)} {kind.lower()}.",
            stock_quantity=rng.choice([0, 3, 10, 50]), category=rng.choice(leaves)))
    return categories, items


def load(app, count: int) -> float:
    """Categories through the repository; products with one multi-row INSERT per 2,000 rows,
    with creation times and ratings spread as a live catalog would have them."""
    started = time.perf_counter()
    categories, products_data = catalog_data(count)
    rng = random.Random(11)
    now = datetime.now(UTC)
    with app.app_context():
        repo = SqlCatalogRepository(db.session, "USD")
        ids = {}
        for data in categories:
            ids[data.slug] = uuid.uuid4()
            repo.save_category(ids[data.slug], data, ids.get(data.parent), new=True)
        rows = [dict(id=uuid.uuid4(), name=d.name, slug=d.slug, sku=d.sku, description=d.description, price=d.price,
                     is_active=True, options=[],
                     category_id=ids[d.category], created_at=now - timedelta(minutes=rng.randint(0, 1_000_000)),
                     rating_average=Decimal(rng.randint(100, 500)) / 100 if rng.random() < 0.6 else None,
                     rating_count=rng.randint(1, 40)) for d in products_data]
        variants = [variant_values(row["id"], 0, VariantData(sku=d.sku, stock_quantity=d.stock_quantity, id=row["id"]), ())
                    for row, d in zip(rows, products_data, strict=True)]  # each product's implicit variant
        db.session.execute(sa.text("DROP INDEX ix_products_search"))  # one index build beats 100,000 updates
        for start in range(0, len(rows), 2000):
            db.session.execute(sa.insert(products), rows[start:start + 2000])
            db.session.execute(sa.insert(product_variants), variants[start:start + 2000])
        db.session.execute(sa.text(f"CREATE INDEX ix_products_search ON products USING gin ({SEARCH_INDEX_SQL})"))
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - started


def time_requests(client, url: str, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.json
    return timings


def statements_of(app, client, url: str) -> list[tuple[str, dict]]:
    captured = []

    def record(conn, cursor, statement, parameters, *args):
        captured.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return captured


def explain(app, statement: str, parameters) -> str:
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + statement, parameters)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url", default=postgres_url())
    args = parser.parse_args()
    if not args.database_url:
        sys.exit("set COMMERCE_TEST_DATABASE_URL or pass --database-url (a PostgreSQL server)")

    warnings.filterwarnings("ignore", message=".*NullCache.*")  # switching the cache off is the point
    schema = PostgresSchema(args.database_url)
    apps = []
    try:
        for cache in ("null://", "simple://"):
            data = make_site_data(["catalog"], schema.url, cache={"url": cache}, logging={"level": "ERROR"})
            apps.append(build_test_app(data, create_tables=not apps))
        uncached, cached = apps
        print(f"loading {args.products:,} products into schema {schema.name} ...", flush=True)
        print(f"loaded in {load(uncached, args.products):.1f}s\n")

        print(f"{'listing (through the API)':45} {'no cache: median':>16} {'p95':>8} {'cache hit: median':>18}")
        for label, query in QUERIES.items():
            url = f"/api/products?{query}"
            cold = time_requests(uncached.test_client(), url, args.repeat)
            warm = time_requests(cached.test_client(), url, args.repeat)
            p95 = statistics.quantiles(cold, n=20)[-1]
            print(f"{label:45} {statistics.median(cold):13.1f} ms {p95:5.1f} ms {statistics.median(warm):15.2f} ms")

        detail = uncached.test_client().get("/api/products?pageSize=1").json["items"][0]["id"]
        cold = time_requests(uncached.test_client(), f"/api/products/{detail}", args.repeat)
        print(f"{'product detail':45} {statistics.median(cold):13.1f} ms")

        print("\nSQL and plans (EXPLAIN ANALYZE) of each listing:")
        for label, query in QUERIES.items():
            statements = statements_of(uncached, uncached.test_client(), f"/api/products?{query}")
            print(f"\n=== {label}: GET /api/products?{query}  ({len(statements)} statements)")
            for statement, parameters in statements:
                if "FROM categories" in statement and "products" not in statement:
                    continue  # the category list (cached in production)
                print("--- " + " ".join(statement.split())[:160] + " ...")
                print(explain(uncached, statement, parameters))
    finally:
        for app in apps:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        schema.drop()


if __name__ == "__main__":
    main()
