"""Alembic across the kernel and plugins: one branch each, upgraded branch by branch.

The kernel's revisions carry the branch label ``kernel``; each plugin's carry its own name
and live in the folders its ``commerce_migration_dirs`` hook returns. A site upgrades the
kernel branch and the branches of the plugins it enables, so a plugin it does not enable
gets no tables there.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import Migrate

from kernel.infrastructure.db import db, site_tables

KERNEL_VERSIONS = str(Path(__file__).resolve().parent.parent.parent / "migrations" / "versions")


def plugin_branches(pm) -> dict[str, list[str]]:
    """Enabled plugins that ship migrations, with their version folders."""
    branches = {}
    for impl in reversed(pm.hook.commerce_migration_dirs.get_hookimpls()):  # registration order
        if not impl.plugin_name.startswith("kernel."):
            branches[impl.plugin_name] = [str(path) for path in impl.function()]
    return branches


def configure_alembic(migrate: Migrate, app: Flask) -> None:
    """Point Alembic at the kernel's and the enabled plugins' version folders."""

    @migrate.configure
    def version_locations(config: Config) -> Config:
        pm = app.extensions["commerce"].pm
        folders = [KERNEL_VERSIONS] + [folder for folders in plugin_branches(pm).values() for folder in folders]
        config.set_main_option("version_locations", os.pathsep.join(folders))
        return config


def upgrade_database(app: Flask) -> None:
    """Apply every pending revision of the kernel's and the enabled plugins' branches."""
    from flask_migrate import upgrade

    with app.app_context():
        for target in ["kernel@head"] + [f"{name}@head" for name in plugin_branches(app.extensions["commerce"].pm)]:
            upgrade(revision=target)


def pending_schema_changes(app: Flask) -> list:
    """Differences between the site's models and its database (empty when they agree)."""
    tables = {table.name for table in site_tables(app.extensions["commerce"].pm)}
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, reflected, compare_to: type_ != "table" or name in tables,
            },
        )
        return compare_metadata(context, db.metadata)
