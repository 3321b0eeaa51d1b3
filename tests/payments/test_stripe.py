"""Stripe specifics beyond the kit: wire format, currencies, signatures, capture modes, secrets."""

import threading
import time
import uuid
from decimal import Decimal

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from kernel.domain.money import Money
from kernel.domain.ports.payments import (
    EventKind,
    InvalidWebhookSignature,
    MalformedWebhookEvent,
    PaymentError,
    PaymentRequest,
    PaymentStatus,
    WebhookRequest,
)
from kernel.testing.emulator import EmulatorError
from plugins.stripe.domain import from_minor_units, to_minor_units
from tests.emulators.stripe import StripeEmulator
from tests.payments.test_stripe_conformance import stripe_provider


@pytest.fixture
def emulator():
    with StripeEmulator(webhook_secrets=("whsec_old", "whsec_new")) as emulator:
        yield emulator


def request(amount="25.00", currency="USD"):
    return PaymentRequest(order_reference="order-1", amount=Money(Decimal(amount), currency),
                          idempotency_key=uuid.uuid4().hex, return_url="https://shop.example/checkout/return/order-1")


@pytest.mark.parametrize(("amount", "currency", "minor"), [
    ("25.00", "USD", 2500), ("0.99", "EUR", 99), ("1500", "JPY", 1500), ("1500", "KRW", 1500), ("12.34", "KWD", 12340),
])
def test_amounts_travel_in_the_currency_s_minor_units(amount, currency, minor):
    money = Money(Decimal(amount), currency)
    assert to_minor_units(money) == minor
    assert from_minor_units(minor, currency.lower()) == money


def test_a_fraction_of_a_zero_decimal_currency_is_refused_before_calling_stripe(emulator):
    provider = stripe_provider(emulator, webhook_secret="whsec_new")
    with pytest.raises(PaymentError) as caught:
        provider.create_payment(request("10.50", "JPY"))
    assert "amount" in caught.value.errors
    assert emulator.intents == {}


def test_a_yen_payment_is_created_for_whole_yen(emulator):
    session = stripe_provider(emulator, webhook_secret="whsec_new").create_payment(request("1500", "JPY"))
    at_stripe = emulator.sessions[session.reference]
    assert (at_stripe["amount_total"], at_stripe["currency"]) == (1500, "jpy")
    assert session.amount == Money(Decimal(1500), "JPY")


def test_every_post_carries_the_callers_idempotency_key_and_the_secret_key(emulator):
    provider = stripe_provider(emulator, webhook_secret="whsec_new")
    req = request()
    session = provider.create_payment(req)
    emulator.confirm(session.reference)
    provider.refund(session.reference, idempotency_key="refund-key-1", amount=Money(Decimal("1.00"), "USD"))
    posts = emulator.calls("POST", "/v1/")
    assert [headers.get("Idempotency-Key") for headers in posts] == [req.idempotency_key, "refund-key-1"]
    assert all(headers["Authorization"] == f"Bearer {emulator.api_key}" for headers in posts)
    at_stripe = emulator.sessions[session.reference]
    assert at_stripe["metadata"] == {"order_reference": "order-1"}
    assert emulator.intents[at_stripe["payment_intent"]]["metadata"] == {"order_reference": "order-1"}


def test_webhooks_verify_with_either_secret_during_rotation_and_not_with_another(emulator):
    session = stripe_provider(emulator, webhook_secret="whsec_new").create_payment(request())
    emulator.confirm(session.reference)
    delivery = [d for d in emulator.take_webhooks() if b"payment_intent.succeeded" in d.body][0]
    assert delivery.header("Stripe-Signature").count("v1=") == 2
    for secret in ("whsec_old", "whsec_new"):
        event = stripe_provider(emulator, webhook_secret=secret).parse_webhook(delivery)
        assert (event.kind, event.reference, event.order_reference) == (EventKind.SUCCEEDED, session.reference, "order-1")
    with pytest.raises(InvalidWebhookSignature):
        stripe_provider(emulator, webhook_secret="whsec_other").parse_webhook(delivery)


def test_a_webhook_older_than_the_tolerance_is_refused_even_when_signed(emulator):
    provider = stripe_provider(emulator, webhook_secret="whsec_new")
    body = b'{"id": "evt_1", "type": "payment_intent.succeeded", "created": 1, "data": {"object": {}}}'
    stale = WebhookRequest(headers=emulator.sign(body, timestamp=int(time.time()) - 301), body=body)
    with pytest.raises(InvalidWebhookSignature, match="tolerance"):
        provider.parse_webhook(stale)


@pytest.mark.parametrize("body", [
    b'{"id": "evt_1", "type": "payment_intent.succeeded", "created": 1}',
    b'{"id": "evt_1", "type": "payment_intent.succeeded", "created": 1, "data": {}}',
    b'{"id": "evt_1", "type": "payment_intent.succeeded", "created": 1, "data": {"object": "x"}}',
    b'{"id": "evt_1", "type": "charge.refunded", "created": 1, "data": {"object": {"object": "charge"}}}',
    b'{"id": ["evt_1"], "type": "payment_intent.canceled", "created": 1, "data": {"object": {"id": "pi_1"}}}',
    b'{"id": "evt_1", "type": "payment_intent.canceled", "created": 1e300, "data": {"object": {"id": "pi_1"}}}',
])
def test_a_validly_signed_event_lacking_what_its_type_needs_is_refused(emulator, body):
    provider = stripe_provider(emulator, webhook_secret="whsec_new")
    with pytest.raises(MalformedWebhookEvent, match="stripe webhook refused") as refused:
        provider.parse_webhook(WebhookRequest(headers=emulator.sign(body), body=body))
    assert refused.value.status == 400


def test_an_event_the_platform_does_not_track_is_authentic_but_ignored(emulator):
    provider = stripe_provider(emulator, webhook_secret="whsec_new")
    session = provider.create_payment(request())
    emulator.confirm(session.reference)
    types = {provider.parse_webhook(d).provider_type if provider.parse_webhook(d) else None
             for d in emulator.take_webhooks()}
    assert types == {None, "payment_intent.succeeded", "checkout.session.completed"}  # charge.succeeded is not tracked


def test_manual_capture_holds_the_funds_until_staff_captures(emulator):
    provider = stripe_provider(emulator, webhook_secret="whsec_new", capture="manual")
    assert provider.auto_capture is False
    session = provider.create_payment(request())
    emulator.confirm(session.reference)
    [event] = [e for d in emulator.take_webhooks() if (e := provider.parse_webhook(d))]
    assert (event.kind, event.amount) == (EventKind.AUTHORIZED, Money(Decimal("25.00"), "USD"))
    assert provider.status(session.reference).status == PaymentStatus.AUTHORIZED
    state = provider.capture(session.reference, idempotency_key="cap-1")
    assert (state.status, state.captured) == (PaymentStatus.SUCCEEDED, Money(Decimal("25.00"), "USD"))
    assert provider.capture(session.reference, idempotency_key="cap-2").status == PaymentStatus.SUCCEEDED


def test_a_declined_card_leaves_the_intent_failed_with_the_decline_code(emulator):
    provider = stripe_provider(emulator, webhook_secret="whsec_new")
    session = provider.create_payment(request())
    with pytest.raises(EmulatorError):
        emulator.confirm(session.reference, "pm_card_chargeDeclined")
    [event] = [e for d in emulator.take_webhooks() if (e := provider.parse_webhook(d))]
    assert (event.kind, event.failure_reason) == (EventKind.FAILED, "generic_decline")
    assert provider.status(session.reference).status == PaymentStatus.FAILED


def test_a_wrong_secret_key_is_a_clear_error_that_does_not_show_the_key(emulator):
    provider = stripe_provider(emulator, secret_key="sk_test_wrong_key_123456", webhook_secret="whsec_new")
    with pytest.raises(PaymentError) as caught:
        provider.create_payment(request())
    assert "secret_key" in str(caught.value) and "sk_test_wrong_key_123456" not in str(caught.value)
    assert "sk_test" not in repr(provider)


def test_webhooks_reach_a_url_only_when_delivered_and_verify_there(emulator):
    received = []

    def receiver(environ, start_response):
        request = Request(environ)
        received.append(WebhookRequest(headers=dict(request.headers), body=request.get_data()))
        return Response("ok")(environ, start_response)

    server = make_server("127.0.0.1", 0, receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        emulator.post_webhooks_to(f"http://127.0.0.1:{server.server_port}/api/payments/stripe/webhook")
        provider = stripe_provider(emulator, webhook_secret="whsec_new")
        session = provider.create_payment(request())
        emulator.confirm(session.reference)
        assert received == []
        emulator.deliver_webhooks()
    finally:
        server.shutdown()
    kinds = [event.kind for delivery in received if (event := provider.parse_webhook(delivery))]
    assert kinds == [EventKind.SUCCEEDED, EventKind.SUCCEEDED]  # the intent's, then the session's
