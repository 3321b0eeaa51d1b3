"""A site's event log: what the unit of work calls around its commit, and what streams subscribe to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pluggy
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kernel.domain.events import DomainEvent
from kernel.events import repository
from kernel.events.broadcast import Broadcast
from kernel.events.domain import StoredEvent
from kernel.events.hub import EventHub
from kernel.events.publisher import OutboxPublisher, utcnow

RELAY_BATCH = 1000


class EventLog:
    def __init__(self, site: str, pm: pluggy.PluginManager, broadcast: Broadcast, settings: dict):
        self.site = site
        self.pm = pm
        self.settings = settings
        self.publisher = OutboxPublisher(broadcast)
        self.hub = EventHub(broadcast)

    def record(self, session: Session, events: Sequence[DomainEvent]) -> list[StoredEvent]:
        """Before commit: write the events to the outbox and let plugins act in the same transaction."""
        stored = repository.record(session, self.site, events, utcnow())
        self.pm.hook.commerce_events_stored(events=stored)
        return stored

    def committed(self, engine: Engine, stored: Sequence[StoredEvent]) -> None:
        """After commit: broadcast them (in the background)."""
        self.publisher.submit(engine, stored)

    def relay(self, engine: Engine, now: datetime | None = None) -> int:
        """Publish what was left unpublished for ``[events] relay_after_seconds``; how many were."""
        written_before = (now or utcnow()) - timedelta(seconds=self.settings["relay_after_seconds"])
        total = 0
        while events := repository.unpublished(engine, written_before, RELAY_BATCH):
            self.publisher.publish(engine, events)
            total += len(events)
        return total
