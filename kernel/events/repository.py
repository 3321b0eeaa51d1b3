"""Reads and writes of the event outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from kernel.domain.events import DomainEvent, event_data
from kernel.events.domain import StoredEvent
from kernel.events.orm import event_outbox as outbox

_COLUMNS = (outbox.c.id, outbox.c.type, outbox.c.payload, outbox.c.created_at)
_RECORD = sa.insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)  # built once, keyed once


def record(session: Session, site: str, events: Sequence[DomainEvent], now: datetime) -> list[StoredEvent]:
    """Write ``events`` in the session's transaction with one multi-row INSERT; their new ids in order."""
    rows = [{"site": site, "type": event.type, "payload": event_data(event), "created_at": now} for event in events]
    ids = session.execute(_RECORD, rows).scalars()
    return [StoredEvent(id=event_id, type=row["type"], data=row["payload"], created_at=now)
            for event_id, row in zip(ids, rows, strict=True)]


def mark_published(engine: Engine, ids: Sequence[int], now: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(sa.update(outbox).where(outbox.c.id.in_(ids), outbox.c.published_at.is_(None))
                           .values(published_at=now))


def unpublished(engine: Engine, written_before: datetime, limit: int) -> list[StoredEvent]:
    """The oldest events still unpublished that were written before ``written_before``."""
    query = (sa.select(*_COLUMNS).where(outbox.c.published_at.is_(None), outbox.c.created_at < written_before)
             .order_by(outbox.c.id).limit(limit))
    return _read(engine, query)


def after(engine: Engine, last_id: int, limit: int) -> list[StoredEvent]:
    """The events written after event ``last_id`` (a stream's ``Last-Event-ID``), oldest first."""
    return _read(engine, sa.select(*_COLUMNS).where(outbox.c.id > last_id).order_by(outbox.c.id).limit(limit))


def prune(engine: Engine, written_before: datetime) -> int:
    with engine.begin() as connection:
        return connection.execute(sa.delete(outbox).where(outbox.c.created_at < written_before,
                                                          outbox.c.published_at.is_not(None))).rowcount


def _read(engine: Engine, query) -> list[StoredEvent]:
    with engine.connect() as connection:
        return [StoredEvent(id=row.id, type=row.type, data=row.payload, created_at=row.created_at)
                for row in connection.execute(query)]


def latest_id(engine: Engine) -> int:
    """The id of the newest event (0 when there is none): where a stream without ``Last-Event-ID`` starts."""
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.coalesce(sa.func.max(outbox.c.id), 0))).scalar_one()
