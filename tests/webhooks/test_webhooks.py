"""Outgoing webhooks on PostgreSQL + Redis, to a local receiver that verifies every signature."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kernel.infrastructure.db import db
from kernel.jobs.orm import job_runs
from kernel.jobs.platform import jobs_platform
from tests.orders.conftest import insert_product, order_body
from tests.webhooks.receiver import Receiver

PLUGINS = ["catalog", "cart", "orders", "webhooks"]
ORDER_EVENTS = ["order.placed", "order.paid", "order.status_changed"]


@pytest.fixture
def receiver():
    started = Receiver().start()
    yield started
    started.stop()


def webhook_site(make_site, **webhooks):
    (app,) = make_site(1, plugins=PLUGINS, settings={
        "orders": {"confirmation_delay_minutes": 0},
        "webhooks": {"allow_private_addresses": True, "staff_email": "ops@example.com", **webhooks}})
    return app


def register(app, clerk, receiver, types=ORDER_EVENTS):
    answer = app.test_client().post("/api/admin/webhooks", json={"url": receiver.url, "eventTypes": types},
                                    headers=clerk)
    assert answer.status_code == 201, answer.json
    receiver.secret = answer.json["secret"]
    return answer.json


def pending_retries(app) -> list[str]:
    with app.app_context():
        ids = db.session.execute(sa.select(job_runs.c.id).where(job_runs.c.task == "webhooks.deliver",
                                                                job_runs.c.state == "retrying")).scalars().all()
        db.session.rollback()
    return [str(job_id) for job_id in ids]


def run_due_retries(app) -> None:
    """What the worker does when each retry's time has come."""
    for job_id in pending_retries(app):
        with app.app_context():
            jobs_platform().runner.run(job_id)


def place_and_pay(app, buyer, clerk) -> str:
    lamp = insert_product(app, "Lamp", "10.00", 5)
    order_id = app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
    assert app.test_client().post(f"/api/admin/orders/{order_id}/mark-paid", headers=clerk).status_code == 200
    return order_id


def test_a_receiver_gets_each_order_event_once_signed_and_numbered(make_site, auth_headers, receiver):
    app = webhook_site(make_site)
    buyer, clerk = auth_headers(app), auth_headers(app, role="staff")
    endpoint = register(app, clerk, receiver)
    order_id = place_and_pay(app, buyer, clerk)

    assert receiver.refused == []
    types = [delivery["body"]["type"] for delivery in receiver.received]
    assert sorted(types) == sorted(["order.status_changed", "order.placed", "order.status_changed", "order.paid"])
    assert {delivery["body"]["data"]["orderId"] for delivery in receiver.received} == {order_id}
    sequences = [delivery["body"]["sequence"] for delivery in receiver.received]
    assert len(set(sequences)) == 4 and len({d["id"] for d in receiver.received}) == 4

    log = app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}/deliveries", headers=clerk).json
    assert log["totalCount"] == 4
    assert {(d["state"], d["responseStatus"], d["attempts"]) for d in log["items"]} == {("succeeded", 200, 1)}
    assert all(d["durationMs"] >= 0 for d in log["items"])


def test_the_secret_is_shown_once_and_staff_only_manage_endpoints(make_site, auth_headers, receiver):
    app = webhook_site(make_site)
    clerk, buyer = auth_headers(app, role="staff"), auth_headers(app)
    endpoint = register(app, clerk, receiver)
    assert endpoint["secret"].startswith("whsec_")
    listed = app.test_client().get("/api/admin/webhooks", headers=clerk).json["items"]
    assert [item["id"] for item in listed] == [endpoint["id"]] and "secret" not in listed[0]
    assert "secret" not in app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}", headers=clerk).json
    assert app.test_client().get("/api/admin/webhooks", headers=buyer).status_code == 403
    assert app.test_client().delete(f"/api/admin/webhooks/{endpoint['id']}", headers=clerk).status_code == 204
    assert app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}", headers=clerk).status_code == 404


def test_a_receiver_that_was_down_gets_what_it_missed_by_retry(make_site, auth_headers, receiver):
    app = webhook_site(make_site)
    buyer, clerk = auth_headers(app), auth_headers(app, role="staff")
    endpoint = register(app, clerk, receiver, types=["order.paid"])
    lamp = insert_product(app, "Lamp", "10.00", 5)
    order_id = app.test_client().post("/api/orders", json=order_body((lamp, 1)), headers=buyer).json["orderId"]
    receiver.stop()
    app.test_client().post(f"/api/admin/orders/{order_id}/mark-paid", headers=clerk)

    (waiting,) = app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}/deliveries", headers=clerk).json["items"]
    assert (waiting["state"], waiting["attempts"], waiting["responseStatus"]) == ("pending", 1, None)
    assert "no answer" in waiting["error"] and len(pending_retries(app)) == 1

    receiver.start()
    run_due_retries(app)
    assert [d["body"]["data"]["orderId"] for d in receiver.received] == [order_id]
    (landed,) = app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}/deliveries", headers=clerk).json["items"]
    assert (landed["state"], landed["attempts"], landed["responseStatus"]) == ("succeeded", 2, 200)
    assert pending_retries(app) == []


def test_an_endpoint_failing_again_and_again_is_disabled_and_staff_are_mailed(make_site, auth_headers, tmp_path):
    app = webhook_site(make_site, disable_after_failures=3)
    buyer, clerk = auth_headers(app), auth_headers(app, role="staff")
    failing = Receiver(answer=500).start()
    try:
        endpoint = register(app, clerk, failing, types=["order.status_changed"])
        place_and_pay(app, buyer, clerk)  # two deliveries, one attempt each
        run_due_retries(app)  # the third failed attempt disables the endpoint
        run_due_retries(app)
    finally:
        failing.stop()
    state = app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}", headers=clerk).json
    assert state["enabled"] is False and state["disabledReason"] == "3 failed deliveries in a row"
    log = app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}/deliveries", headers=clerk).json["items"]
    assert {d["state"] for d in log} == {"failed"} and sum(d["attempts"] for d in log) == 3
    assert pending_retries(app) == []
    mails = [path.read_text() for path in (tmp_path / "mail").glob("*.eml")]
    disabled = [mail for mail in mails if "Webhook endpoint disabled" in mail]
    assert len(disabled) == 1 and "ops@example.com" in disabled[0] and failing.url in disabled[0]


def test_a_delivery_can_be_replayed_with_the_same_webhook_id(make_site, auth_headers, receiver):
    app = webhook_site(make_site)
    buyer, clerk = auth_headers(app), auth_headers(app, role="staff")
    endpoint = register(app, clerk, receiver, types=["order.paid"])
    place_and_pay(app, buyer, clerk)
    (delivery,) = app.test_client().get(f"/api/admin/webhooks/{endpoint['id']}/deliveries", headers=clerk).json["items"]
    answer = app.test_client().post(f"/api/admin/webhooks/{endpoint['id']}/deliveries/{delivery['id']}/replay",
                                    headers=clerk)
    assert answer.status_code == 202
    assert len(receiver.received) == 2 and receiver.received[0]["id"] == receiver.received[1]["id"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://[::1]/hook",
                                 "http://[::ffff:192.168.0.1]/hook", "http://0.0.0.0/hook"])
def test_an_endpoint_on_a_private_address_is_refused_naming_the_url(make_site, auth_headers, url):
    (app,) = make_site(1, plugins=PLUGINS)
    clerk = auth_headers(app, role="staff")
    answer = app.test_client().post("/api/admin/webhooks", json={"url": url, "eventTypes": ["order.paid"]},
                                    headers=clerk)
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert list(answer.json["errors"]) == ["url"]
    assert app.test_client().get("/api/admin/webhooks", headers=clerk).json["items"] == []


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_the_migrations_of_the_event_outbox_and_webhooks_match_the_models(make_app, pg_url, backend):
    from kernel.infrastructure.migrations import pending_schema_changes, upgrade_database

    app = make_app(PLUGINS, backend=backend, create_tables=False)
    upgrade_database(app)
    with app.app_context():
        assert pending_schema_changes(app) == []
