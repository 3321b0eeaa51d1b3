"""Test payments: a payment provider that runs inside the site, so a demo or a test sells end
to end offline (like Saleor's dummy gateway or Vendure's dummy payment handler).

``create_payment`` answers an ``approvalUrl`` to the site's own hosted page
(``/api/payments/testpay/checkout/{id}``), where the shopper presses "Pay", "Decline" or
"Cancel"; the page then delivers the signed webhook through the site's webhook inbox, as
every provider does, and sends the shopper back to the payment's return URL. A production
site refuses to enable it. ::

    [payments]
    methods = {testpay = "testpay"}

    [plugins.testpay]
    webhook_secret = "env:TESTPAY_WEBHOOK_SECRET"   # optional: a random one per process otherwise
"""

from __future__ import annotations

import secrets

import marshmallow as ma

from kernel import __version__ as KERNEL_VERSION
from kernel.plugins import PluginManifest, hookimpl
from kernel.site import SiteError


class TestPaySettings(ma.Schema):
    webhook_secret = ma.fields.String(load_default=None, validate=ma.validate.Length(min=16),
                                      metadata={"secret": True})


manifest = PluginManifest(name="testpay", version=KERNEL_VERSION, kernel=">=0.1,<0.2", requires=("orders",),
                          config_schema=TestPaySettings,
                          description="Test payments on a hosted page of the site itself (never in production)")


@hookimpl
def commerce_payment_providers(site):
    from plugins.testpay.provider import TestPayProvider
    from plugins.testpay.service import TestPayService

    if site.production:
        raise SiteError(f"{site.source}: [site] plugins: a production site cannot enable 'testpay' "
                        "(it takes no real money)")
    configured = site.settings("testpay")["webhook_secret"]
    secret = configured.encode() if configured else secrets.token_bytes(32)
    return [TestPayProvider(TestPayService(secret))]


@hookimpl
def commerce_blueprints():
    from plugins.testpay.checkout import blp

    return [blp]


@hookimpl
def commerce_app_created(app):
    from plugins.testpay.checkout import LoopbackDelivery
    from plugins.testpay.provider import NAME

    service = app.extensions["commerce"].payments.provider(NAME).service
    app.extensions["testpay"] = delivery = LoopbackDelivery(app, service)
    service.on_webhook = delivery.soon
