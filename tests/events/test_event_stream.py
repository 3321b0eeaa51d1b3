"""``GET /api/events/stream``: a person's live events, across processes, resumable."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from kernel.events.broadcast import LocalBroadcast
from kernel.events.domain import StoredEvent, Viewer
from kernel.events.hub import EventHub
from kernel.events.orm import event_outbox
from kernel.events.stream import event_frames
from tests.events.sse import Stream
from tests.orders.conftest import insert_product, order_body

FAST = {"events": {"heartbeat_seconds": 1}}


def open_stream(app, headers, last_id=None) -> Stream:
    if last_id is not None:
        headers = {**headers, "Last-Event-ID": str(last_id)}
    response = app.test_client().get("/api/events/stream", headers=headers, buffered=False)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Accel-Buffering"] == "no"
    stream = Stream(response)
    assert next(stream.frames()).comment == "open"
    return stream


def test_a_shopper_sees_their_order_become_paid_when_the_payment_lands_on_another_process(make_site, auth_headers):
    a, b = make_site(2, plugins=["catalog", "cart", "orders", "testpay"],
                     payments={"methods": {"testpay": "testpay", "credit_card": "offline"}}, **FAST)
    buyer, other, clerk = auth_headers(a), auth_headers(a), auth_headers(a, role="staff")
    lamp = insert_product(a, "Lamp", "10.00", 5)
    mine = b.test_client().post("/api/orders", json=order_body((lamp, 1), paymentMethod="testpay"),
                                headers=buyer).json["orderId"]
    payment = b.test_client().post(f"/api/orders/{mine}/payments", json={"returnUrl": "http://localhost/done"},
                                   headers=buyer).json
    stream = open_stream(a, buyer)
    theirs = b.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=other).json["orderId"]
    b.test_client().post(f"/api/admin/orders/{theirs}/mark-paid", headers=clerk)
    paid_by_provider = b.test_client().post(payment["approvalUrl"], data={"action": "pay"})  # the provider's page
    assert paid_by_provider.status_code == 303

    (paid,) = stream.events(1)
    stream.close()
    assert paid.event == "order.status_changed"
    assert paid.data["data"]["orderId"] == mine and paid.data["data"]["toStatus"] == "Paid"
    assert paid.id == paid.data["id"]


def test_staff_see_new_orders_and_payments_and_resume_after_the_last_event_id(make_site, auth_headers):
    a, b = make_site(2, **FAST)
    buyer, clerk = auth_headers(a), auth_headers(a, role="staff")
    lamp = insert_product(a, "Lamp", "10.00", 5)
    stream = open_stream(a, clerk)
    first = b.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
    (placed,) = stream.events(1)
    stream.close()
    assert placed.event == "order.placed" and placed.data["data"]["orderId"] == first

    # while the staff member is away: a payment and another order
    b.test_client().post(f"/api/admin/orders/{first}/mark-paid", headers=clerk)
    second = b.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]

    resumed = open_stream(a, clerk, last_id=placed.id)
    missed = resumed.events(2)
    resumed.close()
    assert [(f.event, f.data["data"]["orderId"]) for f in missed] == [("order.paid", first), ("order.placed", second)]
    assert missed[0].id < missed[1].id and placed.id < missed[0].id


def test_a_shopper_does_not_see_new_orders_or_low_stock(make_site, auth_headers):
    (app,) = make_site(1, **FAST)
    buyer = auth_headers(app)
    lamp = insert_product(app, "Lamp", "10.00", 5)
    stream = open_stream(app, buyer)
    app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer)
    frames = [next(stream.frames()) for _ in range(2)]  # one event (the status change), then a heartbeat
    stream.close()
    assert [f.event for f in frames] == ["order.status_changed", None] and frames[1].comment == "heartbeat"


def test_the_stream_needs_a_token_and_a_well_formed_last_event_id(make_site, auth_headers):
    (app,) = make_site(1)
    assert app.test_client().get("/api/events/stream").status_code == 401
    answer = app.test_client().get("/api/events/stream", headers={**auth_headers(app), "Last-Event-ID": "12abc"})
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert "Last-Event-ID" in answer.json["errors"]


def test_the_stream_ends_when_the_token_expires():
    engine = sa.create_engine("sqlite://")
    event_outbox.create(engine)
    hub = EventHub(LocalBroadcast())
    frames = event_frames(hub, engine, Viewer(user_id=uuid.uuid4(), staff=True), None, heartbeat=0.05,
                          expires_at=time.time() + 0.3)
    assert next(frames).endswith(": open\n\n")
    hub.deliver(StoredEvent(id=8, type="order.placed", data={}, created_at=datetime.now(UTC)))
    rest = list(frames)
    assert rest[0].startswith("id: 8\nevent: order.placed\n")
    assert ": heartbeat\n\n" in rest and rest[-1] == "event: token-expired\ndata: {}\n\n"
    assert hub.open_streams == 0


def test_a_stream_that_may_have_missed_events_reads_them_from_the_outbox():
    engine = sa.create_engine("sqlite://")
    event_outbox.create(engine)
    hub = EventHub(LocalBroadcast())
    frames = event_frames(hub, engine, Viewer(user_id=uuid.uuid4(), staff=True), None, heartbeat=5,
                          expires_at=time.time() + 60)
    assert next(frames).endswith(": open\n\n")
    with engine.begin() as connection:  # committed while this process's broadcast listener was away
        connection.execute(event_outbox.insert(), [
            {"site": "s", "type": kind, "payload": {}, "created_at": datetime.now(UTC)}
            for kind in ("order.placed", "order.paid")])
    hub.deliver(None)  # the listener is back: "you may have missed events"
    assert [next(frames).split("\n")[:2] for _ in range(2)] == [["id: 1", "event: order.placed"],
                                                                 ["id: 2", "event: order.paid"]]
    hub.deliver(StoredEvent(id=2, type="order.paid", data={}, created_at=datetime.now(UTC)))  # relayed again
    hub.deliver(StoredEvent(id=3, type="stock.low", data={}, created_at=datetime.now(UTC)))
    assert next(frames).startswith("id: 3\nevent: stock.low\n")
    frames.close()
    assert hub.open_streams == 0
