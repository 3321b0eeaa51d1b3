"""Contract fuzzing: schemathesis generates requests for every operation of
``/api/openapi.json`` (a site with every built-in plugin, on PostgreSQL) and runs its default
checks on each answer: no server error, a documented status, content type, headers and body,
schema-invalid input refused, schema-valid input accepted. Anonymous, customer and staff
callers each get a pass; the runs are derandomized, so CI sees the same requests every time.

schemathesis parametrizes tests at collection time, so the document is taken then from an
app that is built but never connected (``api_document``); the requests go to the seeded
storefront of the module fixture, whose document must be the same.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kernel.web import input_policy
from tests.quality.storefront import api_document, open_storefront

EXAMPLES_PER_OPERATION = 20
# Rules no JSON Schema can state, because they depend on stored data, on another field or on a
# secret: schema-valid input may break them, and 422 naming these fields is then the right answer.
DATA_RULES = {
    "POST /api/users/register": {"email", "password"},  # a deliverable address; not a common password
    "POST /api/users/me/password": {"currentPassword", "newPassword"},  # the right one; not a common one
    "POST /api/users/refresh": {"refreshToken"},  # in the body, else in the commerce_refresh cookie
    "POST /api/users/me/email": {"newEmail", "password"},  # a deliverable address nobody uses; the right password
    "POST /api/auth/password/forgot": {"email"},  # a deliverable address
    "POST /api/auth/password/reset": {"token", "password"},  # a token the site signed; not a common password
    "POST /api/auth/email/verify": {"token"},  # a token the site signed
    "POST /api/auth/email/change/confirm": {"token"},
    "GET /api/products": {"category", "sort", "minPrice"},  # a category that exists; relevance needs q; min <= max
    "GET /api/admin/products": {"category", "sort", "minPrice"},  # the shop's listing rules, for staff
    # variants name one value of each option; a weight from 0 to 100,000 kg (a decimal string: no bounds in the schema)
    "POST /api/products": {"category", "options", "variants", "sku", "weight"},
    "PUT /api/products/{ref}": {"category", "weight"},
    "PATCH /api/products/{ref}": {"category", "weight"},
    "POST /api/categories": {"parent"},  # a parent that exists and is not the category itself
    "PUT /api/categories/{slug}": {"parent"},
    "PATCH /api/categories/{slug}": {"parent"},
    "POST /api/cart/items": {"productId", "variantId"},  # a product (a variant of it) that is for sale
    "POST /api/orders": {"items", "fromCart", "productId", "variantId",  # lines, or a cart with some; for sale
                         "couponCode", "shippingMethod", "country", "state",  # a usable coupon; a destination served
                         # an address or the id of one of the shopper's saved addresses, not both
                         "shippingAddress", "shippingAddressId", "billingAddress", "billingAddressId"},
    "POST /api/cart/coupon": {"code"},  # a coupon that exists, is valid now and applies to the cart
    "PUT /api/cart/destination": {"country", "region", "shippingMethod"},  # a destination the site ships to
    "GET /api/cart/shipping-methods": {"country"},  # a country the site ships to
    # a percentage up to 100; the window ends after it starts; categories that exist; an automatic
    # promotion (no code) has a description and no usage limits
    "POST /api/admin/promotions": {"value", "endsAt", "categoryIds", "description", "usageLimit", "perCustomerLimit"},
    "PATCH /api/admin/promotions/{coupon_id}": {"value", "endsAt", "categoryIds", "description", "usageLimit",
                                                "perCustomerLimit"},
    "PUT /api/products/{ref}/variants": {"options", "variants", "sku", "weight"},  # one value of each option, SKUs apart
    "POST /api/products/{ref}/stock": {"variantId"},  # one of the product's variants
    "POST /api/products/{ref}/images": {"file", "variantId"},
    "POST /api/admin/imports/products": {"file"},  # as POST /api/imports/products, checked before the job
    "POST /api/imports/products": {"file"},  # a CSV whose header names the import's columns  # an image by its content; the product's variant
    "POST /api/admin/orders/{order_id}/refund": {"amount"},  # at most what is left to refund
    "POST /api/orders/guest": {"couponCode", "shippingMethod", "country", "state"},  # as POST /api/orders
    "POST /api/orders/{order_id}/payments": {"returnUrl", "cancelUrl"},  # URLs on the site's own origins
    "POST /api/orders/guest/{order_id}/payments": {"returnUrl", "cancelUrl"},
    "POST /api/admin/orders/reports/sales": {"day"},  # a day that has begun
    "POST /api/admin/webhooks": {"url"},  # a host that resolves, to public addresses only
    "PATCH /api/admin/webhooks/{endpoint_id}": {"url"},
}
# A provider's webhook is verified by a signature made with a secret; without one it is a 400.
SIGNED = {"POST /api/payments/{provider}/webhook": "Invalid webhook signature"}
# The input policy (docs/api.md) refuses, with a 400 of its own title, text no schema can exclude:
# NUL characters and lone surrogates anywhere, JSON nested too deep, over-long number literals.
FUZZ_SETTINGS = settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True,
                         suppress_health_check=list(HealthCheck), database=None)


class StorefrontApp:
    """The WSGI app schemathesis calls: forwards to the module's storefront while it is open."""

    target = None

    def __call__(self, environ, start_response):
        return self.target(environ, start_response)


# How invalid input may be refused: schemathesis' own list, and the size limits (body, query
# string, 413 and 414), which the app applies before it reads a parameter.
REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "414", "415", "422", "428", "429", "5xx"]
CONFIG = schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}})
DOCUMENT = api_document()
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
schema.app = StorefrontApp()


@pytest.fixture(scope="module")
def storefront():
    # the fuzzer calls each route hundreds of times from one address: a 429 before the 401 a
    # missing token deserves would hide what is checked, so the account routes' own limits are lifted
    lifted = {route: "100000/hour" for route in ("POST /api/auth/email/resend", "POST /api/auth/password/forgot",
                                                 "POST /api/auth/password/reset", "POST /api/auth/email/verify")}
    with open_storefront(rate_limits=lifted) as shop:
        served = shop.client.get("/api/openapi.json").json
        assert (served["paths"], served["components"]) == (DOCUMENT["paths"], DOCUMENT["components"])
        schema.app.target = shop.app
        yield shop
        schema.app.target = None


def call_and_validate(case, headers: dict) -> None:
    """Every default check; a 422 is a right answer to schema-valid input only where it names
    nothing but the operation's fields in ``DATA_RULES``."""
    response = case.call(headers=headers)
    label = case.operation.label
    refused = response.status_code == 422 and {name.rsplit(".")[-1] for name in response.json().get("errors") or "?"}
    title = response.status_code == 400 and response.json().get("title")
    unsigned_or_policy = title in (SIGNED.get(label), input_policy.TITLE)
    excluded = ([positive_data_acceptance] if unsigned_or_policy or refused and refused <= DATA_RULES.get(label, set())
                else [])
    case.validate_response(response, headers=headers, excluded_checks=excluded)


@schema.parametrize()
@FUZZ_SETTINGS
def test_anonymous(case, storefront):
    call_and_validate(case, storefront.headers(None))


@schema.parametrize()
@FUZZ_SETTINGS
def test_customer(case, storefront):
    call_and_validate(case, storefront.headers("customer"))


@schema.parametrize()
@FUZZ_SETTINGS
def test_staff(case, storefront):
    call_and_validate(case, storefront.headers("staff"))
