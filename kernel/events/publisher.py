"""After commit, events go to the broadcast from a background thread, so a commit never waits on Redis.

The thread marks what it published; whatever it could not publish (Redis down, process killed
first) stays unpublished in the outbox for the relay job.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone

from loguru import logger
from sqlalchemy.engine import Engine

from kernel.events import repository
from kernel.events.broadcast import Broadcast
from kernel.events.domain import StoredEvent

BATCH = 500


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class OutboxPublisher:
    def __init__(self, broadcast: Broadcast, clock: Callable[[], datetime] = utcnow):
        self.broadcast = broadcast
        self.clock = clock
        self._queue: queue.Queue[tuple[Engine, list[StoredEvent]]] = queue.Queue()
        self._pid: int | None = None
        self._lock = threading.Lock()

    def submit(self, engine: Engine, events: Sequence[StoredEvent]) -> None:
        """Publish committed events soon, in the background."""
        self._start()
        self._queue.put((engine, list(events)))

    def publish(self, engine: Engine, events: Sequence[StoredEvent]) -> None:
        """Publish now and mark as published (raises when the broadcast is down)."""
        self.broadcast.publish(events)
        repository.mark_published(engine, [event.id for event in events], self.clock())

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()  # a forked worker inherits no thread: start its own
            self._queue = queue.Queue()
        threading.Thread(target=self._run, name="commerce-events-publisher", daemon=True).start()

    def _run(self) -> None:
        while True:
            engine, events = self._queue.get()
            while len(events) < BATCH:  # whatever else is waiting goes in the same round trips
                try:
                    events.extend(self._queue.get_nowait()[1])
                except queue.Empty:
                    break
            try:
                self.publish(engine, events)
            except Exception as exc:  # noqa: BLE001 - the relay publishes them later
                logger.warning("{} event(s) not broadcast ({}: {}); the relay will", len(events),
                               type(exc).__name__, exc)
