"""Alembic environment of a site: its engine, its tables only, and batch mode on SQLite."""

from alembic import context
from flask import current_app

from kernel.context import commerce
from kernel.infrastructure.db import db, site_tables

config = context.config
# `commerce db revision BRANCH` compares only that branch's tables; everything else, the site's.
site_table_names = config.attributes.get("commerce_tables", {table.name for table in site_tables(commerce().pm)})


def include_object(obj, name, type_, reflected, compare_to):
    """Compare only this site's tables, so other plugins' tables never show as drops."""
    if type_ == "table":
        return name in site_table_names
    return True


def run_migrations_online():
    engine = db.engine
    options = dict(current_app.extensions["migrate"].configure_args)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
            **{k: v for k, v in options.items() if k != "render_as_batch"},
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `commerce db upgrade`")
run_migrations_online()
