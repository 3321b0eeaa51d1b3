"""The whole path with a callback-verified provider (the Molly example plugin against its
emulator): the site gives the provider per-order return URLs and its webhook URL from
``[site] public_url``; one delivery that reports several facts (paid, then refunded in part
before the site handled any webhook) leaves the order Paid with the refund recorded; the
webhook route hands the plugin its query string and the client's address."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kernel.domain.money import Money
from kernel.domain.ports.payments import WebhookRequest
from kernel.site import SiteError
from kernel.testing.entry_points import discoverable
from tests.orders.conftest import order_body

MOLLY = Path(__file__).resolve().parent.parent / "fixtures" / "molly_plugin"
SHOP = ("catalog", "orders", "molly")
PUBLIC = "https://shop.example"


@pytest.fixture
def molly(tmp_path, monkeypatch):
    """The plugin importable and discoverable, and its emulator running."""
    monkeypatch.syspath_prepend(str(MOLLY))
    monkeypatch.syspath_prepend(str(MOLLY / "tests"))
    from emulator import MollyEmulator

    with discoverable("molly", "commerce_molly", tmp_path / "entry-points"), MollyEmulator() as emulator:
        yield emulator
    for name in [name for name in sys.modules if name.startswith("commerce_molly") or name == "emulator"]:
        del sys.modules[name]


def settings(emulator) -> dict:
    return {"molly": {"api_key": emulator.api_key, "api_base": emulator.base_url, "timeout_seconds": 5}}


@pytest.fixture
def molly_shop(make_shop, auth_headers, molly):
    shop = make_shop(plugins=SHOP, payments={"methods": {"ideal": "molly"}}, settings=settings(molly),
                     site={"public_url": PUBLIC})
    shop.emulator, shop.buyer = molly, auth_headers(shop.app)
    shop.clerk = auth_headers(shop.app, role="staff")
    return shop


def post(shop, delivery: WebhookRequest, **options):
    return shop.client.post("/api/payments/molly/webhook", data=delivery.body, headers=dict(delivery.headers),
                            **options)


def test_a_refund_made_before_the_site_heard_of_the_payment_is_not_lost(molly_shop):
    shop = molly_shop
    lamp = shop.product("Lamp", "15.00", 5)
    order_id = shop.client.post("/api/orders", json=order_body((lamp, 2), paymentMethod="ideal"), headers=shop.buyer).json["orderId"]
    payment = shop.client.post(f"/api/orders/{order_id}/payments", headers=shop.buyer).json
    at_molly = shop.emulator.payments[payment["reference"]]
    assert at_molly["webhookUrl"] == f"{PUBLIC}/api/payments/molly/webhook"
    assert at_molly["redirectUrl"] == at_molly["cancelUrl"] == f"{PUBLIC}/checkout/return/{order_id}"

    shop.emulator.pay(payment["reference"])
    shop.app.extensions["commerce"].payments.provider("molly").refund(  # in Molly's dashboard
        payment["reference"], idempotency_key="dashboard-1", amount=Money("10.00", "USD"))
    paid, refunded = shop.emulator.take_webhooks()
    assert post(shop, paid).json["result"] == "applied"  # read back now: paid, and 10.00 refunded
    assert post(shop, refunded).json["result"] == "duplicate"  # the same facts, already stored
    view = shop.client.get(f"/api/admin/orders/{order_id}", headers=shop.clerk).json
    assert (view["status"], view["refundedAmount"]) == ("Paid", "10.00")


def test_the_plugin_gets_the_query_string_and_the_client_address(molly_shop, monkeypatch):
    seen = []
    provider = type(molly_shop.app.extensions["commerce"].payments.provider("molly"))
    monkeypatch.setattr(provider, "parse_webhook", lambda self, request: seen.append(request))
    answer = molly_shop.client.post("/api/payments/molly/webhook?token=t-1", data=b"id=tr_1",
                                    content_type="application/x-www-form-urlencoded",
                                    environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert answer.status_code == 200 and answer.json["result"] == "ignored"
    assert (seen[0].query("token"), seen[0].client_address, seen[0].body) == ("t-1", "203.0.113.9", b"id=tr_1")


def test_a_production_site_taking_payments_needs_its_public_url(make_app, molly):
    production = {"production": True, "secret_key": "p" * 40}
    with pytest.raises(SiteError, match=r"\[site\] public_url: a production site that takes payments through molly"):
        make_app(SHOP, payments={"methods": {"ideal": "molly"}}, settings=settings(molly), site=production,
                 security={"jwt_secret": "j" * 40})
    make_app(SHOP, payments={"methods": {"ideal": "molly"}}, settings=settings(molly),
             site={**production, "public_url": PUBLIC}, security={"jwt_secret": "j" * 40})


def test_a_public_url_that_is_not_an_address_stops_start_up(make_app):
    with pytest.raises(SiteError, match=r"public_url"):
        make_app(["catalog"], site={"public_url": "shop.example"})


