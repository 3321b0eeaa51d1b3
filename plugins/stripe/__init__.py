"""Stripe payments: Checkout Sessions through the official ``stripe`` package, verified webhooks.

Configure in the site file; keep the secrets in the environment::

    [plugins.stripe]
    secret_key = "env:STRIPE_SECRET_KEY"
    webhook_secret = "env:STRIPE_WEBHOOK_SECRET"
    capture = "automatic"          # or "manual": staff captures authorized payments

    [payments]
    methods = {credit_card = "stripe"}
"""

from __future__ import annotations

import marshmallow as ma

from kernel import __version__ as KERNEL_VERSION
from kernel.plugins import PluginManifest, hookimpl
from kernel.site import SiteError
from plugins.stripe.provider import StripeProvider


class StripeSettings(ma.Schema):
    secret_key = ma.fields.String(required=True, metadata={"secret": True})
    webhook_secret = ma.fields.String(required=True, metadata={"secret": True})
    capture = ma.fields.String(load_default="automatic", validate=ma.validate.OneOf(["automatic", "manual"]))
    api_base = ma.fields.URL(load_default="https://api.stripe.com", require_tld=False, schemes={"http", "https"})
    timeout_seconds = ma.fields.Float(load_default=30.0, validate=ma.validate.Range(min=0.1, max=120))
    max_network_retries = ma.fields.Integer(load_default=2, validate=ma.validate.Range(min=0, max=5))
    webhook_tolerance_seconds = ma.fields.Integer(load_default=300, validate=ma.validate.Range(min=1, max=3600))


manifest = PluginManifest(name="stripe", version=KERNEL_VERSION, kernel=">=0.1,<0.2", requires=("orders",),
                          config_schema=StripeSettings,
                          description="Card payments through Stripe Checkout")


@hookimpl
def commerce_payment_providers(site):
    settings = site.settings("stripe")
    if site.production and not settings["api_base"].startswith("https://"):
        raise SiteError(f"{site.source}: [plugins.stripe] api_base: a production site talks to Stripe over https")
    return [StripeProvider(**settings)]
