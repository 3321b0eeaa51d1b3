"""``GET /api/events/stream``: a signed-in person's live events as Server-Sent Events.

Who sees what is :class:`kernel.events.domain.Viewer`'s rule. The stream resumes after
``Last-Event-ID`` from the outbox, sends a comment line every ``[events] heartbeat_seconds`` and
ends when the caller's access token expires (``event: token-expired``): the client reconnects
with a fresh token and its last id, and authorization is checked again then. It also ends after
``[events] max_stream_seconds``, so that no connection outlives a deploy by long.
"""

from __future__ import annotations

import queue
import time
from collections import deque
from collections.abc import Callable, Iterator

from flask import Response, request
from flask_jwt_extended import get_jwt
from flask_smorest import Blueprint
from sqlalchemy.engine import Engine

from kernel.context import commerce
from kernel.domain.errors import ValidationFailed
from kernel.events import repository
from kernel.events.domain import STAFF_PERMISSION, StoredEvent, Viewer
from kernel.events.hub import EventHub
from kernel.infrastructure.db import db
from kernel.web.auth import current_user_id, has_permission, login_required

BACKLOG_PAGE = 500
REMEMBERED_IDS = 1024  # ids a stream remembers to drop an event it receives twice (relay, resync)
RETRY_MILLISECONDS = 2000

blp = Blueprint("events", __name__, url_prefix="/api/events", description="Live events (Server-Sent Events).")


@blp.route("/stream", methods=["GET"])
@login_required
@blp.doc(
    parameters=[{"in": "header", "name": "Last-Event-ID", "required": False,
                 "schema": {"type": "string", "pattern": "^[0-9]{0,18}$"},
                 "description": "The id of the last event received: the stream starts with what came "
                                "after it (empty or absent: with what comes next)."}],
    responses={"200": {"description": "An endless `text/event-stream`; each event's `data` is "
                                      "`{id, type, data, createdAt}`.",
                       "content": {"text/event-stream": {"schema": {"type": "string"}}}}},
)
def stream():
    """Events of my orders (and, for staff with orders:manage, new orders, payments and low stock)."""
    last_id = _last_event_id()
    viewer = Viewer(user_id=current_user_id(), staff=has_permission(STAFF_PERMISSION))
    site = commerce()
    settings = site.site.events
    frames = event_frames(site.events.hub, db.engine, viewer, last_id, settings["heartbeat_seconds"],
                          expires_at=float(get_jwt()["exp"]), ends_at=time.time() + settings["max_stream_seconds"])
    return Response(frames, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _last_event_id() -> int | None:
    given = request.headers.get("Last-Event-ID")
    if given is None or given == "":
        return None
    if not (given.isascii() and given.isdigit() and len(given) <= 18):
        raise ValidationFailed("Last-Event-ID must be the id of an event (a whole number).",
                               errors={"Last-Event-ID": ["A whole number of at most 18 digits, or empty."]})
    return int(given)


def event_frames(hub: EventHub, engine: Engine, viewer: Viewer, last_id: int | None, heartbeat: float,
                 expires_at: float, ends_at: float = float("inf"),
                 clock: Callable[[], float] = time.time) -> Iterator[str]:
    """The stream's text, frame by frame, until the token ``expires_at`` or the stream's time is up
    (``ends_at``: the client reconnects). Subscribes before reading the outbox, so nothing
    committed in between is lost; an event seen twice is sent once."""
    subscription = hub.subscribe()
    try:
        cursor = _Cursor(repository.latest_id(engine) if last_id is None else last_id)
        yield f"retry: {RETRY_MILLISECONDS}\n: open\n\n"
        catch_up = last_id is not None
        while True:
            if catch_up:
                yield from (_frame(event) for event in cursor.backlog(engine) if viewer.sees(event))
                catch_up = False
            now = clock()
            if now >= expires_at:
                yield "event: token-expired\ndata: {}\n\n"
                return
            remaining = min(expires_at, ends_at) - now
            if remaining <= 0:
                return
            try:
                event = subscription.next(timeout=min(heartbeat, remaining))
            except queue.Empty:
                yield ": heartbeat\n\n"
                continue
            if event is None:  # the broadcast reconnected or this stream lagged: read the outbox
                catch_up = True
            elif cursor.take(event) and viewer.sees(event):
                yield _frame(event)
    finally:
        hub.unsubscribe(subscription)


class _Cursor:
    """How far a stream got: the highest id sent, and the latest ids (sent once each)."""

    def __init__(self, last_id: int):
        self.last_id = last_id
        self.recent: deque[int] = deque(maxlen=REMEMBERED_IDS)
        self.floor = last_id  # events up to here were before the stream (or the client had them)

    def take(self, event: StoredEvent) -> bool:
        if event.id <= self.floor or event.id in self.recent:
            return False
        self.recent.append(event.id)
        self.last_id = max(self.last_id, event.id)
        return True

    def backlog(self, engine: Engine) -> Iterator[StoredEvent]:
        after_id = self.last_id
        while True:
            page = repository.after(engine, after_id, BACKLOG_PAGE)
            yield from (event for event in page if self.take(event))
            if len(page) < BACKLOG_PAGE:
                return
            after_id = page[-1].id


def _frame(event: StoredEvent) -> str:
    return f"id: {event.id}\nevent: {event.type}\ndata: {event.message()}\n\n"
