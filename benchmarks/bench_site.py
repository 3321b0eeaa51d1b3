"""The benchmark's site: a database of its own, its TOML, the catalog and the shoppers.

The site is configured as production is (PostgreSQL, Redis for cache, queue and rate-limit
counters, JSON logs) except for limits high enough never to refuse the load generator.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
import sqlalchemy as sa

from kernel.app import create_app
from kernel.infrastructure.db import db
from kernel.infrastructure.migrations import upgrade_database
from kernel.site import load_site
from kernel.testing.identity import sign_in_test_user
from plugins.catalog.domain import slugify
from plugins.catalog.repository import SqlCatalogRepository
from plugins.catalog.seed import demo_categories, demo_products

DATABASE = "commerce_bench"
SITE_NAME = "bench"
AMPLE_STOCK = 1_000_000
PASSWORD = "bench shopper walks the aisles"
SEARCH_WORDS = ["headphones", "coffee", "tent", "yoga", "charger", "novel", "lamp", "helmet", "kettle", "laptop",
                "speaker", "guide", "stove", "gloves", "chair", "earbuds", "grinder", "mat", "bottle", "pan"]


def bench_database_url(server_url: str) -> str:
    """The server's URL with the benchmark's own database name."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def create_database(server_url: str) -> str:
    """(Re)create the benchmark's database; return its URL."""
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {DATABASE}"))
    engine.dispose()
    return bench_database_url(server_url)


def drop_database(server_url: str) -> None:
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
    engine.dispose()


def clear_redis(redis_url: str) -> int:
    """Delete this site's keys (cache, limits, queue) from the benchmark's Redis database."""
    client = redis.Redis.from_url(redis_url)
    keys = [key for pattern in (f"*commerce:{SITE_NAME}:*", f"*commerce{SITE_NAME}*")  # limiter keys have a prefix
            for key in client.scan_iter(match=pattern, count=1000)]
    if keys:
        client.delete(*keys)
    client.close()
    return len(keys)


def write_site(path: Path, database_url: str, redis_url: str) -> Path:
    path.write_text(f"""\
# Written by benchmarks/shopper.py: production settings, limits that never refuse the load.
[site]
name = "{SITE_NAME}"
currency = "USD"
plugins = ["catalog", "cart", "orders"]
secret_key = "bench-only-secret-key-0123456789abcdefghijklmnop"

[database]
url = "{database_url}"
pool_size = 5

[cache]
url = "{redis_url}"

[jobs]
url = "{redis_url}"

[security]
jwt_secret = "bench-only-jwt-secret-0123456789abcdefghijklmnop"
access_token_minutes = 60

[logging]
level = "INFO"
json = true

[mail]
url = "file://{path.parent / 'mail'}"

[payments]
methods = {{ credit_card = "offline" }}

[rate_limits]
default = "10000000/minute"
storage_url = "{redis_url}"
login_per_account = "1000000/minute"
"POST /api/users/register" = "1000000/hour"
"POST /api/users/login" = "1000000/minute"

[plugins.cart]
max_quantity_per_line = 10000
max_lines = 1000
""")
    return path


@dataclass
class Catalog:
    product_ids: list[str]
    category_slugs: list[str]
    limited_id: str  # the product of the oversell race
    flash_id: str  # the product of the flash sale


def build_app(site_path: Path):
    """The site's app in this process (quiet logs), for setup, query counts and the audit."""
    quiet = {**os.environ, "COMMERCE_LOGGING_LEVEL": "WARNING", "COMMERCE_LOGGING_JSON": "false"}
    app = create_app(load_site(site_path, quiet))
    app.config["TESTING"] = True
    return app


def seed(app, per_kind: int, limited_stock: int, flash_stock: int) -> Catalog:
    """Migrate, then load the demo category tree and ``46 * per_kind`` products with ample stock,
    plus one product with ``limited_stock`` units for the oversell race and one with
    ``flash_stock`` for the flash sale."""
    upgrade_database(app)
    with app.app_context():
        repo = SqlCatalogRepository(db.session, "USD")
        ids: dict[str, uuid.UUID] = {}
        for category in demo_categories():
            slug = slugify(category.name)
            ids[slug] = uuid.uuid4()
            repo.save_category(ids[slug], replace(category, slug=slug), ids.get(category.parent), new=True)
        # every product without options, so a shopper adds it by its id (its implicit variant)
        products = [replace(data.validated(), stock_quantity=AMPLE_STOCK, options=(), variants=())
                    for data in demo_products(per_kind)]
        limited = replace(products[0], name="Limited Edition Kettle", sku="RACE-00001", slug="limited-edition-kettle",
                          stock_quantity=limited_stock)
        flash = replace(limited, name="Flash Sale Kettle", sku="FLASH-00001", slug="flash-sale-kettle",
                        stock_quantity=flash_stock)
        rows = [(uuid.uuid4(), data, ids[data.category]) for data in [*products, limited, flash]]
        repo.add_products(rows)
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
    return Catalog(product_ids=[str(row[0]) for row in rows[:-2]], category_slugs=sorted(ids),
                   limited_id=str(rows[-2][0]), flash_id=str(rows[-1][0]))


def sign_up_shoppers(app, count: int) -> list[str]:
    """Register and sign in ``count`` customers through the API; return their access tokens."""
    client = app.test_client()
    tokens = []
    for number in range(count):
        email = f"shopper{number}@bench.example"
        answer = client.post("/api/users/register", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 201, answer.json
        answer = client.post("/api/users/login", json={"email": email, "password": PASSWORD})
        assert answer.status_code == 200, answer.json
        tokens.append(answer.json["accessToken"])
    return tokens


def mint_shoppers(app, count: int) -> list[str]:
    """``count`` customers made in the database with their access tokens (no sign-up and no
    password check each: for the flash sale's crowd)."""
    return [sign_in_test_user(app, "customer")["Authorization"].removeprefix("Bearer ") for _ in range(count)]


def service_versions(app, redis_url: str) -> str:
    with app.app_context():
        postgres = db.session.execute(sa.text("SHOW server_version")).scalar()
    client = redis.Redis.from_url(redis_url)
    version = client.info("server")["redis_version"]
    client.close()
    return f"PostgreSQL {postgres.split()[0]}, Redis {version}"


def stock_audit(app, limited_id: str) -> dict:
    """Stock against what orders took, for every variant: a variant sold beyond its stock, or
    stock that went missing without an order line, shows up here."""
    with app.app_context():
        rows = db.session.execute(sa.text("""
            SELECT v.id, v.stock_quantity,
                   COALESCE(SUM(m.delta), 0) AS moved,
                   COALESCE((SELECT SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                             WHERE i.variant_id = v.id AND o.status <> 'Cancelled'), 0) AS sold
            FROM product_variants v LEFT JOIN stock_movements m ON m.variant_id = v.id
            GROUP BY v.id, v.stock_quantity""")).all()
        limited_orders = db.session.execute(sa.text(
            "SELECT COUNT(DISTINCT order_id) FROM order_items WHERE product_id = :pid"), {"pid": limited_id}).scalar()
    negative = [row for row in rows if row.stock_quantity < 0]
    mismatched = [row for row in rows if -row.moved != row.sold]
    limited = next(row for row in rows if str(row.id) == limited_id)
    return {"products": len(rows), "negative_stock": len(negative), "sold_not_matching_stock": len(mismatched),
            "units_sold": int(sum(row.sold for row in rows)), "limited_left": limited.stock_quantity,
            "limited_sold": int(limited.sold), "limited_orders": int(limited_orders)}
