"""The test payment provider passes the payment kit against its in-process service."""

import secrets

import pytest

from kernel.domain.money import Money
from kernel.domain.ports.payments import InvalidWebhookSignature, PaymentRequest, WebhookRequest
from kernel.testing.payment_conformance import PaymentProviderConformance, PaymentSandbox
from plugins.testpay.provider import TestPayProvider
from plugins.testpay.service import TestPayService


class Outage:
    def __init__(self, service, kind):
        self.service, self.kind = service, kind

    def __enter__(self):
        self.service.outage = self.kind

    def __exit__(self, *exc):
        self.service.outage = None


class SandboxOfTestPay(PaymentSandbox):
    def pay(self, session):
        self.emulator.pay(session.reference)

    def decline(self, session):
        self.emulator.decline(session.reference)

    def payment_count(self):
        return len(self.emulator.payments)

    def webhooks(self):
        return [WebhookRequest(headers=headers, body=body) for headers, body in self.emulator.take_webhooks()]

    def outage(self, kind):
        return Outage(self.emulator, kind)


class TestTestPayConformance(PaymentProviderConformance):
    @pytest.fixture
    def sandbox(self):
        return SandboxOfTestPay(TestPayService(secrets.token_bytes(32)))

    @pytest.fixture
    def provider(self, sandbox):
        return TestPayProvider(sandbox.emulator)


def test_a_webhook_signed_with_another_site_s_secret_is_refused():
    ours, theirs = TestPayService(secrets.token_bytes(32)), TestPayService(secrets.token_bytes(32))
    session = TestPayProvider(theirs).create_payment(PaymentRequest("o-1", Money("5.00", "USD"), "k-1"))
    theirs.pay(session.reference)
    (headers, body), = theirs.take_webhooks()
    with pytest.raises(InvalidWebhookSignature):
        TestPayProvider(ours).parse_webhook(WebhookRequest(headers=headers, body=body))
