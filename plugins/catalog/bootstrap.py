"""Wiring: the catalog's use cases and port over this site's session, unit of work and cache."""

from __future__ import annotations

from kernel.context import commerce
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from plugins.catalog.repository import SqlCatalogRepository
from plugins.catalog.services import CatalogService, CatalogStock


def catalog_service() -> CatalogService:
    services = commerce()
    return CatalogService(SqlCatalogRepository(db.session, services.site.currency), SqlAlchemyUnitOfWork(),
                          services.cache)


def catalog_port() -> CatalogStock:
    """Built once per site (in its app context); ``db.session`` resolves to the caller's session on each use."""
    services = commerce()
    return CatalogStock(SqlCatalogRepository(db.session, services.site.currency), SqlAlchemyUnitOfWork(),
                        services.cache)
