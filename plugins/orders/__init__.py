"""The orders plugin: checkout without overselling, the order life cycle and the orders' jobs.

It needs the catalog (prices and stock, through the kernel's catalog port) and uses the
cart port when a cart plugin provides one. See ``docs/orders.md``.
"""

from __future__ import annotations

from pathlib import Path

import marshmallow as ma

from kernel.plugins import PluginManifest, hookimpl
from plugins.orders.permissions import MANAGE


class OrdersSettings(ma.Schema):
    unpaid_order_ttl_minutes = ma.fields.Integer(load_default=60, validate=ma.validate.Range(min=1, max=60 * 24 * 30))
    confirmation_delay_minutes = ma.fields.Integer(load_default=5, validate=ma.validate.Range(min=0, max=24 * 60))
    staff_report_email = ma.fields.Email(load_default=None)
    guest_checkout = ma.fields.Boolean(load_default=True)  # false: only signed-in shoppers check out
    require_verified_email = ma.fields.Boolean(load_default=False)  # true: 403 at checkout until verified


manifest = PluginManifest(
    name="orders",
    version="0.1.0",
    kernel=">=0.1,<1",
    description="Checkout, order life cycle, confirmation mails, unpaid-order expiry and sales reports",
    requires=("catalog",),
    config_schema=OrdersSettings,
)


@hookimpl
def commerce_blueprints():
    from plugins.orders.api import blp, staff
    from plugins.orders.payments import api as payments_api
    from plugins.orders.reporting import api as reporting_api

    return [blp, staff, reporting_api.blp, payments_api.blp]


@hookimpl
def commerce_app_created(app):
    from kernel.web.api import document_site_rule
    from plugins.orders.bootstrap import accepted_payment_methods

    with app.app_context():
        for checkout in ("PlaceOrder", "GuestCheckout"):
            document_site_rule(app, checkout, "paymentMethod", enum=accepted_payment_methods())


@hookimpl
def commerce_tables():
    from plugins.orders.orm import TABLES

    return TABLES


@hookimpl
def commerce_migration_dirs():
    return [Path(__file__).parent / "migrations" / "versions"]


@hookimpl
def commerce_permissions():
    return {MANAGE: ["staff"]}


@hookimpl
def commerce_email_verified(user_id, email):
    from plugins.orders.bootstrap import order_services

    order_services().join_guest_orders(user_id, email)


@hookimpl
def commerce_tasks():
    from plugins.orders.tasks import TASKS

    return TASKS
