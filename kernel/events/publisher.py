"""After commit, events go to the broadcast from a background thread, so a commit never waits on Redis.

The thread marks what it published; whatever it could not publish (Redis down, process killed
first) stays unpublished in the outbox for the relay job.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from loguru import logger
from sqlalchemy.engine import Engine

from kernel.events import repository
from kernel.events.broadcast import Broadcast
from kernel.events.domain import StoredEvent

BATCH = 500
IDLE_SECONDS = 30  # a quiet process keeps no publisher thread


def utcnow() -> datetime:
    return datetime.now(UTC)


class OutboxPublisher:
    def __init__(self, broadcast: Broadcast, clock: Callable[[], datetime] = utcnow):
        self.broadcast = broadcast
        self.clock = clock
        self._queue: queue.Queue[tuple[Engine, list[StoredEvent]]] = queue.Queue()
        self._running_in: int | None = None  # the pid whose thread is running (a forked child has none)
        self._lock = threading.Lock()

    def submit(self, engine: Engine, events: Sequence[StoredEvent]) -> None:
        """Publish committed events soon, in the background."""
        with self._lock:
            self._queue.put((engine, list(events)))
            if self._running_in != os.getpid():
                self._running_in = os.getpid()
                threading.Thread(target=self._run, name="commerce-events-publisher", daemon=True).start()

    def publish(self, engine: Engine, events: Sequence[StoredEvent]) -> None:
        """Publish now and mark as published (raises when the broadcast is down)."""
        self.broadcast.publish(events)
        repository.mark_published(engine, [event.id for event in events], self.clock())

    def _run(self) -> None:
        while batch := self._next_batch():
            engine, events = batch
            try:
                self.publish(engine, events)
            except Exception as exc:  # noqa: BLE001 - the relay publishes them later
                logger.warning("{} event(s) not broadcast ({}: {}); the relay will", len(events),
                               type(exc).__name__, exc)

    def _next_batch(self) -> tuple[Engine, list[StoredEvent]] | None:
        """What is waiting, up to ``BATCH`` events; None (the thread ends) after ``IDLE_SECONDS`` of nothing."""
        try:
            engine, events = self._queue.get(timeout=IDLE_SECONDS)
        except queue.Empty:
            with self._lock:  # submit() puts under this lock: nothing can arrive unseen
                if self._queue.empty():
                    self._running_in = None
                    return None
            engine, events = self._queue.get_nowait()
        while len(events) < BATCH:  # whatever else is waiting goes in the same round trips
            try:
                events.extend(self._queue.get_nowait()[1])
            except queue.Empty:
                break
        return engine, events
