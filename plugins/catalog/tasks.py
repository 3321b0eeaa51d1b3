"""The catalog's background jobs."""

from __future__ import annotations

from loguru import logger

from kernel.jobs import TaskSpec
from plugins.catalog.bootstrap import catalog_service


def low_stock_report() -> list[str]:
    """Daily notice of every active product at or below its low-stock threshold (SKUs, for the log)."""
    low = catalog_service().low_stock()
    if low:
        logger.warning("low stock: {} product(s): {}", len(low),
                       ", ".join(f"{p.sku} ({p.stock_quantity}/{p.low_stock_threshold})" for p in low))
    return [p.sku for p in low]


TASKS = [TaskSpec(name="catalog.low_stock_report", func=low_stock_report, schedule="0 7 * * *")]
