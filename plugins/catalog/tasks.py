"""The catalog's background jobs."""

from __future__ import annotations

from uuid import UUID

from loguru import logger

from kernel.context import commerce
from kernel.infrastructure.mail import mail_staff
from kernel.jobs import TaskSpec
from plugins.catalog.bootstrap import catalog_media, catalog_service, catalog_settings, product_imports
from plugins.catalog.domain import Product
from plugins.catalog.images import Image
from plugins.catalog.imaging import store_renditions
from plugins.catalog.import_runs import IMPORT_TASK
from plugins.catalog.services import RENDITIONS_TASK
from plugins.catalog.variants import Variant


def low_stock_report() -> int:
    """The site's one low-stock report, daily: every active variant at or below its own
    low-stock threshold (the rule the StockLow event follows), mailed to staff."""
    low = catalog_service().low_stock()
    if low:
        logger.warning("low stock: {} variant(s): {}", len(low),
                       ", ".join(f"{v.sku} ({v.stock_quantity}/{v.low_stock_threshold})" for _, v in low))
        mail_staff(commerce().mailer, catalog_settings()["staff_report_email"], *low_stock_mail(low),
                   setting="[plugins.catalog] staff_report_email")
    return len(low)


def low_stock_mail(low: list[tuple[Product, Variant]]) -> tuple[str, str]:
    lines = [f"{len(low)} variants are at or below their low-stock threshold:", ""]
    lines += [f"  {v.stock_quantity:>5} / {v.low_stock_threshold:<5} {v.sku}  {p.name}" for p, v in low]
    return f"Low stock: {len(low)} variants", "\n".join(lines)


def renditions_of(image: Image) -> dict[str, str]:
    """The image's renditions, made from its stored original and stored (content-hash names)."""
    media = catalog_media()
    return store_renditions(media, media.get(image.original))


def make_renditions(image_id: str) -> None:
    """Thumbnail, card and full size of an uploaded image (idempotent: same content, same names)."""
    catalog_service().make_renditions(UUID(image_id), renditions_of)


def import_products(run_id: str) -> None:
    """A CSV import started from the console (:mod:`plugins.catalog.import_runs`)."""
    product_imports().run(UUID(run_id))


TASKS = [TaskSpec(name="catalog.low_stock_report", func=low_stock_report, schedule="0 7 * * *"),
         TaskSpec(name=RENDITIONS_TASK, func=make_renditions, retries=3, retry_delay=10),
         TaskSpec(name=IMPORT_TASK, func=import_products)]
