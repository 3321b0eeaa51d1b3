"""Builds the cart's use cases from the running site (the plugin's composition root)."""

from __future__ import annotations

from kernel.context import commerce
from kernel.idempotency.repository import SqlIdempotencyStore
from kernel.infrastructure.db import SqlAlchemyUnitOfWork, db
from plugins.cart.domain import CartRules
from plugins.cart.repository import SqlCartRepository
from plugins.cart.services import CartForCheckout, CartService


def cart_settings() -> dict:
    return commerce().site.settings("cart")


def cart_service() -> CartService:
    services = commerce()
    settings = cart_settings()
    rules = CartRules(max_quantity_per_line=settings["max_quantity_per_line"], max_lines=settings["max_lines"])
    return CartService(SqlAlchemyUnitOfWork(), SqlCartRepository(), services.catalog, rules, services.site.currency,
                       SqlIdempotencyStore(db.session), pricing=services.pricing)


def checkout_port() -> CartForCheckout:
    return CartForCheckout(SqlCartRepository)
