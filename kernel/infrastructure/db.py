"""SQLAlchemy 2 through Flask-SQLAlchemy: one metadata, one session per app context.

All tables share :data:`metadata` so that cross-plugin foreign keys resolve; each site
creates, migrates and compares only the tables of the kernel and its enabled plugins
(the ``commerce_tables`` hook).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session
from loguru import logger
from sqlalchemy import DateTime, MetaData, Table, TypeDecorator, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase

from kernel.domain.events import DomainEvent
from kernel.domain.ports.unit_of_work import UnitOfWork

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    metadata = metadata


class UtcDateTime(TypeDecorator):
    """A timezone-aware timestamp on every database. SQLite keeps no UTC offset, so values are
    stored there in UTC and read back with ``+00:00`` (PostgreSQL's ``timestamptz`` does both)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and dialect.name == "sqlite" and value.tzinfo is not None:
            return value.astimezone(UTC)
        return value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


db = SQLAlchemy(model_class=Base)

_PENDING = "commerce_after_commit"
_EVENTS = "commerce_events"


def site_tables(pm) -> list[Table]:
    """The tables a site owns: the kernel's and its enabled plugins'."""
    tables = {table for tables in pm.hook.commerce_tables() for table in tables}
    return [table for table in metadata.sorted_tables if table in tables]


IDLE_PING_SECONDS = 10.0
_IDLE_SINCE = "commerce_idle_since"


def engine_options(url: str, pool_size: int) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"check_same_thread": False}}
    return {"pool_size": pool_size, "max_overflow": pool_size}


def ping_idle_connections(engine: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Check a pooled connection with a round trip when it comes back to use after sitting idle
    ``idle_seconds`` (what a restart, a proxy's idle timeout or ``idle_session_timeout`` hits),
    and replace it when the check fails.

    ``pool_pre_ping`` checks on every checkout: a round trip each time a request's session or the
    event publisher takes a connection, used milliseconds before under load. A connection that
    dies while in steady use fails its request with the 503 problem, and SQLAlchemy then drops
    every connection the pool held."""
    if engine.dialect.name == "sqlite":
        return

    @event.listens_for(engine, "checkin")
    def _idle_from(dbapi_connection, record):
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy):
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection idle for {idle_seconds:.0f}s failed its check") from exc


@event.listens_for(Session, "after_rollback")
def _drop_pending(session):
    session.info.pop(_PENDING, None)
    session.info.pop(_EVENTS, None)


class SqlAlchemyUnitOfWork(UnitOfWork):
    """The unit of work over the app context's session."""

    def __init__(self, session=None):
        self.session = session or db.session

    def commit(self) -> None:
        events = self.session.info.pop(_EVENTS, [])
        event_log = current_app.extensions["commerce"].events if events else None
        try:
            stored = event_log.record(self.session, events) if events else ()
            pending = self.session.info.pop(_PENDING, [])
            self.session.commit()
        except Exception:
            self.session.rollback()
            raise
        if stored:
            event_log.committed(self.session.get_bind(), stored)
        for callback in pending:
            try:
                callback()
            except Exception:  # the transaction is already committed: log, never undo it
                logger.exception("after-commit callback {} failed", getattr(callback, "__qualname__", callback))

    def rollback(self) -> None:
        self.session.rollback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self.session.info.setdefault(_PENDING, []).append(callback)

    def publish(self, event: DomainEvent) -> None:
        """The event goes to the event outbox with the commit, then to in-process hooks and the broadcast."""
        hook = getattr(current_app.extensions["commerce"].pm.hook, event.hook)
        self.session.info.setdefault(_EVENTS, []).append(event)
        self.after_commit(lambda: hook(event=event))
