"""The cart plugin: guest and shopper carts priced from the catalog port (see docs/cart.md)."""

from __future__ import annotations

from pathlib import Path

from kernel.plugins import PluginManifest, hookimpl
from plugins.cart.api import blp
from plugins.cart.bootstrap import cart_service, checkout_port
from plugins.cart.orm import cart_items, shopping_carts
from plugins.cart.schemas import CartSettings
from plugins.cart.tasks import cart_tasks

manifest = PluginManifest(
    name="cart",
    version="0.1.0",
    kernel=">=0.1,<0.2",
    description="Guest and shopper carts at today's prices, merged at sign-in",
    requires=("catalog",),
    config_schema=CartSettings,
)


@hookimpl
def commerce_blueprints():
    return [blp]


@hookimpl
def commerce_app_created(app, site):
    from kernel.web.api import document_site_rule

    most = site.settings("cart")["max_quantity_per_line"]
    document_site_rule(app, "CartItemAdd", "quantity", maximum=most)
    document_site_rule(app, "CartItemQuantity", "quantity", maximum=most)


@hookimpl
def commerce_tables():
    return [shopping_carts, cart_items]


@hookimpl
def commerce_migration_dirs():
    return [Path(__file__).parent / "migrations" / "versions"]


@hookimpl
def commerce_tasks(site):
    return cart_tasks(site.settings("cart"))


@hookimpl
def commerce_cart_port():
    return checkout_port()


@hookimpl
def commerce_user_signed_in(user_id, guest_cart_token):
    """Merge the guest cart of the sign-in request into the user's cart (same transaction)."""
    if guest_cart_token:
        cart_service().merge_guest_cart(user_id, guest_cart_token)
