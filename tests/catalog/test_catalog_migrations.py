"""The catalog's migration branch builds exactly the models' schema, full-text index included."""

import sqlalchemy as sa

from kernel.infrastructure.db import db
from kernel.infrastructure.migrations import pending_schema_changes, upgrade_database


def test_postgresql_migrations_match_the_models(make_app):
    app = make_app(["catalog"], backend="postgres", create_tables=False)
    upgrade_database(app)
    with app.app_context():
        assert pending_schema_changes(app) == []
        indexes = {index["name"] for index in sa.inspect(db.engine).get_indexes("products")}
        assert {"ix_products_search", "ix_products_category_id", "ix_products_price"} <= indexes
        db.session.execute(sa.text("DROP INDEX ix_products_search"))
        db.session.commit()
        assert [change[0] for change in pending_schema_changes(app)] == ["add_index"]  # the index is compared


def test_sqlite_migrations_run_without_the_postgresql_only_index(make_app):
    app = make_app(["catalog"], backend="sqlite", create_tables=False)
    upgrade_database(app)
    with app.app_context():
        inspector = sa.inspect(db.engine)
        assert {"products", "categories", "product_reviews", "stock_movements"} <= set(inspector.get_table_names())
        assert "ix_products_search" not in {index["name"] for index in inspector.get_indexes("products")}
