"""The storefront's end-to-end journeys (storefront/e2e/journeys.mjs): Debian's Chromium,
driven by playwright-core, against the built storefront and the API served on a free port
by the same WSGI app `commerce serve` runs, on PostgreSQL and Redis. A screenshot of every
page lands in storefront/artifacts/ (or $STOREFRONT_ARTIFACTS); axe-core checks each one.
The staff console's journey (storefront/e2e/console.mjs) runs on a site of its own that also
enables promotions, shipping, tax and webhooks (the one server besides the storefront's)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import threading
import uuid
from contextlib import contextmanager

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
# The console's site has every plugin with a console page. Shipping to the shopper's country, free
# from 40.00 (the lamp at 49.50 ships free, so its refunds are the lamp's price); German VAT only,
# so the American shopper pays none.
CONSOLE_PLUGINS = ["catalog", "cart", "orders", "testpay", "promotions", "shipping", "tax", "webhooks"]
SHIPPING = {"zones": {"domestic": ["US"]}, "methods": [
    {"code": "standard", "label": "Standard", "zones": ["domestic"], "rate": "flat", "amount": "4.90",
     "free_above": "40.00"},
    {"code": "express", "label": "Express", "zones": ["domestic"], "rate": "weight",
     "bands": [{"below": "2", "amount": "9.00"}, {"amount": "15.00"}]},
]}
TAX = {"rates": [{"code": "de-vat", "label": "VAT 19 %", "country": "DE", "percent": "19"},
                 {"code": "de-vat-reduced", "label": "VAT 7 %", "country": "DE", "percent": "7", "tax_class": "reduced"}]}


@contextmanager
def serving(app):
    """``app`` seeded with a product of each kind, served on a free port: its base URL."""
    seeded = CliRunner().invoke(cli, ["catalog", "seed", "--per-kind", "1"], obj={"app": app})
    assert seeded.exit_code == 0, seeded.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


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
        with serving(app) as base_url:
            stripe.post_webhooks_to(f"{base_url}/api/payments/stripe/webhook", at_once=True)
            yield base_url, tmp_path / "mail", app


@pytest.fixture
def console_shop(make_app, redis_server_url, storefront_build, tmp_path, monkeypatch):
    """The console journey's site: the test payment provider, promotions, shipping, tax and outgoing
    webhooks (to loopback: the journey's own receiver). The one server besides the storefront's."""
    monkeypatch.setenv("COMMERCE_STOREFRONT_DIR", str(storefront_build))
    app = make_app(CONSOLE_PLUGINS, backend="postgres", cache={"url": redis_server_url},
                   payments={"methods": {"testpay": "testpay", "bank_transfer": "offline"}},
                   mail={"url": f"file://{tmp_path / 'mail'}"},
                   settings={"orders": {"confirmation_delay_minutes": 0}, "shipping": SHIPPING, "tax": TAX,
                             "webhooks": {"allow_private_addresses": True}})
    with serving(app) as base_url:
        yield base_url, app


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
def test_shoppers_buy_from_the_storefront(shop, auth_headers):
    base_url, mail, app = shop
    staff = auth_headers(app, role="staff")
    made = app.test_client().post("/api/admin/promotions", headers=staff,
                                  json={"code": COUPON, "discountType": "percentage", "value": "10"})
    assert made.status_code == 201, made.json
    report = run_journey("journeys.mjs", base_url, COUPON_CODE=COUPON, MAIL_DIR=str(mail))
    assert report["ordersAfterDoubleClick"] == 2 and report["screenshots"] >= 11
    assert report["paidWithStripe"]
    assert report["cartDiscount"].startswith("−") and report["cartTotal"], report  # the breakdown shows the coupon
    assert report["signedInAfterPasswordChange"] and report["signedInWithNewPassword"]
    with app.app_context():
        shipped_to = db.session.execute(sa.text("SELECT shipping_address FROM orders WHERE id = :id"),
                                        {"id": report["savedAddressOrder"]}).scalar_one()
        account = db.session.execute(sa.text("SELECT first_name, last_name, email FROM users WHERE email = :email"),
                                     {"email": report["shopper"]}).one()
    assert shipped_to["street"] == "12 Saved Square"  # the address book's, not typed at checkout
    # My account: the name saved; the account found by its old address, which stays until the link
    # mailed to the new one (the journey read it from the mail folder) is opened
    assert f"{account.first_name} {account.last_name}" == report["renamed"]
    messages = [path.read_text(errors="replace") for path in mail.rglob("*.eml")]
    assert any(report["shopper"] in message and report["paidOrder"] in message for message in messages), (
        f"no mail about order {report['paidOrder']} to {report['shopper']} among {len(messages)}")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_staff_run_the_shop_from_the_console(console_shop, auth_headers, tmp_path):
    base_url, app = console_shop
    staff = auth_headers(app, role="staff")
    seed_failed_job(app)
    console = run_journey("console.mjs", base_url, STAFF_EMAIL=staff.email, STAFF_PASSWORD=staff.password,
                          PRODUCT_IMAGE=product_image(tmp_path), FAILED_TASK=FAILED_TASK)
    assert console["refunded"].endswith("10.00") and console["screenshots"] >= 21
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
    assert console["couponValueError"].startswith("Not an amount") and console["couponDiscount"] == "$15.00"
    assert console["couponAppliesTo"] == "1 category (Desk lamps), 1 product"  # as stored: the list is read again
    assert console["shippingRates"] == ["standard: flat, $4.90", "express: by weight, under 2 kg: $9.00; 2 kg and more: $15.00"]
    assert console["taxRates"] == ["de-vat-reduced: 7 %", "de-vat: 19 %"]  # by country, region, class
    assert console["pricesIncludeTax"].startswith("exclude tax")
    assert not console["secretShownAgain"] and console["secretCopy"]
    assert sorted(console["deliveries"]) == [["order.paid", "succeeded", "200"], ["order.placed", "succeeded", "200"]]
    assert console["received"][-1] == "order.paid" and console["replayedSameId"] == 2  # the replay, same webhook-id
    assert console["forgedDeliveries"] == 0  # every delivery signed with the secret the console showed once
