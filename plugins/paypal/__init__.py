"""PayPal payments: Orders v2 (the shopper approves at PayPal, the site captures), refunds,
webhooks verified by PayPal.

Configure in the site file; keep the secrets in the environment::

    [plugins.paypal]
    client_id = "env:PAYPAL_CLIENT_ID"
    client_secret = "env:PAYPAL_CLIENT_SECRET"
    webhook_id = "env:PAYPAL_WEBHOOK_ID"
    api_base = "https://api-m.sandbox.paypal.com"   # default: live
    return_url = "https://shop.example/checkout/done"

    [payments]
    methods = {paypal = "paypal"}
"""

from __future__ import annotations

import marshmallow as ma

from kernel import __version__ as KERNEL_VERSION
from kernel.plugins import PluginManifest, hookimpl
from kernel.site import SiteError
from plugins.paypal.provider import PayPalProvider


class PayPalSettings(ma.Schema):
    client_id = ma.fields.String(required=True, metadata={"secret": True})
    client_secret = ma.fields.String(required=True, metadata={"secret": True})
    webhook_id = ma.fields.String(required=True)
    api_base = ma.fields.URL(load_default="https://api-m.paypal.com", require_tld=False, schemes={"http", "https"})
    timeout_seconds = ma.fields.Float(load_default=30.0, validate=ma.validate.Range(min=0.1, max=120))
    return_url = ma.fields.URL(load_default=None, require_tld=False)
    cancel_url = ma.fields.URL(load_default=None, require_tld=False)
    brand_name = ma.fields.String(load_default=None, validate=ma.validate.Length(max=127))


manifest = PluginManifest(name="paypal", version=KERNEL_VERSION, kernel=">=0.1,<0.2", requires=("orders",),
                          config_schema=PayPalSettings,
                          description="PayPal Checkout (Orders v2)")


@hookimpl
def commerce_payment_providers(site):
    settings = site.settings("paypal")
    if site.production and not settings["api_base"].startswith("https://"):
        raise SiteError(f"{site.source}: [plugins.paypal] api_base: a production site talks to PayPal over https")
    return [PayPalProvider(**settings)]
