"""The catalog's background jobs."""

from __future__ import annotations

from uuid import UUID

from loguru import logger

from kernel.jobs import TaskSpec
from plugins.catalog.bootstrap import catalog_media, catalog_service
from plugins.catalog.imaging import store_renditions
from plugins.catalog.images import Image
from plugins.catalog.services import RENDITIONS_TASK


def low_stock_report() -> list[str]:
    """Daily notice of every active variant at or below its low-stock threshold (SKUs, for the log)."""
    low = [variant for _, variant in catalog_service().low_stock()]
    if low:
        logger.warning("low stock: {} variant(s): {}", len(low),
                       ", ".join(f"{v.sku} ({v.stock_quantity}/{v.low_stock_threshold})" for v in low))
    return [v.sku for v in low]


def renditions_of(image: Image) -> dict[str, str]:
    """The image's renditions, made from its stored original and stored (content-hash names)."""
    media = catalog_media()
    return store_renditions(media, media.get(image.original))


def make_renditions(image_id: str) -> None:
    """Thumbnail, card and full size of an uploaded image (idempotent: same content, same names)."""
    catalog_service().make_renditions(UUID(image_id), renditions_of)


TASKS = [TaskSpec(name="catalog.low_stock_report", func=low_stock_report, schedule="0 7 * * *"),
         TaskSpec(name=RENDITIONS_TASK, func=make_renditions, retries=3, retry_delay=10)]
