"""PayPal specifics beyond the kit: OAuth token reuse, request ids, string amounts, verification."""

import uuid
from decimal import Decimal

import pytest

from kernel.domain.money import Money
from kernel.domain.ports.payments import (
    EventKind,
    InvalidWebhookSignature,
    PaymentError,
    PaymentRequest,
    PaymentStatus,
    ProviderUnavailable,
    WebhookRequest,
)
from plugins.paypal.domain import to_amount
from tests.emulators.paypal import PayPalEmulator
from tests.payments.test_paypal_conformance import paypal_provider


@pytest.fixture
def emulator():
    with PayPalEmulator() as emulator:
        yield emulator


def request(amount="25.00", currency="USD"):
    return PaymentRequest(order_reference="order-7", amount=Money(Decimal(amount), currency),
                          idempotency_key=uuid.uuid4().hex, return_url="https://shop.example/done")


def test_amounts_are_strings_with_the_currency_s_decimals():
    assert to_amount(Money(Decimal("25"), "USD")) == {"currency_code": "USD", "value": "25.00"}
    assert to_amount(Money(Decimal("1500"), "JPY")) == {"currency_code": "JPY", "value": "1500"}
    with pytest.raises(ValueError):
        to_amount(Money(Decimal("1.50"), "JPY"))


def test_an_order_asks_to_capture_and_returns_the_approve_link(emulator):
    provider = paypal_provider(emulator)
    session = provider.create_payment(request())
    order = emulator.orders[session.reference]
    assert order["intent"] == "CAPTURE"
    assert order["purchase_units"][0]["amount"] == {"currency_code": "USD", "value": "25.00"}
    assert order["purchase_units"][0]["custom_id"] == "order-7"
    assert session.approval_url == f"{emulator.base_url}/checkoutnow?token={session.reference}"
    assert session.status == PaymentStatus.REQUIRES_ACTION


def test_one_token_serves_many_calls_and_an_expired_one_is_renewed(emulator):
    provider = paypal_provider(emulator)
    for _ in range(3):
        provider.create_payment(request())
    assert len(emulator.calls("POST", "/v1/oauth2/token")) == 1
    emulator.expire_tokens()
    provider.create_payment(request())
    assert len(emulator.calls("POST", "/v1/oauth2/token")) == 2


def test_a_token_is_fetched_again_once_its_lifetime_has_passed():
    with PayPalEmulator(token_lifetime=60) as emulator:  # shorter than the renewal margin
        provider = paypal_provider(emulator)
        provider.create_payment(request())
        provider.create_payment(request())
        assert len(emulator.calls("POST", "/v1/oauth2/token")) == 2


def test_every_post_carries_a_paypal_request_id(emulator):
    provider = paypal_provider(emulator)
    req = request()
    session = provider.create_payment(req)
    emulator.approve(session.reference)
    for delivery in emulator.take_webhooks():
        provider.parse_webhook(delivery)
    provider.capture(session.reference, idempotency_key="capture-1")
    provider.refund(session.reference, idempotency_key="refund-1", amount=Money(Decimal("5.00"), "USD"))
    api_posts = [h for h in emulator.calls("POST", "/v") if "Basic" not in h.get("Authorization", "")]
    request_ids = [h.get("Paypal-Request-Id") for h in api_posts]
    assert None not in request_ids
    assert {req.idempotency_key, "capture-1", "refund-1"} <= set(request_ids)


def test_the_approval_is_an_authorized_event_and_the_capture_a_succeeded_one(emulator):
    provider = paypal_provider(emulator)
    session = provider.create_payment(request())
    emulator.approve(session.reference)
    [approved] = [provider.parse_webhook(d) for d in emulator.take_webhooks()]
    assert (approved.kind, approved.reference, approved.order_reference) == (EventKind.AUTHORIZED, session.reference, "order-7")
    provider.capture(session.reference, idempotency_key="c1")
    [captured] = [provider.parse_webhook(d) for d in emulator.take_webhooks()]
    assert (captured.kind, captured.reference, captured.amount) == (EventKind.SUCCEEDED, session.reference,
                                                                    Money(Decimal("25.00"), "USD"))


def test_a_webhook_for_another_webhook_id_is_refused(emulator):
    session = paypal_provider(emulator).create_payment(request())
    emulator.approve(session.reference)
    [delivery] = emulator.take_webhooks()
    with pytest.raises(InvalidWebhookSignature):
        paypal_provider(emulator, webhook_id="WH0SOMEONEELSE").parse_webhook(delivery)


def test_verification_while_paypal_is_down_is_unavailable_not_invalid(emulator):
    provider = paypal_provider(emulator)
    session = provider.create_payment(request())
    emulator.approve(session.reference)
    [delivery] = emulator.take_webhooks()
    with emulator.outage("error"), pytest.raises(ProviderUnavailable):
        provider.parse_webhook(delivery)
    assert provider.parse_webhook(delivery).kind == EventKind.AUTHORIZED


def test_a_body_that_is_not_json_is_refused_without_asking_paypal(emulator):
    headers = {name: "x" for name in ("PAYPAL-AUTH-ALGO", "PAYPAL-CERT-URL", "PAYPAL-TRANSMISSION-ID",
                                      "PAYPAL-TRANSMISSION-SIG", "PAYPAL-TRANSMISSION-TIME")}
    with pytest.raises(InvalidWebhookSignature):
        paypal_provider(emulator).parse_webhook(WebhookRequest(headers=headers, body=b"not json"))
    assert emulator.calls("POST", "/v1/notifications") == []


def _forged(delivery, header=None, value=None, body=None):
    headers = dict(delivery.headers)
    if header:
        headers[header.lower()] = value
    return WebhookRequest(headers=headers, body=delivery.body if body is None else body)


@pytest.mark.parametrize("header, value, body", [
    ("PAYPAL-AUTH-ALGO", "none", None),
    ("PAYPAL-TRANSMISSION-ID", "attacker-chosen-idempotency-id", None),
    ("PAYPAL-TRANSMISSION-SIG", "x", None),
    ("PAYPAL-CERT-URL", "https://evil.example/cert.pem", None),
    ("PAYPAL-CERT-URL", "http://api.paypal.com/cert.pem", None),
    ("PAYPAL-TRANSMISSION-TIME", "yesterday", None),
    ("PAYPAL-TRANSMISSION-TIME", "2020-01-01T00:00:00Z", None),
    (None, None, b'{"id": "not-a-webhook-event-id", "event_type": "CHECKOUT.ORDER.APPROVED"}'),
    (None, None, b'[]'),
])
def test_a_delivery_that_cannot_be_genuine_is_refused_without_calling_paypal(emulator, header, value, body):
    provider = paypal_provider(emulator)
    emulator.approve(provider.create_payment(request()).reference)
    [delivery] = emulator.take_webhooks()
    with pytest.raises(InvalidWebhookSignature, match="paypal webhook refused"):
        provider.parse_webhook(_forged(delivery, header, value, body))
    assert emulator.calls("POST", "/v1/notifications") == []
    assert provider.parse_webhook(delivery).kind == EventKind.AUTHORIZED  # the genuine one still verifies


def test_verification_never_sends_the_callers_transmission_id_as_idempotency_id(emulator):
    provider = paypal_provider(emulator)
    emulator.approve(provider.create_payment(request()).reference)
    [delivery] = emulator.take_webhooks()
    provider.parse_webhook(delivery)
    provider.parse_webhook(delivery)
    sent = [{k.lower(): v for k, v in headers.items()}["paypal-request-id"] for headers in emulator.calls("POST", "/v1/notifications")]
    assert len(set(sent)) == 2 and delivery.header("PAYPAL-TRANSMISSION-ID") not in sent


def test_wrong_client_credentials_are_a_clear_error_without_the_secret(emulator):
    provider = paypal_provider(emulator, client_secret="wrong-secret-value-42")
    with pytest.raises(PaymentError) as caught:
        provider.create_payment(request())
    assert "client_secret" in str(caught.value) and "wrong-secret-value-42" not in str(caught.value)
