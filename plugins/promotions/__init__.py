"""The promotions plugin: coupon codes and automatic promotions, priced through the kernel's pricing
pipeline (docs/pricing.md)."""

from __future__ import annotations

from pathlib import Path

from kernel.plugins import PluginManifest, hookimpl

manifest = PluginManifest(
    name="promotions",
    version="0.1.0",
    kernel=">=0.1,<1",
    description="Coupons and automatic promotions: percentage or fixed, on the order, products or categories",
    requires=("catalog",),
)


@hookimpl
def commerce_blueprints():
    from plugins.promotions.api import blp

    return [blp]


@hookimpl
def commerce_tables():
    from plugins.promotions.orm import TABLES

    return TABLES


@hookimpl
def commerce_migration_dirs():
    return [Path(__file__).parent / "migrations" / "versions"]


@hookimpl
def commerce_permissions():
    from plugins.promotions.api import MANAGE

    return {MANAGE: ["staff"]}


@hookimpl
def commerce_pricing_steps():
    from plugins.promotions.bootstrap import coupon_step

    return [coupon_step()]
