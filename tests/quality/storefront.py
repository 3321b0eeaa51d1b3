"""A storefront with every built-in plugin (catalog, cart, orders, stripe, paypal, webhooks) on PostgreSQL,
its payment providers on the local emulators, seeded through the API with categories,
products and users of each role, so that valid requests reach real code."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from flask import Flask
from flask_jwt_extended import create_access_token

from kernel.identity.orm import User
from kernel.infrastructure.db import db
from kernel.testing.databases import POSTGRES_ENV, PostgresSchema, postgres_url
from kernel.testing.identity import AuthHeaders, sign_in_test_user
from kernel.testing.sites import build_test_app, make_site_data
from tests.emulators.paypal import PayPalEmulator
from tests.emulators.stripe import StripeEmulator

ALL_PLUGINS = ["catalog", "cart", "orders", "stripe", "paypal", "webhooks", "promotions"]
ROLES = ("customer", "staff", "admin")
STRIPE_WEBHOOK_SECRET = "whsec_quality"
ADDRESS = {"street": "123 Main St", "city": "New York", "zipCode": "10001"}


@dataclass
class Storefront:
    app: Flask
    users: dict[str, AuthHeaders] = field(default_factory=dict)  # role -> a signed-in user of that role
    products: list[dict] = field(default_factory=list)  # as the API answered their creation

    @property
    def client(self):
        return self.app.test_client()

    def headers(self, role: str | None) -> dict:
        """A fresh access token of the role's user ({} for anonymous), so that a logout sent by a
        test never locks the next request out."""
        if role is None:
            return {}
        return bearer(self.app, self.users[role])

    def new_shopper(self) -> AuthHeaders:
        return sign_in_test_user(self.app, "customer")


def bearer(app: Flask, user: AuthHeaders) -> dict:
    """A new access token (a login of its own) for an existing test user."""
    with app.app_context():
        uniquifier = db.session.get(User, user.user_id).fs_uniquifier
        token = create_access_token(identity=uniquifier, additional_claims={"fam": uuid.uuid4().hex})
        db.session.rollback()
    return {"Authorization": f"Bearer {token}"}


def _expect(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response.json


def seed_catalog(shop: Storefront) -> None:
    staff = shop.headers("staff")
    client = shop.client
    _expect(client.post("/api/categories", json={"name": "Electronics"}, headers=staff), 201)
    _expect(client.post("/api/categories", json={"name": "Phones", "parent": "electronics"}, headers=staff), 201)
    for index, (name, price, stock, category) in enumerate([
        ("Smartphone", "599.99", 50, "phones"), ("Phone Case", "19.50", 200, "phones"),
        ("Laptop", "1299.00", 10, "electronics"), ("Cable", "4.99", 0, "electronics"),
    ]):
        body = {"name": name, "sku": f"SKU-{index}", "price": price, "stockQuantity": stock, "category": category,
                "description": f"A {name.lower()}."}
        shop.products.append(_expect(client.post("/api/products", json=body, headers=staff), 201))


def site_data(database_url: str, stripe_api: str, paypal_api: str, stripe_key: str = "sk_test_quality",
              paypal_client: tuple[str, str, str] = ("quality-client", "quality-secret", "WHQUALITY"),
              settings: dict | None = None, **sections) -> dict:
    sections.setdefault("events", {"max_stream_seconds": 0.2})  # a fuzzed stream answers, then ends
    data = make_site_data(ALL_PLUGINS, database_url,
                          payments={"methods": {"credit_card": "stripe", "paypal": "paypal"}}, **sections)
    client_id, client_secret, webhook_id = paypal_client
    data["plugins"] = {
        "stripe": {"secret_key": stripe_key, "webhook_secret": STRIPE_WEBHOOK_SECRET, "api_base": stripe_api,
                   "max_network_retries": 0, "timeout_seconds": 5},
        "paypal": {"client_id": client_id, "client_secret": client_secret, "webhook_id": webhook_id,
                   "api_base": paypal_api, "timeout_seconds": 5},
        "webhooks": {"timeout_seconds": 0.5},  # an endpoint the fuzzer registers answers nothing here
        **(settings or {}),
    }
    return data


def api_document() -> dict:
    """The storefront's OpenAPI document, from an app that is built but never connected."""
    app = build_test_app(site_data("sqlite:///:memory:", "http://127.0.0.1:9", "http://127.0.0.1:9"),
                         create_tables=False)
    return app.test_client().get("/api/openapi.json").json


@contextmanager
def open_storefront(settings: dict | None = None, **sections) -> Iterator[Storefront]:
    """The storefront on a fresh PostgreSQL schema (skips without ``$COMMERCE_TEST_DATABASE_URL``);
    ``settings`` holds more ``[plugins.<name>]`` tables, ``sections`` more site sections."""
    server = postgres_url()
    if not server:
        pytest.skip(f"PostgreSQL test skipped: set {POSTGRES_ENV}")
    with StripeEmulator(webhook_secrets=(STRIPE_WEBHOOK_SECRET,)) as stripe, PayPalEmulator() as paypal:
        schema = PostgresSchema(server)
        app = build_test_app(site_data(schema.url, stripe.base_url, paypal.base_url, stripe.api_key,
                                       (paypal.client_id, paypal.client_secret, paypal.webhook_id), settings,
                                       **sections))
        try:
            shop = Storefront(app, {role: sign_in_test_user(app, role) for role in ROLES})
            seed_catalog(shop)
            yield shop
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            schema.drop()
