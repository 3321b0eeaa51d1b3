"""The per-site broadcast: committed events on a Redis pub/sub channel, or inside one process.

Pub/sub delivers at most once to whoever listens at that moment; what a listener missed it reads
back from the outbox (a stream resumes after its last event id), so the channel only has to be fast.
"""

from __future__ import annotations

import os
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence

import redis
from loguru import logger

from kernel.events.domain import StoredEvent

RECONNECT_SECONDS = 1.0
Deliver = Callable[[StoredEvent | None], None]  # None: "you may have missed events, read the outbox"


def channel_name(site: str) -> str:
    return f"commerce:{site}:events"


class Broadcast(ABC):
    @abstractmethod
    def publish(self, events: Sequence[StoredEvent]) -> None:
        """Send committed events to every listener of the site (raises when the channel is down)."""

    @abstractmethod
    def listen(self, deliver: Deliver) -> None:
        """Start calling ``deliver`` for every event published by any process of the site (once a process)."""


class LocalBroadcast(Broadcast):
    """One process only (the demo's embedded default): publishing is calling the listener."""

    def __init__(self):
        self._deliver: Deliver | None = None

    def publish(self, events: Sequence[StoredEvent]) -> None:
        for event in events:
            if self._deliver is not None:
                self._deliver(event)

    def listen(self, deliver: Deliver) -> None:
        self._deliver = deliver


class RedisBroadcast(Broadcast):
    """``PUBLISH`` on the site's channel; one listening connection (and thread) per process."""

    def __init__(self, url: str, site: str, redis_options: dict[str, float]):
        self.channel = channel_name(site)
        self.url = url
        self.redis_options = redis_options
        self.client = redis.Redis.from_url(url, **redis_options)
        self._listening_pid: int | None = None
        self._lock = threading.Lock()

    def publish(self, events: Sequence[StoredEvent]) -> None:
        with self.client.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.publish(self.channel, event.message())
            pipe.execute()

    def listen(self, deliver: Deliver) -> None:
        with self._lock:
            if self._listening_pid == os.getpid():
                return
            self._listening_pid = os.getpid()  # a forked worker starts its own listener
        threading.Thread(target=self._listen_forever, args=(deliver,), name="commerce-events-listener",
                         daemon=True).start()

    def _listen_forever(self, deliver: Deliver) -> None:
        # no read timeout: the connection waits for the next message, with a PING now and then
        client = redis.Redis.from_url(self.url, socket_connect_timeout=self.redis_options["socket_connect_timeout"],
                                      health_check_interval=30)
        while True:
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(self.channel)
                deliver(None)  # (re)subscribed: whatever was published meanwhile is in the outbox
                for message in pubsub.listen():
                    if message["type"] == "message":
                        deliver(StoredEvent.from_message(message["data"]))
            except (redis.RedisError, OSError) as exc:
                logger.warning("event broadcast {} unreachable ({}); listening again in {}s", self.channel,
                               type(exc).__name__, RECONNECT_SECONDS)
                time.sleep(RECONNECT_SECONDS)


def create_broadcast(url: str, site: str, redis_options: dict[str, float]) -> Broadcast:
    if url == "local://":
        return LocalBroadcast()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisBroadcast(url, site, redis_options)
    raise ValueError(f"[events] url: unsupported broadcast URL {url!r} (local://, redis://...)")
