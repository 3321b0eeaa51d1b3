"""The storefront's end-to-end journeys (storefront/e2e/journeys.mjs): Debian's Chromium,
driven by playwright-core, against the built storefront and the API served on a free port
by the same WSGI app `commerce serve` runs, on PostgreSQL and Redis. A screenshot of every
page lands in storefront/artifacts/ (or $STOREFRONT_ARTIFACTS); axe-core checks each one.
The staff console's journey (storefront/e2e/console.mjs) runs against the same server."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from werkzeug.serving import make_server

from kernel.cli import cli
from kernel.infrastructure.db import db
from tests.storefront.conftest import STOREFRONT, node_modules

CHROMIUM = shutil.which("chromium")
PLUGINS = ["catalog", "cart", "orders", "testpay"]


@pytest.fixture
def shop(make_app, redis_server_url, storefront_build, tmp_path, monkeypatch):
    """A seeded site with the test payment provider, its mail in ``tmp_path/mail``."""
    monkeypatch.setenv("COMMERCE_STOREFRONT_DIR", str(storefront_build))
    app = make_app(PLUGINS, backend="postgres", cache={"url": redis_server_url},
                   payments={"methods": {"testpay": "testpay", "credit_card": "offline", "paypal": "offline",
                                         "bank_transfer": "offline"}},
                   mail={"url": f"file://{tmp_path / 'mail'}"},
                   settings={"orders": {"confirmation_delay_minutes": 0}})
    seeded = CliRunner().invoke(cli, ["catalog", "seed", "--per-kind", "1"], obj={"app": app})
    assert seeded.exit_code == 0, seeded.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", tmp_path / "mail", app
    server.shutdown()
    thread.join(timeout=10)


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
    report = run_journey("journeys.mjs", base_url, MAIL_DIR=str(mail))
    assert report["ordersAfterDoubleClick"] == 2 and report["screenshots"] >= 10
    assert report["signedInWithNewPassword"]
    with app.app_context():
        shipped_to = db.session.execute(sa.text("SELECT shipping_address FROM orders WHERE id = :id"),
                                        {"id": report["savedAddressOrder"]}).scalar_one()
    assert shipped_to["street"] == "12 Saved Square"  # the address book's, not typed at checkout
    messages = [path.read_text(errors="replace") for path in mail.rglob("*.eml")]
    assert any(report["shopper"] in message and report["paidOrder"] in message for message in messages), (
        f"no mail about order {report['paidOrder']} to {report['shopper']} among {len(messages)}")

    staff = auth_headers(app, role="staff")
    console = run_journey("console.mjs", base_url, STAFF_EMAIL=staff.email, STAFF_PASSWORD=staff.password)
    assert console["refunded"].endswith("10.00") and console["screenshots"] >= 10
    assert [error.split(":")[0] for error in console["importErrors"]] == ["line 3"]
    assert console["customerLandedOn"] == "/" and not console["customerSeesConsoleLink"]
    assert console["ordersTodayAfter"] == console["ordersTodayBefore"] + 1  # live, through the event stream
    assert set(console["customerApi"].values()) == {403}, console["customerApi"]
