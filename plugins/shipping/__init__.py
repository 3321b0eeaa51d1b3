"""The shipping plugin: methods and rates per country from the site's configuration, priced through
the kernel's pricing pipeline (docs/pricing.md). It reads no table, so it costs no query."""

from __future__ import annotations

from kernel.plugins import PluginManifest, hookimpl
from plugins.shipping.domain import ShippingStep
from plugins.shipping.schemas import ShippingSettings

manifest = PluginManifest(
    name="shipping",
    version="0.1.0",
    kernel=">=0.1,<1",
    description="Shipping methods per country or zone: flat, by subtotal or weight bands, free above an amount",
    config_schema=ShippingSettings,
)


@hookimpl
def commerce_blueprints():
    from plugins.shipping.api import blp

    return [blp]


@hookimpl
def commerce_permissions():
    from plugins.shipping.api import READ

    return {READ: ["staff"]}


@hookimpl
def commerce_pricing_steps(site):
    return [ShippingStep(site.settings("shipping")["methods"])]
