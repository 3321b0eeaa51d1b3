"""The storefront's end-to-end journeys (storefront/e2e/journeys.mjs): Debian's Chromium,
driven by playwright-core, against the built storefront and the API served on a free port
by the same WSGI app `commerce serve` runs, on PostgreSQL and Redis. A screenshot of every
page lands in storefront/artifacts/ (or $STOREFRONT_ARTIFACTS); axe-core checks each one.
The staff console's journey (storefront/e2e/console.mjs) runs against the same server."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import threading
import uuid

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from PIL import Image
from werkzeug.serving import make_server

from kernel.cli import cli
from kernel.domain.clock import utcnow
from kernel.infrastructure.db import db
from tests.emulators.stripe import StripeEmulator
from tests.storefront.conftest import STOREFRONT, node_modules

CHROMIUM = shutil.which("chromium")
PLUGINS = ["catalog", "cart", "orders", "testpay", "stripe", "promotions"]
COUPON = "JOURNEY10"


@pytest.fixture
def shop(make_app, redis_server_url, storefront_build, tmp_path, monkeypatch):
    """A seeded site with the test payment provider and Stripe (the Stripe emulator, which delivers
    its webhooks to the site as Stripe would), its mail in ``tmp_path/mail``."""
    monkeypatch.setenv("COMMERCE_STOREFRONT_DIR", str(storefront_build))
    with StripeEmulator(webhook_secrets=("whsec_journeys",)) as stripe:
        app = make_app(PLUGINS, backend="postgres", cache={"url": redis_server_url},
                       payments={"methods": {"testpay": "testpay", "credit_card": "stripe", "paypal": "offline",
                                             "bank_transfer": "offline"}},
                       mail={"url": f"file://{tmp_path / 'mail'}"},
                       settings={"orders": {"confirmation_delay_minutes": 0},
                                 "stripe": {"secret_key": stripe.api_key, "webhook_secret": "whsec_journeys",
                                            "api_base": stripe.base_url, "max_network_retries": 0,
                                            "timeout_seconds": 5}})
        seeded = CliRunner().invoke(cli, ["catalog", "seed", "--per-kind", "1"], obj={"app": app})
        assert seeded.exit_code == 0, seeded.output
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base_url = f"http://127.0.0.1:{server.server_port}"
        stripe.post_webhooks_to(f"{base_url}/api/payments/stripe/webhook", at_once=True)
        yield base_url, tmp_path / "mail", app
        server.shutdown()
        thread.join(timeout=10)


FAILED_TASK = "catalog.low_stock_report"


def seed_failed_job(app) -> None:
    """A run of the daily low-stock report that used up its attempts in an outage, as the worker
    leaves it (error and traceback): the console retries it and it runs for real."""
    now = utcnow()
    with app.app_context():
        db.session.execute(sa.text(
            "INSERT INTO job_runs (id, task, arguments, state, attempts, max_attempts, retry_delay, created_at, "
            "run_after, finished_at, error, traceback) VALUES (:id, :task, CAST(:arguments AS JSONB), 'failed', 3, 3, 10, "
            ":now, :now, :now, :error, :traceback)"),
            {"id": uuid.uuid4(), "task": FAILED_TASK, "arguments": json.dumps({"args": [], "kwargs": {}}), "now": now,
             "error": "ConnectionRefusedError: [Errno 111] Connection refused",
             "traceback": "Traceback (most recent call last):\n  ...\nConnectionRefusedError: [Errno 111] Connection refused"})
        db.session.commit()


def product_image(tmp_path) -> str:
    path = tmp_path / "tee.png"
    out = io.BytesIO()
    Image.new("RGB", (600, 400), (120, 120, 130)).save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def run_journey(script: str, base_url: str, **env: str) -> dict:
    """Run one ``storefront/e2e`` script against ``base_url``; its last JSON line is the report."""
    artifacts = os.environ.get("STOREFRONT_ARTIFACTS", str(STOREFRONT / "artifacts"))
    node_modules()
    result = subprocess.run(["node", f"e2e/{script}"], cwd=STOREFRONT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "BASE_URL": base_url, "ARTIFACTS": artifacts, **env})
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(lines[-1])
    assert report["ok"], json.dumps(report, indent=2)
    return report


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_shoppers_buy_and_staff_run_the_shop_from_the_console(shop, auth_headers):
    """One server for both journeys (the CI budget): the storefront's, then the console's."""
    base_url, mail, app = shop
    staff = auth_headers(app, role="staff")
    made = app.test_client().post("/api/admin/promotions", headers=staff,
                                  json={"code": COUPON, "discountType": "percentage", "value": "10"})
    assert made.status_code == 201, made.json
    report = run_journey("journeys.mjs", base_url, COUPON_CODE=COUPON, MAIL_DIR=str(mail))
    assert report["ordersAfterDoubleClick"] == 2 and report["screenshots"] >= 11
    assert report["paidWithStripe"]
    assert report["cartDiscount"].startswith("−") and report["cartTotal"], report  # the breakdown shows the coupon
    assert report["signedInWithNewPassword"]
    with app.app_context():
        shipped_to = db.session.execute(sa.text("SELECT shipping_address FROM orders WHERE id = :id"),
                                        {"id": report["savedAddressOrder"]}).scalar_one()
    assert shipped_to["street"] == "12 Saved Square"  # the address book's, not typed at checkout
    messages = [path.read_text(errors="replace") for path in mail.rglob("*.eml")]
    assert any(report["shopper"] in message and report["paidOrder"] in message for message in messages), (
        f"no mail about order {report['paidOrder']} to {report['shopper']} among {len(messages)}")

    seed_failed_job(app)
    console = run_journey("console.mjs", base_url, STAFF_EMAIL=staff.email, STAFF_PASSWORD=staff.password,
                          PRODUCT_IMAGE=product_image(mail.parent), FAILED_TASK=FAILED_TASK)
    assert console["refunded"].endswith("10.00") and console["screenshots"] >= 14
    assert [error.split(": ")[:2] for error in console["importErrors"]] == [["line 3", "price"]], console["importErrors"]
    assert console["lampStockAfter"] == "10"
    assert console["variants"] == ["TEE-E2E-S", "TEE-E2E-M"]
    assert console["teeOnSale"] == [["TEE-E2E-S", 2], ["TEE-E2E-M", 3]]  # what the shop now sells
    [record] = console["paymentRecords"]  # the test provider's one payment: paid, then refunded in two steps
    assert (record["status"], record["refunded"]) == ("refunded", "$49.50") and record["events"][0].startswith("succeeded")
    assert console["failedJobTraceback"].startswith("ConnectionRefusedError")
    assert console["retriedJobState"] == "succeeded"
    assert console["customerLandedOn"] == "/" and not console["customerSeesConsoleLink"]
    assert console["ordersTodayAfter"] == console["ordersTodayBefore"] + 1  # live, through the event stream
    assert set(console["customerApi"].values()) == {403}, console["customerApi"]
