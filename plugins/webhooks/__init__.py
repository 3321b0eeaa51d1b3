"""The webhooks plugin: signed outgoing webhooks for the site's domain events (see docs/events.md)."""

from __future__ import annotations

from pathlib import Path

from kernel.plugins import PluginManifest, hookimpl
from plugins.webhooks.orm import webhook_deliveries, webhook_endpoints
from plugins.webhooks.schemas import WebhookSettings

manifest = PluginManifest(
    name="webhooks",
    version="0.1.0",
    kernel=">=0.1,<0.2",
    description="Outgoing webhooks signed per Standard Webhooks, retried for about a day",
    config_schema=WebhookSettings,
)


@hookimpl
def commerce_blueprints():
    from plugins.webhooks.api import blp

    return [blp]


@hookimpl
def commerce_tables():
    return [webhook_endpoints, webhook_deliveries]


@hookimpl
def commerce_migration_dirs():
    return [Path(__file__).parent / "migrations" / "versions"]


@hookimpl
def commerce_permissions():
    return {"webhooks:manage": ["staff"]}


@hookimpl
def commerce_tasks(site):
    from plugins.webhooks.tasks import webhook_tasks

    return webhook_tasks()


@hookimpl
def commerce_events_stored(events):
    """One fan-out job per commit that raised events, stored in that commit (it is never lost)."""
    from kernel.context import commerce

    commerce().jobs.enqueue("webhooks.fan_out", [event.as_dict() for event in events])
