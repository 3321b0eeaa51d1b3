"""The tax plugin: rates per country and region from the site's configuration, one tax line per
rate (docs/pricing.md). It is a :class:`kernel.domain.ports.tax.TaxCalculator`: a site that
uses a tax service enables that service's plugin instead. It reads no table."""

from __future__ import annotations

from kernel.domain.ports.tax import TaxStep
from kernel.plugins import PluginManifest, hookimpl
from plugins.tax.domain import RateTable
from plugins.tax.schemas import TaxSettings

manifest = PluginManifest(
    name="tax",
    version="0.1.0",
    kernel=">=0.1,<1",
    description="Tax rates per country, region and product tax class, one tax line per rate",
    config_schema=TaxSettings,
)


@hookimpl
def commerce_blueprints():
    from plugins.tax.api import blp

    return [blp]


@hookimpl
def commerce_permissions():
    from plugins.tax.api import READ

    return {READ: ["staff"]}


@hookimpl
def commerce_pricing_steps(site):
    settings = site.settings("tax")
    return [TaxStep("tax", RateTable(settings["rates"], settings["shipping_taxable"], settings["prices_include_tax"]))]
