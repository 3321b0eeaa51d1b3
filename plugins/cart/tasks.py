"""The cart's periodic housekeeping."""

from __future__ import annotations

from datetime import timedelta

from loguru import logger

from kernel.jobs import TaskSpec
from plugins.cart.bootstrap import cart_service, cart_settings

CLEANUP_TASK = "cart.delete_abandoned_guest_carts"


def delete_abandoned_guest_carts() -> int:
    """Delete guest carts nobody touched for ``guest_cart_max_age_days`` (safe to run twice)."""
    max_age = timedelta(days=cart_settings()["guest_cart_max_age_days"])
    deleted = cart_service().delete_abandoned_guest_carts(max_age)
    logger.info("deleted {} abandoned guest carts", deleted)
    return deleted


def cart_tasks(settings: dict) -> list[TaskSpec]:
    return [TaskSpec(CLEANUP_TASK, delete_abandoned_guest_carts, schedule=settings["cleanup_schedule"])]
