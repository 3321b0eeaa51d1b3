"""The catalog plugin: products, the category tree, reviews, search and stock.

This module holds the manifest and the hook implementations only; each layer has its
own module (domain, services, repository/orm, api/schemas, tasks, cli).
"""

from __future__ import annotations

from pathlib import Path

from kernel.plugins import PluginManifest, hookimpl
from plugins.catalog.schemas import CatalogSettings

manifest = PluginManifest(name="catalog", version="1.1.0", kernel=">=0.1,<1",
                          description="Products with options and variants, images, categories, reviews, search, stock",
                          config_schema=CatalogSettings)


@hookimpl
def commerce_blueprints():
    from plugins.catalog.api import blp
    from plugins.catalog.media_api import media_blp

    return [blp, media_blp]


@hookimpl
def commerce_tables():
    from plugins.catalog.orm import TABLES

    return TABLES


@hookimpl
def commerce_migration_dirs():
    return [Path(__file__).parent / "migrations" / "versions"]


@hookimpl
def commerce_permissions():
    return {"catalog:write": ["staff"]}


@hookimpl
def commerce_tasks():
    from plugins.catalog.tasks import TASKS

    return TASKS


@hookimpl
def commerce_cli_commands():
    from plugins.catalog.cli import catalog

    return [catalog]


@hookimpl
def commerce_catalog_port():
    from plugins.catalog.bootstrap import catalog_port

    return catalog_port()


@hookimpl
def commerce_cached_reads(app):
    from plugins.catalog.cached_reads import cached_reads

    return cached_reads(app)
