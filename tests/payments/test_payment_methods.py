"""A site's payment providers: the methods shoppers may name, and start-up checks of the set-up."""

import uuid
from decimal import Decimal

import pytest

from kernel.context import commerce
from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.money import Money
from kernel.domain.ports.payments import PaymentRequest
from kernel.site import SiteError
from tests.emulators.stripe import StripeEmulator


def stripe_settings(emulator, **extra):
    return {"secret_key": emulator.api_key, "webhook_secret": emulator.webhook_secrets[0],
            "api_base": emulator.base_url, "max_network_retries": 0, **extra}


SHOP = ["catalog", "orders"]
RETURN = "https://shop.example/checkout/return/o-1"
PAYPAL = {"client_id": "id-123", "client_secret": "paypal-secret-123", "webhook_id": "WH123",
          "api_base": "http://127.0.0.1:9"}


@pytest.fixture
def emulator():
    with StripeEmulator() as emulator:
        yield emulator


def test_each_method_shoppers_name_leads_to_the_provider_the_site_maps_it_to(make_app, emulator):
    app = make_app(SHOP + ["stripe", "paypal"], backend="sqlite", settings={"stripe": stripe_settings(emulator), "paypal": PAYPAL},
                   payments={"methods": {"credit_card": "stripe", "paypal": "paypal"}})
    with app.app_context():
        payments = commerce().payments
        assert payments.provider_for_method("credit_card").name == "stripe"
        assert payments.provider_for_method("paypal").name == "paypal"
        assert payments.provider("stripe") is payments.provider_for_method("credit_card")
        assert sorted(p.name for p in payments) == ["paypal", "stripe"]


def test_a_method_the_site_does_not_offer_is_a_422_naming_the_field(make_app, emulator):
    app = make_app(SHOP + ["stripe"], backend="sqlite", settings={"stripe": stripe_settings(emulator)},
                   payments={"methods": {"credit_card": "stripe"}})
    with app.app_context():
        with pytest.raises(ValidationFailed) as caught:
            commerce().payments.provider_for_method("bitcoin")
        assert caught.value.status == 422
        assert "credit_card" in caught.value.errors["paymentMethod"][0]
        with pytest.raises(NotFound):
            commerce().payments.provider("paypal")


def test_the_site_s_provider_talks_to_the_configured_api_base(make_app, emulator):
    app = make_app(SHOP + ["stripe"], backend="sqlite", settings={"stripe": stripe_settings(emulator)},
                   payments={"methods": {"credit_card": "stripe"}})
    with app.app_context():
        provider = commerce().payments.provider_for_method("credit_card")
        session = provider.create_payment(PaymentRequest(order_reference="o-1", amount=Money(Decimal("9.99"), "USD"),
                                                         idempotency_key=uuid.uuid4().hex, return_url=RETURN))
    assert emulator.sessions[session.reference]["amount_total"] == 999


@pytest.mark.parametrize(("plugins", "settings", "payments", "message"), [
    (["stripe"], "stripe", {}, "plugin 'stripe' requires plugin 'orders', which the site does not enable"),
    (SHOP + ["stripe"], "stripe", {"credit_card": "paypal"},
     "[payments] methods.credit_card = 'paypal': no enabled plugin provides that payment provider (enabled providers: stripe)"),
    (SHOP + ["stripe"], {"webhook_secret": "whsec_x"}, {}, "[plugins.stripe] secret_key: Missing data for required field."),
    (SHOP + ["stripe"], {"secret_key": "env:STRIPE_KEY_NOT_SET_ANYWHERE", "webhook_secret": "whsec_x"}, {},
     "[plugins.stripe] secret_key: environment variable STRIPE_KEY_NOT_SET_ANYWHERE is not set"),
    (SHOP + ["paypal"], {"client_id": "id"}, {}, "[plugins.paypal] client_secret: Missing data for required field."),
    (SHOP + ["stripe"], "stripe", {"Credit Card": "stripe"}, "[payments] methods"),
])
def test_start_up_refuses_a_payment_set_up_with_one_line(make_app, emulator, plugins, settings, payments, message):
    plugin_settings = {plugins[-1]: stripe_settings(emulator) if settings == "stripe" else settings}
    with pytest.raises(SiteError) as caught:
        make_app(plugins, backend="sqlite", settings=plugin_settings, payments={"methods": payments})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_production_site_refuses_to_reach_stripe_without_https(make_app, emulator):
    with pytest.raises(SiteError, match=r"\[plugins.stripe\] api_base: a production site talks to Stripe over https"):
        make_app(SHOP + ["stripe"], backend="sqlite", settings={"stripe": stripe_settings(emulator)},
                 site={"production": True, "secret_key": "p" * 40}, security={"jwt_secret": "j" * 40})


def test_secrets_from_the_environment_never_reach_the_logs(make_app, emulator, log_lines, monkeypatch):
    monkeypatch.setenv("STRIPE_SECRET_KEY", emulator.api_key)
    monkeypatch.setenv("COMMERCE_TRACE_HOOKS", "1")
    app = make_app(SHOP + ["stripe"], backend="sqlite",
                   settings={"stripe": stripe_settings(emulator, secret_key="env:STRIPE_SECRET_KEY")},
                   payments={"methods": {"credit_card": "stripe"}})
    with app.app_context():
        provider = commerce().payments.provider_for_method("credit_card")
        session = provider.create_payment(PaymentRequest(order_reference="o-2", amount=Money(Decimal("5.00"), "USD"),
                                                         idempotency_key=uuid.uuid4().hex, return_url=RETURN))
        provider.status(session.reference)
    assert any("commerce_payment_providers" in line for line in log_lines)
    assert not any(emulator.api_key in line or emulator.webhook_secrets[0] in line for line in log_lines)
