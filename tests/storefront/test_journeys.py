"""The storefront's end-to-end journeys (storefront/e2e/journeys.mjs): Debian's Chromium,
driven by playwright-core, against the built storefront and the API served on a free port
by the same WSGI app `commerce serve` runs, on PostgreSQL and Redis. A screenshot of every
page lands in storefront/artifacts/ (or $STOREFRONT_ARTIFACTS); axe-core checks each one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from kernel.cli import cli
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
    yield f"http://127.0.0.1:{server.server_port}", tmp_path / "mail"
    server.shutdown()
    thread.join(timeout=10)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_a_guest_buys_registers_pays_and_the_shopper_follows_the_orders(shop):
    base_url, mail = shop
    artifacts = os.environ.get("STOREFRONT_ARTIFACTS", str(STOREFRONT / "artifacts"))
    node_modules()
    result = subprocess.run(["node", "e2e/journeys.mjs"], cwd=STOREFRONT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "BASE_URL": base_url, "ARTIFACTS": artifacts})
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(lines[-1])
    assert report["ok"], json.dumps(report, indent=2)
    assert report["ordersAfterDoubleClick"] == 2 and report["screenshots"] >= 10
    messages = [path.read_text(errors="replace") for path in mail.rglob("*.eml")]
    assert any(report["shopper"] in message and report["paidOrder"] in message for message in messages), (
        f"no mail about order {report['paidOrder']} to {report['shopper']} among {len(messages)}")
