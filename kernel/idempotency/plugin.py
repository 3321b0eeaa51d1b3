"""The idempotency store's hook implementations (always enabled)."""

from __future__ import annotations

from kernel.idempotency.orm import idempotency_keys
from kernel.plugins import hookimpl


@hookimpl
def commerce_tables():
    return [idempotency_keys]


@hookimpl
def commerce_tasks(site):
    from kernel.idempotency.tasks import idempotency_tasks

    return idempotency_tasks()
