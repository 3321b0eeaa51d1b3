"""Migrations per plugin branch: a site gets the kernel's tables and its plugins', matching the models."""

import sqlalchemy as sa

from kernel.infrastructure.db import db
from kernel.infrastructure.migrations import pending_schema_changes, upgrade_database


def tables(app):
    with app.app_context():
        return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_creates_an_enabled_plugins_tables_and_matches_the_models(hello_plugin_path, make_app):
    app = make_app(["hello"], backend="postgres", create_tables=False, settings={"hello": {"api_key": "k"}})
    upgrade_database(app)
    assert "hello_greetings" in tables(app)
    with app.app_context():
        assert pending_schema_changes(app) == []
    upgrade_database(app)  # a second run is a no-op
    with app.app_context():
        db.session.execute(sa.text("ALTER TABLE hello_greetings DROP COLUMN name"))
        db.session.commit()
        assert [change[0] for change in pending_schema_changes(app)] == ["add_column"]


def test_a_site_without_the_plugin_gets_none_of_its_tables(hello_plugin_path, make_app):
    app = make_app([], backend="postgres", create_tables=False)
    upgrade_database(app)
    assert "hello_greetings" not in tables(app)
    with app.app_context():
        assert pending_schema_changes(app) == []


def test_migrations_also_run_on_the_embedded_sqlite(hello_plugin_path, make_app):
    app = make_app(["hello"], backend="sqlite", create_tables=False, settings={"hello": {"api_key": "k"}})
    upgrade_database(app)
    assert {"hello_greetings", "alembic_version"} <= tables(app)
