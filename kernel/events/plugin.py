"""The event log's hook implementations (always enabled)."""

from __future__ import annotations

from kernel.events.orm import event_outbox
from kernel.plugins import hookimpl


@hookimpl
def commerce_tables():
    return [event_outbox]


@hookimpl
def commerce_tasks(site):
    from kernel.events.tasks import event_tasks

    return event_tasks()


@hookimpl
def commerce_blueprints(site):
    from kernel.events.stream import blp

    return [blp]
