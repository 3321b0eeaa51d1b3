"""Shopper benchmark: the storefront under load on PostgreSQL + Redis + gunicorn, against its ceilings.

Run it with ``bash benchmarks/run.sh`` (docs/benchmarks.md explains the method). It

1. creates the database ``commerce_bench`` and a site configured as production (Redis cache,
   queue and rate-limit counters), loads ~2,000 products with ample stock and signs up shoppers
   through the API;
2. counts the SQL statements of each step in-process (a cache miss and a cache hit; checkout
   with 1, 5 and 20 lines);
3. starts six gunicorn servers with the same settings: the shop, the shop with its cache off,
   bare Flask answering the shop's own listing bytes, plain WSGI answering them after the two
   Redis round trips a cached answer under a Redis rate limit needs, and the listing query
   hand-written on psycopg2;
   and a sixth running add to cart's and checkout's own statements hand-written on psycopg2
   (``baselines/raw_writes.py``: the write ceilings);
   drives the listing on all five in alternating rounds (so that background load touches both
   sides of each ratio alike), then each other step of the shopper scenario
   (category pages, search, product detail, add to cart, checkout) with wrk, the two writes
   in alternating rounds with their ceilings;
4. reads the RSS of every worker;
5. races buyers for a product with little stock, runs a flash sale (500 shoppers released
   together on one product with 100 units) and audits every product's stock against its
   order lines;
6. prints the table with ratios and targets, writes ``benchmarks/results.md`` and
   ``benchmarks/results.png``, and drops the database and the Redis keys.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import bench_report  # noqa: E402
import bench_site  # noqa: E402
from bench_load import LoadSettings, Planned, flash_sale, measure, measure_alternating, run_wrk, write_plan  # noqa: E402
from bench_report import ADD, ADD_CEILING, BARE, CACHED, CHECKOUT, CHECKOUT_CEILING, RAW, ROUND_TRIPS, UNCACHED  # noqa: E402
from bench_servers import ROOT, ServerSettings, start  # noqa: E402

from kernel.infrastructure.db import db  # noqa: E402
from kernel.testing.queries import count_queries  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
LISTING = "/api/products?pageSize=20"
ADDRESS = {"street": "1 Bench Street", "city": "Loadtown", "zipCode": "10001"}


def order_body(product_ids: list[str]) -> dict:
    return {"items": [{"productId": pid, "quantity": 1} for pid in product_ids], "shippingAddress": ADDRESS,
            "paymentMethod": "credit_card"}


def scenario(catalog: bench_site.Catalog, tokens: list[str]) -> dict[str, list[Planned]]:
    """Each step's requests, replayed in a loop by wrk (users and products spread over connections)."""
    ids = catalog.product_ids
    return {
        CACHED: [Planned("GET", LISTING)],
        "browse category pages": [Planned("GET", f"/api/products?category={slug}&page={page}&pageSize=20")
                                  for slug in catalog.category_slugs for page in (1, 2, 3)],
        "search": [Planned("GET", f"/api/products?q={word}&pageSize=20") for word in bench_site.SEARCH_WORDS],
        "product detail": [Planned("GET", f"/api/products/{pid}") for pid in ids[:300]],
        ADD: [Planned("POST", "/api/cart/items", tokens[n % len(tokens)], {"productId": ids[n], "quantity": 1})
              for n in range(300)],
        CHECKOUT: [Planned("POST", "/api/orders", tokens[n % len(tokens)], order_body([ids[n]])) for n in range(300)],
    }


def count_step_queries(app, catalog: bench_site.Catalog, tokens: list[str]) -> dict[str, str]:
    """SQL statements per request of each step, in-process: reads as "miss → hit"."""
    client = app.test_client()
    auth = {"Authorization": f"Bearer {tokens[0]}"}

    def statements(method: str, path: str, body: dict | None = None, expect: int = 200) -> int:
        with count_queries(app) as sql:
            answer = client.open(path, method=method, json=body, headers=auth if method != "GET" else {})
        assert answer.status_code == expect, (path, answer.status_code, answer.json)
        return len(sql)

    def read(path: str) -> str:
        return f"{statements('GET', path)} → {statements('GET', path)}"

    ids = catalog.product_ids
    counts = {
        CACHED: read(LISTING),
        "browse category pages": read(f"/api/products?category={catalog.category_slugs[0]}&pageSize=20"),
        "search": read("/api/products?q=headphones&pageSize=20"),
        "product detail": read(f"/api/products/{ids[-1]}"),
        ADD: str(statements("POST", "/api/cart/items", {"productId": ids[-1], "quantity": 1})),
    }
    for lines in (1, 5, 20):
        counts[f"check out, {lines} lines"] = str(
            statements("POST", "/api/orders", order_body(ids[-lines - 20:-20]), expect=201))
    counts[CHECKOUT] = counts["check out, 1 lines"]
    return counts


def libpq_url(sqlalchemy_url: str) -> str:
    parts = urlsplit(sqlalchemy_url)
    return urlunsplit(parts._replace(scheme="postgresql"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-server", default=DEFAULT_SERVER,
                        help=f"a PostgreSQL server URL (its database is only used to create {bench_site.DATABASE})")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS, help="a Redis database for the site's keys")
    parser.add_argument("--duration", type=int, default=8, help="measured seconds per step")
    parser.add_argument("--warmup", type=int, default=2, help="discarded seconds before each step")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--per-kind", type=int, default=45, help="products per kind (44 kinds)")
    parser.add_argument("--shoppers", type=int, default=16)
    parser.add_argument("--race-stock", type=int, default=25)
    parser.add_argument("--flash-shoppers", type=int, default=500)
    parser.add_argument("--flash-stock", type=int, default=100)
    parser.add_argument("--output", type=Path, default=HERE)
    parser.add_argument("--check", action="store_true", help="exit with status 1 when a target is missed")
    args = parser.parse_args()

    load = LoadSettings(duration=args.duration, warmup=args.warmup, connections=args.connections)
    settings = ServerSettings(workers=args.workers, threads=args.threads)
    work = Path(tempfile.mkdtemp(prefix="commerce-bench-"))
    servers, app, crashed = [], None, True
    try:
        print(f"setting up {bench_site.DATABASE} ...", flush=True)
        database_url = bench_site.create_database(args.database_server)
        bench_site.clear_redis(args.redis_url)
        site = bench_site.write_site(work / "bench.toml", database_url, args.redis_url)
        app = bench_site.build_app(site)
        catalog = bench_site.seed(app, args.per_kind, args.race_stock, args.flash_stock)
        tokens = bench_site.sign_up_shoppers(app, args.shoppers)
        crowd = bench_site.mint_shoppers(app, args.flash_shoppers)
        queries = count_step_queries(app, catalog, tokens)
        body_file = work / "listing.json"
        body_file.write_bytes(app.test_client().get(LISTING).data)
        plans = {step: write_plan(work / f"plan-{n}.tsv", requests)
                 for n, (step, requests) in enumerate(scenario(catalog, tokens).items())}
        shop_env = {"COMMERCE_SITE": str(site)}
        for name, app_name, env, chdir in (
                ("shop", "kernel.wsgi:app", shop_env, ROOT),
                ("shop, cache off", "kernel.wsgi:app", {**shop_env, "COMMERCE_CACHE_URL": "null://"}, ROOT),
                ("bare Flask", "bare_flask:app", {"BENCH_BODY_FILE": str(body_file)}, HERE / "baselines"),
                ("raw psycopg2", "raw_psycopg2:app", {"BENCH_DSN": libpq_url(database_url)}, HERE / "baselines"),
                ("WSGI + Redis", "redis_round_trips:app",
                 {"BENCH_BODY_FILE": str(body_file), "BENCH_REDIS_URL": args.redis_url}, HERE / "baselines")):
            servers.append(start(name, app_name, settings, work, env, chdir=chdir))
        servers.append(start("raw writes", "raw_writes:app", settings, work, {"BENCH_DSN": libpq_url(database_url)},
                             chdir=HERE / "baselines", health="/healthz"))
        shop, uncached, bare, raw, round_trips, raw_writes = servers

        print("  the listing and its ceilings, in alternating rounds ...", flush=True)
        listing = plans["browse listing"]
        paired = measure_alternating({CACHED: (shop.url, listing), BARE: (bare.url, listing),
                                      ROUND_TRIPS: (round_trips.url, listing), UNCACHED: (uncached.url, listing),
                                      RAW: (raw.url, listing)}, load)
        steps = {}
        for step, plan in plans.items():
            if step in (ADD, CHECKOUT):
                print(f"  {step} and its ceiling, in alternating rounds ...", flush=True)
                ceiling = ADD_CEILING if step == ADD else CHECKOUT_CEILING
                paired.update(measure_alternating({step: (shop.url, plan), ceiling: (raw_writes.url, plan)}, load))
                steps[step] = paired[step]
            elif step != CACHED:
                print(f"  {step} ...", flush=True)
                steps[step] = measure(shop.url, plan, load)
        race_plan = write_plan(work / "plan-race.tsv", [
            Planned("POST", "/api/orders", token, order_body([catalog.limited_id])) for token in tokens])
        print("  oversell race ...", flush=True)
        race = run_wrk(shop.url, race_plan, 3, load)
        print(f"  flash sale: {len(crowd)} shoppers, {args.flash_stock} units ...", flush=True)
        flash = flash_sale(shop.url, [Planned("POST", "/api/orders", token, order_body([catalog.flash_id]))
                                      for token in crowd], args.flash_stock)
        for server in servers:
            server.read_rss()

        rows = [bench_report.Row(CACHED, shop.name, paired[CACHED], queries[CACHED]),
                *(bench_report.Row(step, shop.name, result, queries[step]) for step, result in steps.items()),
                bench_report.Row(UNCACHED, uncached.name, paired[UNCACHED], queries[CACHED].split(" → ")[0]),
                bench_report.Row(BARE, bare.name, paired[BARE]),
                bench_report.Row(ROUND_TRIPS, round_trips.name, paired[ROUND_TRIPS]),
                bench_report.Row(RAW, raw.name, paired[RAW], "2"),
                bench_report.Row(ADD_CEILING, raw_writes.name, paired[ADD_CEILING], queries[ADD]),
                bench_report.Row(CHECKOUT_CEILING, raw_writes.name, paired[CHECKOUT_CEILING], queries[CHECKOUT])]
        for server in servers:
            server.stop()
        audit = bench_site.stock_audit(app, catalog.limited_id)
        report = bench_report.Report(
            rows=rows, queries=queries, race=race, flash=flash, audit=audit, servers=servers, settings=settings, load=load,
            body_bytes=body_file.stat().st_size, products=len(catalog.product_ids) + 1, shoppers=len(tokens),
            services=bench_site.service_versions(app, args.redis_url))
        print()
        print(report.text())
        report.write(args.output / "results.md", args.output / "results.png")
        print(f"\nwrote {args.output / 'results.md'} and {args.output / 'results.png'}")
        crashed = False
        return 1 if args.check and not report.targets_met() else 0
    finally:
        for server in servers:
            server.stop()
        if app is not None:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
        bench_site.drop_database(args.database_server)
        bench_site.clear_redis(args.redis_url)
        if crashed:
            print(f"server logs kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
