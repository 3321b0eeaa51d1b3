"""The variants migrations move existing rows to each product's implicit variant, and back.

Rows are written in the shape before ``catalog_0002`` / ``cart_0002`` / ``orders_0003_variants``,
then the database is upgraded, read through the API, and downgraded again, on PostgreSQL and
on the embedded SQLite.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from kernel.infrastructure.db import db
from kernel.infrastructure.migrations import alembic_config, pending_schema_changes, upgrade_database

old = sa.MetaData()
OLD_PRODUCTS = sa.Table("products", old, sa.Column("id", sa.Uuid), sa.Column("name", sa.String), sa.Column("slug", sa.String),
                        sa.Column("price", sa.Numeric), sa.Column("sku", sa.String),
                        sa.Column("stock_quantity", sa.Integer), sa.Column("low_stock_threshold", sa.Integer))
CARTS = sa.Table("shopping_carts", old, sa.Column("id", sa.Uuid), sa.Column("token_hash", sa.String),
                 sa.Column("created_at", sa.DateTime(timezone=True)), sa.Column("updated_at", sa.DateTime(timezone=True)))
OLD_CART_ITEMS = sa.Table("cart_items", old, sa.Column("id", sa.Uuid), sa.Column("cart_id", sa.Uuid),
                          sa.Column("product_id", sa.Uuid), sa.Column("quantity", sa.Integer),
                          sa.Column("price_when_added", sa.Numeric), sa.Column("added_at", sa.DateTime(timezone=True)))
ORDERS = sa.Table("orders", old, *(sa.Column(name, kind) for name, kind in (
    ("id", sa.Uuid), ("order_date", sa.DateTime(timezone=True)), ("status", sa.String), ("payment_status", sa.String),
    ("payment_method", sa.String), ("currency", sa.String), ("total_amount", sa.Numeric), ("shipping_address", sa.JSON),
    ("stock_reserved", sa.Boolean), ("updated_at", sa.DateTime(timezone=True)))))
OLD_ORDER_ITEMS = sa.Table("order_items", old, *(sa.Column(name, kind) for name, kind in (
    ("id", sa.Uuid), ("order_id", sa.Uuid), ("product_id", sa.Uuid), ("sku", sa.String), ("product_name", sa.String),
    ("quantity", sa.Integer), ("unit_price", sa.Numeric), ("position", sa.Integer))))
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def one(statement):
    return db.session.execute(sa.text(statement)).one()


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_existing_rows_move_to_the_implicit_variant_and_back(make_app, backend):
    app = make_app(["catalog", "cart", "orders"], backend=backend, create_tables=False)
    mug, cart, order = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with app.app_context():
        alembic_config(app)  # Flask-Migrate's own commands below need the site's version folders
        upgrade(revision="orders_0002")  # the kernel, catalog_0001, cart_0001 and orders before variants
        upgrade(revision="cart_0001")
        db.session.execute(OLD_PRODUCTS.insert().values(id=mug, name="Mug", slug="mug", price=Decimal("9.50"),
                                                        sku="MUG-1", stock_quantity=7, low_stock_threshold=2))
        db.session.execute(CARTS.insert().values(id=cart, token_hash="x" * 64, created_at=NOW, updated_at=NOW))
        db.session.execute(OLD_CART_ITEMS.insert().values(id=uuid.uuid4(), cart_id=cart, product_id=mug, quantity=2,
                                                          price_when_added=Decimal("9.50"), added_at=NOW))
        db.session.execute(ORDERS.insert().values(id=order, order_date=NOW, status="Pending", payment_status="Pending",
                                                  payment_method="card", currency="USD", total_amount=Decimal("9.50"),
                                                  shipping_address={}, stock_reserved=True, updated_at=NOW))
        db.session.execute(OLD_ORDER_ITEMS.insert().values(id=uuid.uuid4(), order_id=order, product_id=mug, sku="MUG-1",
                                                           product_name="Mug", quantity=1, unit_price=Decimal("9.50"),
                                                           position=0))
        db.session.commit()
    upgrade_database(app)
    with app.app_context():
        if backend == "postgres":
            assert pending_schema_changes(app) == []
        variant = one("SELECT id, product_id, sku, stock_quantity, low_stock_threshold FROM product_variants")
        assert [str(value).replace("-", "") for value in variant[:2]] == [mug.hex, mug.hex]
        assert tuple(variant[2:]) == ("MUG-1", 7, 2)
        assert str(one("SELECT variant_id FROM cart_items")[0]).replace("-", "") == mug.hex
        assert str(one("SELECT variant_id FROM order_items")[0]).replace("-", "") == mug.hex
        db.session.rollback()
    detail = app.test_client().get(f"/api/products/{mug}").json
    assert (detail["stockQuantity"], detail["lowStockThreshold"], detail["variants"][0]["id"]) == (7, 2, str(mug))
    with app.app_context():
        db.session.execute(sa.text("UPDATE product_variants SET stock_quantity = 5"))
        db.session.commit()
        downgrade(revision="orders_0002")
        downgrade(revision="cart_0001")
        downgrade(revision="catalog_0001")
        assert tuple(one("SELECT stock_quantity, low_stock_threshold FROM products")) == (5, 2)
        assert one("SELECT quantity FROM cart_items")[0] == 2
        tables = sa.inspect(db.engine).get_table_names()
        assert "product_variants" not in tables and "product_images" not in tables
        db.session.rollback()
