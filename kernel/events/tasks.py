"""The event jobs: the relay (what a crash left unpublished) and pruning the outbox."""

from __future__ import annotations

from datetime import timedelta

from loguru import logger

from kernel.context import commerce
from kernel.events import repository
from kernel.events.publisher import utcnow
from kernel.infrastructure.db import db
from kernel.jobs import TaskSpec

RELAY_SCHEDULE = "* * * * *"  # every minute: a subscriber's gap lasts at most about a minute
PRUNE_SCHEDULE = "41 3 * * *"


def relay_events() -> None:
    relayed = commerce().events.relay(db.engine)
    if relayed:
        logger.warning("relayed {} event(s) that were committed but not broadcast", relayed)


def prune_events() -> None:
    keep_days = commerce().site.events["keep_days"]
    removed = repository.prune(db.engine, utcnow() - timedelta(days=keep_days))
    logger.info("pruned {} published event(s) older than {} days", removed, keep_days)


def event_tasks() -> list[TaskSpec]:
    return [
        TaskSpec("events.relay", relay_events, retries=0, schedule=RELAY_SCHEDULE),
        TaskSpec("events.prune", prune_events, schedule=PRUNE_SCHEDULE),
    ]
