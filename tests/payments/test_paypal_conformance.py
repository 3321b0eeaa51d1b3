"""The PayPal plugin passes the payment kit against the PayPal emulator."""

import pytest

from kernel.testing.payment_conformance import PaymentProviderConformance, PaymentSandbox
from plugins.paypal.provider import PayPalProvider
from tests.emulators.paypal import PayPalEmulator


class PayPalSandbox(PaymentSandbox):
    def pay(self, session):
        self.emulator.approve(session.reference)

    def decline(self, session):
        self.emulator.approve(session.reference, declining_instrument=True)

    def payment_count(self):
        return len(self.emulator.orders)


def paypal_provider(emulator, **overrides):
    settings = dict(client_id=emulator.client_id, client_secret=emulator.client_secret,
                    webhook_id=emulator.webhook_id, api_base=emulator.base_url, timeout_seconds=0.5)
    return PayPalProvider(**{**settings, **overrides})


class TestPayPalConformance(PaymentProviderConformance):
    @pytest.fixture
    def sandbox(self):
        with PayPalEmulator() as emulator:
            yield PayPalSandbox(emulator)

    @pytest.fixture
    def provider(self, sandbox):
        return paypal_provider(sandbox.emulator)
