"""The publisher thread: it broadcasts and marks what was committed, and a quiet process keeps none."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from kernel.events import publisher as publisher_module
from kernel.events.broadcast import LocalBroadcast
from kernel.events.domain import StoredEvent
from kernel.events.orm import event_outbox
from tests.events.conftest import wait_for


def published_at(engine, event_id: int):
    with engine.connect() as connection:
        return connection.execute(sa.select(event_outbox.c.published_at)
                                  .where(event_outbox.c.id == event_id)).scalar_one()


def test_committed_events_are_broadcast_and_marked_and_the_thread_ends_when_idle(monkeypatch):
    monkeypatch.setattr(publisher_module, "IDLE_SECONDS", 0.2)
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False})
    event_outbox.create(engine)
    heard: list[int] = []
    broadcast = LocalBroadcast()
    broadcast.listen(lambda event: heard.append(event.id))
    publisher = publisher_module.OutboxPublisher(broadcast)

    for round_ in (1, 2):  # the second round comes after the first thread ended
        now = datetime.now(UTC)
        with engine.begin() as connection:
            event_id = connection.execute(sa.insert(event_outbox).values(
                site="s", type="order.placed", payload={}, created_at=now)).inserted_primary_key[0]
        publisher.submit(engine, [StoredEvent(id=event_id, type="order.placed", data={}, created_at=now)])
        assert wait_for(lambda round_=round_: len(heard) == round_)
        assert wait_for(lambda event_id=event_id: published_at(engine, event_id) is not None)  # marked after the broadcast
        assert wait_for(lambda: publisher._running_in is None)  # its thread ended: nothing to do
    assert heard == [1, 2]
