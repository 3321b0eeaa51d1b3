"""Forgetting the keys whose 24 hours are over."""

from __future__ import annotations

from loguru import logger

from kernel.domain.clock import utcnow
from kernel.idempotency.repository import SqlIdempotencyStore
from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from kernel.jobs import TaskSpec

PURGE_SCHEDULE = "17 * * * *"


def purge_idempotency_keys() -> int:
    uow = SqlAlchemyUnitOfWork()
    with uow:
        purged = SqlIdempotencyStore(uow.session).purge(utcnow())
        uow.commit()
    logger.info("forgot {} idempotency key(s) past their lifetime", purged)
    return purged


def idempotency_tasks() -> list[TaskSpec]:
    return [TaskSpec("idempotency.purge", purge_idempotency_keys, schedule=PURGE_SCHEDULE)]
