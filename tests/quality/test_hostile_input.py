"""Hostile input against the real server: gunicorn (two workers) on PostgreSQL and Redis, with
the payment providers on their emulators and no secret configured (the site generates its keys).

Every probe is answered 4xx problem+json, writes no traceback or error to the server's log and
changes nothing stored (every table of the site's schema is compared before and after)."""

from __future__ import annotations

import json
import re
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
import pytest
import redis
import requests
import sqlalchemy as sa

from kernel.app import create_app
from kernel.identity.orm import User
from kernel.infrastructure.db import db
from kernel.infrastructure.migrations import upgrade_database
from kernel.site import load_site
from kernel.testing.databases import PostgresSchema, postgres_url, redis_url
from kernel.testing.identity import sign_in_test_user
from kernel.testing.servers import gunicorn
from tests.emulators.paypal import PayPalEmulator
from tests.emulators.stripe import StripeEmulator
from tests.quality.storefront import ADDRESS

OLD_PUBLISHED_SECRET = "dev-insecure-secret-change-me-0123456789abcdef"
STRIPE_WEBHOOK_SECRET = "whsec_hostile"
PER_ACCOUNT = 3
NUL, SURROGATE = "a\\u0000b", "\\ud800"  # as JSON escapes: the decoded text holds the character itself
DEEP = "[" * 10_000 + "]" * 10_000
LOG_LINE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} (\w+)")


@dataclass
class Shop:
    base: str
    app: object
    schema: PostgresSchema
    log: Path
    stripe: StripeEmulator
    paypal: PayPalEmulator
    staff: dict
    admin: dict
    buyer: dict
    product: dict
    order_id: str

    def url(self, path: str) -> str:
        return self.base + path


def write_site(folder: Path, database_url: str, redis_server: str, stripe: StripeEmulator, paypal: PayPalEmulator,
               name: str) -> Path:
    path = folder / "hostile.toml"
    path.write_text(f"""
[site]
name = "{name}"
plugins = ["catalog", "cart", "orders", "stripe", "paypal"]
[database]
url = "{database_url}"
[cache]
url = "{redis_server}"
[jobs]
url = "immediate"
[mail]
url = "file://{folder / 'mail'}"
[security]
trusted_proxies = 1
[rate_limits]
default = "100000/minute"
storage_url = "{redis_server}"
"POST /api/users/register" = "100000/hour"
"POST /api/users/login" = "100000/minute"
login_per_account = "{PER_ACCOUNT}/minute"
[payments]
methods = {{credit_card = "stripe", paypal = "paypal"}}
[plugins.stripe]
secret_key = "{stripe.api_key}"
webhook_secret = "{STRIPE_WEBHOOK_SECRET}"
api_base = "{stripe.base_url}"
max_network_retries = 0
[plugins.paypal]
client_id = "{paypal.client_id}"
client_secret = "{paypal.client_secret}"
webhook_id = "{paypal.webhook_id}"
api_base = "{paypal.base_url}"
[logging]
level = "INFO"
""")
    return path


def expect(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json()


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    server, redis_server = postgres_url(), redis_url()
    if not server or not redis_server:
        pytest.skip("needs COMMERCE_TEST_DATABASE_URL and COMMERCE_TEST_REDIS_URL")
    folder = tmp_path_factory.mktemp("hostile")
    name = f"hostile{uuid.uuid4().hex[:8]}"
    with StripeEmulator(webhook_secrets=(STRIPE_WEBHOOK_SECRET,)) as stripe, PayPalEmulator() as paypal:
        schema = PostgresSchema(server)
        site_path = write_site(folder, schema.url, redis_server, stripe, paypal, name)
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(folder)  # gunicorn's folder: both find the generated keys in instance/
            app = create_app(load_site(site_path))
        upgrade_database(app)
        try:
            with gunicorn(site_path, folder, folder / "gunicorn.log", workers=2, threads=2) as base:
                yield _seeded(Shop(base=base, app=app, schema=schema, log=folder / "gunicorn.log", stripe=stripe,
                                   paypal=paypal, staff={}, admin={}, buyer={}, product={}, order_id=""))
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            schema.drop()
            store = redis.Redis.from_url(redis_server)
            for key in store.scan_iter(f"commerce:{name}:*"):
                store.delete(key)
            store.close()


def _seeded(shop: Shop) -> Shop:
    shop.staff, shop.admin = sign_in_test_user(shop.app, "staff"), sign_in_test_user(shop.app, "admin")
    shop.buyer = sign_in_test_user(shop.app, "customer")
    shop.product = expect(requests.post(shop.url("/api/products"), headers=shop.staff, timeout=10,
                                        json={"name": "Lamp", "sku": "LAMP-1", "price": "25.00",
                                              "stockQuantity": 20}), 201)
    order = {"items": [{"productId": shop.product["id"], "quantity": 1}], "shippingAddress": ADDRESS,
             "paymentMethod": "credit_card"}
    shop.order_id = expect(requests.post(shop.url("/api/orders"), json=order, headers=shop.buyer, timeout=30),
                           201)["orderId"]
    shop.paypal.take_webhooks(), shop.stripe.take_webhooks()
    return shop


def stored(shop: Shop) -> dict[str, tuple[int, str]]:
    """Every table of the site's schema: its row count and a digest of its rows."""
    engine = sa.create_engine(shop.schema.url, poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        tables = connection.scalars(sa.text("SELECT table_name FROM information_schema.tables WHERE table_schema = :s"),
                                    {"s": shop.schema.name}).all()
        state = {table: tuple(connection.execute(sa.text(
            f'SELECT count(*), md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) FROM "{table}" t'
        )).one()) for table in tables}
    engine.dispose()
    return state


def log_size(shop: Shop) -> int:
    return shop.log.stat().st_size


def new_log_lines(shop: Shop, since: int) -> list[str]:
    with open(shop.log, encoding="utf-8", errors="replace") as log:
        log.seek(since)
        return log.read().splitlines()


def assert_refused_cleanly(shop: Shop, send, status: int, field: str | None = None) -> requests.Response:
    before, since = stored(shop), log_size(shop)
    response = send()
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == status
    if field:
        assert field in response.json().get("errors", {}), response.json()
    time.sleep(0.05)  # the worker's log line is written after the answer
    lines = new_log_lines(shop, since)
    assert not [line for line in lines if "Traceback" in line or (LOG_LINE.match(line) and
                                                                   LOG_LINE.match(line).group(1) == "ERROR")], lines
    assert stored(shop) == before
    return response


def post_json(shop: Shop, path: str, text: str, headers: dict | None = None):
    return lambda: requests.post(shop.url(path), data=text.encode(), timeout=30,
                                 headers={"Content-Type": "application/json", **(headers or {})})


def text_probes(shop: Shop, bad: str) -> dict[str, tuple]:
    """Where a shopper's text goes in: (send, field)."""
    product, buyer = shop.product, shop.buyer
    order = ('{"items": [{"productId": "%s", "quantity": 1}], "paymentMethod": "credit_card", '
             '"shippingAddress": {"street": "%s", "city": "New York", "zipCode": "10001"}}' % (product["id"], bad))
    return {
        "register names": (post_json(shop, "/api/users/register",
                                     '{"email": "n@example.com", "password": "Correct-Horse-42", "firstName": "%s"}'
                                     % bad), "firstName"),
        "login email": (post_json(shop, "/api/users/login", '{"email": "%s", "password": "x"}' % bad), "email"),
        "address street": (post_json(shop, "/api/orders", order, buyer), "shippingAddress.street"),
        "review text": (post_json(shop, f"/api/products/{product['id']}/reviews",
                                  '{"rating": 5, "text": "%s"}' % bad, buyer), "text"),
    }


def query_probes(shop: Shop, bad: str) -> dict[str, tuple]:
    return {
        "?q=": (lambda: requests.get(shop.url(f"/api/products?q={bad}"), timeout=10), "q"),
        "product slug": (lambda: requests.get(shop.url(f"/api/products/{bad}"), timeout=10), "path"),
        "users?email=": (lambda: requests.get(shop.url(f"/api/users?email={bad}"), headers=shop.admin, timeout=10),
                         "email"),
    }


@pytest.mark.parametrize("where", ["register names", "login email", "address street", "review text"])
@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["NUL", "lone surrogate"])
def test_nul_and_lone_surrogates_in_json_strings(shop, where, bad):
    send, field = text_probes(shop, bad)[where]
    assert_refused_cleanly(shop, send, 400, field)


@pytest.mark.parametrize("where", ["?q=", "product slug", "users?email="])
@pytest.mark.parametrize("bad", ["a%00b", "%ED%A0%80"], ids=["NUL", "lone surrogate"])
def test_nul_and_lone_surrogates_in_query_strings_and_paths(shop, where, bad):
    send, field = query_probes(shop, bad)[where]
    if where == "product slug" and bad == "%ED%A0%80":
        field = None  # undecodable path bytes are replaced by U+FFFD: an unknown product
        assert_refused_cleanly(shop, send, 404)
        return
    assert_refused_cleanly(shop, send, 400, field)


@pytest.mark.parametrize("path", ["/api/users/register", "/api/cart/items", "/api/orders",
                                  "/api/payments/paypal/webhook"])
def test_json_nested_ten_thousand_deep(shop, path):
    headers = shop.buyer if path == "/api/orders" else {}
    assert_refused_cleanly(shop, post_json(shop, path, DEEP, headers), 400, "json")


def test_a_five_thousand_digit_cart_quantity(shop):
    body = '{"productId": "%s", "quantity": %s}' % (shop.product["id"], "9" * 5000)
    assert_refused_cleanly(shop, post_json(shop, "/api/cart/items", body), 400, "quantity")


def test_a_stock_delta_past_the_integer_column(shop):
    send = post_json(shop, f"/api/products/{shop.product['id']}/stock", '{"delta": 2147483647, "reason": "x"}',
                     shop.staff)
    assert_refused_cleanly(shop, send, 422, "delta")


def test_a_sales_report_for_the_last_day_of_the_calendar(shop):
    send = post_json(shop, "/api/admin/orders/reports/sales", '{"day": "9999-12-31"}', shop.staff)
    assert_refused_cleanly(shop, send, 422, "day")


def test_a_validly_signed_stripe_event_without_data_object(shop):
    body = json.dumps({"id": "evt_hostile", "type": "payment_intent.succeeded", "created": int(time.time())}).encode()
    headers = {"Content-Type": "application/json", **shop.stripe.sign(body)}
    send = lambda: requests.post(shop.url("/api/payments/stripe/webhook"), data=body, headers=headers,  # noqa: E731
                                 timeout=10)
    assert_refused_cleanly(shop, send, 400)


def test_a_paypal_delivery_that_cannot_be_genuine_calls_nobody(shop):
    headers = {"Content-Type": "application/json", "PAYPAL-AUTH-ALGO": "SHA256withRSA",
               "PAYPAL-CERT-URL": "https://evil.example/cert.pem", "PAYPAL-TRANSMISSION-ID": "attacker-chosen",
               "PAYPAL-TRANSMISSION-SIG": "x" * 40, "PAYPAL-TRANSMISSION-TIME": "2020-01-01T00:00:00Z"}
    body = b'{"id": "WH-1-2", "event_type": "CHECKOUT.ORDER.APPROVED", "resource": {}}'
    calls_before = len(shop.paypal.calls("POST", "/v1/notifications"))
    send = lambda: requests.post(shop.url("/api/payments/paypal/webhook"), data=body, headers=headers,  # noqa: E731
                                 timeout=10)
    assert_refused_cleanly(shop, send, 400)
    assert len(shop.paypal.calls("POST", "/v1/notifications")) == calls_before


def _token(shop: Shop, secret: str, drop: str | None = None, kind: str = "access") -> str:
    config = shop.app.config
    with shop.app.app_context():
        subject = db.session.get(User, shop.buyer.user_id).fs_uniquifier
        db.session.rollback()
    claims = {"sub": subject, "jti": uuid.uuid4().hex, "fam": uuid.uuid4().hex, "type": kind, "fresh": False,
              "iss": config["JWT_ENCODE_ISSUER"], "aud": config["JWT_ENCODE_AUDIENCE"],
              "iat": int(time.time()), "nbf": int(time.time()), "exp": int(time.time()) + 3600}
    claims.pop(drop, None)
    return jwt.encode(claims, secret, algorithm="HS256")


def test_a_token_minted_with_the_old_published_constant_gets_401(shop):
    forged = _token(shop, OLD_PUBLISHED_SECRET)
    send = lambda: requests.get(shop.url("/api/orders"), headers={"Authorization": f"Bearer {forged}"},  # noqa: E731
                                timeout=10)
    assert_refused_cleanly(shop, send, 401)
    genuine = _token(shop, shop.app.config["JWT_SECRET_KEY"])  # the generated key, shared by both workers
    assert requests.get(shop.url("/api/orders"), headers={"Authorization": f"Bearer {genuine}"},
                        timeout=10).status_code == 200


@pytest.mark.parametrize("claim", ["exp", "fam"])
def test_a_validly_signed_token_lacking_a_claim_on_refresh_and_logout(shop, claim):
    secret = shop.app.config["JWT_SECRET_KEY"]
    refresh_token, access = _token(shop, secret, claim, "refresh"), _token(shop, secret, claim)
    assert_refused_cleanly(shop, post_json(shop, "/api/users/refresh", json.dumps({"refreshToken": refresh_token})),
                           401)
    assert_refused_cleanly(shop, post_json(shop, "/api/users/logout", "{}", {"Authorization": f"Bearer {access}"}),
                           401)


def test_duplicate_json_keys_are_refused_naming_the_key(shop):
    body = ('{"email": "%s", "email": "b@example.com", "password": "%s"}'
            % (shop.buyer.email, shop.buyer.password))
    assert_refused_cleanly(shop, post_json(shop, "/api/users/login", body), 400, "email")


def test_a_lookalike_email_is_refused(shop):
    body = '{"email": "p\\u0430ypal@example.com", "password": "Correct-Horse-42"}'
    assert_refused_cleanly(shop, post_json(shop, "/api/users/register", body), 422, "email")


def test_a_newline_in_a_logged_path_writes_no_forged_line(shop):
    since = log_size(shop)
    forged = "12:00:00.000 ERROR   [-] payment captured"
    requests.get(shop.url("/api/products/x%0A" + forged.replace(" ", "%20")), timeout=10)
    requests.post(shop.url("/api/users/login"), json={"email": "a@example.com\n" + forged, "password": "x"},
                  timeout=10)
    time.sleep(0.05)
    assert not [line for line in new_log_lines(shop, since) if line.startswith("12:00:00.000")]


@pytest.mark.parametrize("path, who", [("/api/orders", "buyer"), ("/api/orders/{order}", "buyer"),
                                       ("/api/admin/orders/{order}", "staff"), ("/api/admin/jobs", "admin"),
                                       ("/api/users/me", "buyer")])
def test_private_answers_are_never_cached(shop, path, who):
    answer = requests.get(shop.url(path.format(order=shop.order_id)), headers=getattr(shop, who), timeout=10)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"


def test_strangers_cannot_lock_an_owner_out(shop):
    owner = sign_in_test_user(shop.app, "customer")

    def login(address: str, password: str):
        return requests.post(shop.url("/api/users/login"), json={"email": owner.email, "password": password},
                             headers={"X-Forwarded-For": address}, timeout=30)

    for attacker in range(PER_ACCOUNT + 2):
        assert login(f"203.0.113.{attacker}", "Wrong-Guess-123").status_code == 401
    assert_refused_cleanly(shop, lambda: login("203.0.113.0", owner.password), 429)  # an attacker stays out
    assert login("198.51.100.7", owner.password).status_code == 200  # the owner gets in
