"""The streams of one process: each open stream holds a small queue fed by the broadcast listener."""

from __future__ import annotations

import queue
import threading

from kernel.events.broadcast import Broadcast
from kernel.events.domain import StoredEvent

QUEUE_SIZE = 256  # events a slow stream may lag behind before it is told to read the outbox instead


class Subscription:
    """What one stream receives: events, or ``None`` meaning "read the outbox after your last id"."""

    def __init__(self):
        self.queue: queue.Queue[StoredEvent | None] = queue.Queue(QUEUE_SIZE)

    def offer(self, event: StoredEvent | None) -> None:
        try:
            self.queue.put_nowait(event)
        except queue.Full:  # the stream catches up from the outbox; drop what it would read twice
            self._clear()
            self.queue.put_nowait(None)

    def next(self, timeout: float) -> StoredEvent | None:
        """The next event or resync marker; raises ``queue.Empty`` after ``timeout`` seconds of silence."""
        return self.queue.get(timeout=timeout)

    def _clear(self) -> None:
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                return


class EventHub:
    def __init__(self, broadcast: Broadcast):
        self.broadcast = broadcast
        self._subscriptions: set[Subscription] = set()
        self._lock = threading.Lock()

    def subscribe(self) -> Subscription:
        subscription = Subscription()
        with self._lock:
            self._subscriptions.add(subscription)
        self.broadcast.listen(self.deliver)  # after: the first stream gets the listener's resync marker too
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            self._subscriptions.discard(subscription)

    def deliver(self, event: StoredEvent | None) -> None:
        with self._lock:
            subscriptions = list(self._subscriptions)
        for subscription in subscriptions:
            subscription.offer(event)

    @property
    def open_streams(self) -> int:
        return len(self._subscriptions)
