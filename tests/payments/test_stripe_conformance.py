"""The Stripe plugin passes the payment kit against the Stripe emulator."""

import pytest

from kernel.testing.payment_conformance import PaymentProviderConformance, PaymentSandbox
from plugins.stripe.provider import StripeProvider
from tests.emulators.stripe import StripeEmulator


class StripeSandbox(PaymentSandbox):
    def pay(self, session):
        self.emulator.confirm(session.reference, "pm_card_visa")

    def decline(self, session):
        from kernel.testing.emulator import EmulatorError

        with pytest.raises(EmulatorError):
            self.emulator.confirm(session.reference, "pm_card_chargeDeclined")

    def payment_count(self):
        return len(self.emulator.sessions)


def stripe_provider(emulator, **overrides):
    settings = dict(secret_key=emulator.api_key, webhook_secret=emulator.webhook_secrets[0],
                    api_base=emulator.base_url, timeout_seconds=0.5, max_network_retries=0)
    return StripeProvider(**{**settings, **overrides})


class TestStripeConformance(PaymentProviderConformance):
    @pytest.fixture
    def sandbox(self):
        with StripeEmulator() as emulator:
            yield StripeSandbox(emulator)

    @pytest.fixture
    def provider(self, sandbox):
        return stripe_provider(sandbox.emulator)


class TestStripeManualCaptureConformance(TestStripeConformance):
    @pytest.fixture
    def provider(self, sandbox):
        return stripe_provider(sandbox.emulator, capture="manual")
