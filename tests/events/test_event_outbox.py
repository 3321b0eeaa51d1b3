"""Every committed domain event is in the outbox and reaches the other processes of its site."""

from __future__ import annotations

import sqlalchemy as sa

from kernel.events.orm import event_outbox
from kernel.infrastructure.db import db
from tests.events.conftest import outbox_rows, wait_for
from tests.orders.conftest import insert_product, order_body


def test_an_order_and_its_payment_are_in_the_outbox_in_order_and_marked_published(make_site, auth_headers):
    (app,) = make_site()
    buyer, clerk = auth_headers(app), auth_headers(app, role="staff")
    lamp = insert_product(app, "Lamp", "10.00", 5)
    order_id = app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
    app.test_client().post(f"/api/admin/orders/{order_id}/mark-paid", headers=clerk)

    rows = wait_for(lambda: [r for r in outbox_rows(app) if r["published_at"]] == outbox_rows(app) and outbox_rows(app))
    types = [row["type"] for row in rows]
    assert types == ["order.status_changed", "order.placed", "order.status_changed", "order.paid"]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    paid = rows[3]["payload"]
    assert paid["orderId"] == order_id and paid["amount"] == "10.00" and paid["userId"] == str(buyer.user_id)
    assert rows[2]["payload"]["fromStatus"] == "Pending" and rows[2]["payload"]["toStatus"] == "Paid"
    assert all(row["site"] == app.extensions["commerce"].site.name for row in rows)


def test_a_refused_checkout_writes_no_event(make_site, auth_headers):
    (app,) = make_site()
    buyer = auth_headers(app)
    lamp = insert_product(app, "Lamp", "10.00", 1)
    answer = app.test_client().post("/api/orders", json=order_body((lamp, 2)), headers=buyer)
    assert answer.status_code == 409
    assert outbox_rows(app) == []


def test_a_subscriber_on_another_process_hears_the_commit(make_site, auth_headers):
    writer, reader = make_site(2)
    subscription = reader.extensions["commerce"].events.hub.subscribe()
    assert subscription.next(timeout=5) is None  # subscribed to the site's channel
    buyer = auth_headers(writer)
    lamp = insert_product(writer, "Lamp", "10.00", 5)
    order_id = writer.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]

    heard = [subscription.next(timeout=5), subscription.next(timeout=5)]
    assert [event.type for event in heard] == ["order.status_changed", "order.placed"]
    assert heard[1].data["orderId"] == order_id


def test_the_relay_publishes_what_a_crash_left_unpublished(make_site, auth_headers):
    from kernel.events.publisher import utcnow

    writer, reader = make_site(2)
    buyer = auth_headers(writer)
    lamp = insert_product(writer, "Lamp", "10.00", 5)
    writer.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer)
    wait_for(lambda: all(row["published_at"] for row in outbox_rows(writer)))
    with writer.app_context():  # as if the process died between commit and broadcast
        db.session.execute(sa.update(event_outbox).values(published_at=None))
        db.session.commit()
    subscription = reader.extensions["commerce"].events.hub.subscribe()
    assert subscription.next(timeout=5) is None

    with writer.app_context():
        events = writer.extensions["commerce"].events
        assert events.relay(db.engine, now=utcnow()) == 0  # too recent: the publisher may still be at it
        later = utcnow().replace(year=utcnow().year + 1)
        assert events.relay(db.engine, now=later) == 2
    assert [subscription.next(timeout=5).type for _ in range(2)] == ["order.status_changed", "order.placed"]
    assert all(row["published_at"] for row in outbox_rows(writer))


def test_pruning_drops_old_published_events_and_keeps_the_unpublished(make_site):
    from datetime import timedelta

    from kernel.events import repository
    from kernel.events.publisher import utcnow

    (app,) = make_site(1, events={"keep_days": 30})
    old = utcnow() - timedelta(days=31)
    rows = [{"site": "s", "type": "order.placed", "payload": {}, "created_at": old, "published_at": old},
            {"site": "s", "type": "order.paid", "payload": {}, "created_at": old, "published_at": None},
            {"site": "s", "type": "stock.low", "payload": {}, "created_at": utcnow(), "published_at": utcnow()}]
    with app.app_context():
        db.session.execute(sa.insert(event_outbox), rows)
        db.session.commit()
        assert repository.prune(db.engine, utcnow() - timedelta(days=30)) == 1
    assert [row["type"] for row in outbox_rows(app)] == ["order.paid", "stock.low"]


def test_a_checkout_writes_its_events_with_one_insert_and_a_commit_without_events_touches_no_outbox(
        make_site, auth_headers):
    from kernel.testing.queries import count_queries

    (app,) = make_site()
    buyer = auth_headers(app)
    lamp = insert_product(app, "Lamp", "10.00", 5)
    with count_queries(app) as statements:
        app.test_client().post("/api/cart/items", json={"productId": str(lamp), "quantity": 1}, headers=buyer)
    assert not [s for s in statements if "event_outbox" in s]
    with count_queries(app) as statements:
        placed = app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer)
    assert placed.status_code == 201
    inserts = [s for s in statements if s.lstrip().startswith("INSERT INTO event_outbox")]
    assert len(inserts) == 1 and len(outbox_rows(app)) == 2  # two events, one multi-row statement
