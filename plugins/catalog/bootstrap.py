"""Wiring: the catalog's use cases and port over this site's session, unit of work, cache, jobs
and media storage."""

from __future__ import annotations

from flask import current_app

from kernel.context import commerce
from kernel.domain.ports.media import MediaStorage
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from kernel.infrastructure.media import media_storage
from plugins.catalog.import_runs import ProductImports
from plugins.catalog.import_runs_repository import SqlImportRuns
from plugins.catalog.repository import SqlCatalogRepository
from plugins.catalog.services import CatalogService, CatalogStock

MEDIA = "catalog_media"


def catalog_settings() -> dict:
    return commerce().site.settings("catalog")


def catalog_service() -> CatalogService:
    services = commerce()
    return CatalogService(SqlCatalogRepository(db.session, services.site.currency), SqlAlchemyUnitOfWork(),
                          services.cache, services.jobs)


def product_imports() -> ProductImports:
    return ProductImports(SqlAlchemyUnitOfWork(), SqlImportRuns(db.session), commerce().jobs,
                          catalog_service().import_csv)


def catalog_port() -> CatalogStock:
    """Built once per site (in its app context); ``db.session`` resolves to the caller's session on each use."""
    services = commerce()
    return CatalogStock(SqlCatalogRepository(db.session, services.site.currency), SqlAlchemyUnitOfWork(),
                        services.cache)


def catalog_media() -> MediaStorage:
    """The site's media storage, built once per app from ``[plugins.catalog] media_url``."""
    if MEDIA not in current_app.extensions:
        settings = catalog_settings()
        current_app.extensions[MEDIA] = media_storage(settings["media_url"], settings["media_public_url"],
                                                     base=str(commerce().site.instance_path))
    return current_app.extensions[MEDIA]
