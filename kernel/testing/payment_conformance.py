"""The conformance kit every payment plugin runs against itself (pytest).

Subclass :class:`PaymentProviderConformance` in a test module named ``test_*.py`` and give it
two fixtures: ``provider`` (your :class:`PaymentProvider`, configured against your sandbox)
and ``sandbox`` (a :class:`PaymentSandbox` that plays the shopper and the provider's
service). Every ``test_*`` method below then runs against your plugin::

    class TestAcmePayConformance(PaymentProviderConformance):
        webhook_style = WebhookStyle.SIGNED  # or CALLBACK: the body names a payment, the plugin asks

        @pytest.fixture
        def sandbox(self):
            with AcmeEmulator() as emulator:
                yield AcmeSandbox(emulator)

        @pytest.fixture
        def provider(self, sandbox):
            return AcmePayProvider(api_base=sandbox.emulator.base_url, api_key="test", timeout=0.5)

The client timeout of ``provider`` must be shorter than the sandbox's stall (see
:meth:`PaymentSandbox.outage`). Set ``currency`` (amounts follow its exponent: JPY works)
or ``amount`` on the subclass to change what is paid. :class:`PaymentSiteConformance` checks
the plugin on a site (its webhooks reach the orders side's route).
"""

from __future__ import annotations

import json
import uuid
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

import pytest

from kernel.domain.money import Money, minor_unit
from kernel.domain.ports.payments import (
    EventKind,
    IdempotencyKeyReused,
    InvalidPaymentState,
    InvalidWebhookSignature,
    NormalizedEvent,
    PaymentDeclined,
    PaymentNotFound,
    PaymentProvider,
    PaymentRequest,
    PaymentSession,
    PaymentStatus,
    ProviderCapabilities,
    ProviderUnavailable,
    RefundExceedsCaptured,
    UnsupportedPaymentOperation,
    WebhookRequest,
    webhook_events,
)


class WebhookStyle(StrEnum):
    """How a provider's webhooks prove themselves, which decides the kit's webhook tests."""

    SIGNED = "signed"  # the body carries the facts and a signature over it (Stripe, PayPal)
    CALLBACK = "callback"  # the body only names a payment; the plugin asks the provider for its state (Mollie)


# the tests of one style; the other style tests the same properties its own way (a forged body,
# an unauthenticated delivery, deliveries in any order), and a callback can find the provider down
SIGNED_TESTS = ("test_a_tampered_webhook_is_refused", "test_an_unsigned_webhook_is_refused",
                "test_webhooks_out_of_order_each_parse_and_status_tells_the_truth")
CALLBACK_TESTS = ("test_a_status_claimed_in_the_body_is_ignored", "test_a_webhook_naming_an_unknown_payment_is_refused",
                  "test_every_delivery_reports_the_cumulative_state",
                  "test_a_webhook_the_provider_cannot_confirm_now_is_unavailable")


@dataclass(frozen=True)
class Facts:
    """What a payment's events say once stored by ``(provider, event_id)``, as the orders side reads
    them: captured when an event says paid or refunded, refunded the largest cumulative amount."""

    captured: bool
    refunded: Money | None

    @classmethod
    def of(cls, events: list[NormalizedEvent], reference: str) -> Facts:
        stored = {(e.provider, e.event_id): e for e in reversed(events) if e.reference == reference}.values()
        refunds = [e.amount for e in stored if e.kind == EventKind.REFUNDED and e.amount is not None]
        return cls(captured=any(e.kind in (EventKind.SUCCEEDED, EventKind.REFUNDED) for e in stored),
                   refunded=max(refunds, key=lambda money: money.amount) if refunds else None)


class PaymentSandbox(ABC):
    """Your provider's test double as the kit drives it. With an emulator built on
    :class:`kernel.testing.emulator.ProviderEmulator`, pass it as ``emulator`` and write only
    the three abstract methods."""

    def __init__(self, emulator=None):
        self.emulator = emulator

    @abstractmethod
    def pay(self, session: PaymentSession) -> None:
        """Act as the shopper completing the payment (confirm the card, approve at the provider)."""

    @abstractmethod
    def decline(self, session: PaymentSession) -> None:
        """Act as a shopper whose payment method is declined."""

    @abstractmethod
    def payment_count(self) -> int:
        """How many payments the provider's service holds (proves a retry created no second one)."""

    def webhooks(self) -> list[WebhookRequest]:
        """The webhooks the service sent since the last call, oldest first."""
        return self.emulator.take_webhooks()

    def outage(self, kind: str) -> AbstractContextManager:
        """``"error"``: every call answers 5xx and does nothing. ``"timeout"``: every call is
        carried out but answered after the provider's client has timed out."""
        return self.emulator.outage(kind)

    def pay_on_page(self, session: PaymentSession) -> str | None:
        """Act as the shopper's browser on the provider's hosted page (``approval_url``): press
        Pay, and answer where the provider sends the browser back. By default the page is a form
        that takes ``action=pay`` and answers a redirect; override for another page."""
        import requests

        assert requests.get(session.approval_url, timeout=10).ok, "the provider's page opens"
        answer = requests.post(session.approval_url, data={"action": "pay"}, allow_redirects=False, timeout=10)
        return answer.headers.get("Location")

    def claim(self, delivery: WebhookRequest, **fields: str) -> WebhookRequest:
        """``delivery`` with ``fields`` written into its body, as a forger would (a JSON object or a
        form); override for another body format."""
        if "json" in (delivery.header("content-type") or ""):
            body = json.dumps({**json.loads(delivery.body), **fields}).encode()
        else:
            body = urlencode([*parse_qsl(delivery.body.decode()), *fields.items()]).encode()
        return WebhookRequest(headers=delivery.headers, body=body, query_string=delivery.query_string)


class ConformanceBase:
    """What both kits share: the fixtures to give, the currency, amounts and the webhook style."""

    currency = "USD"
    amount: Decimal | None = None  # default: 25 steps (25.00 USD, 2500 JPY)
    webhook_style = WebhookStyle.SIGNED

    @pytest.fixture
    def provider(self) -> PaymentProvider:
        raise NotImplementedError("override the 'provider' fixture in your subclass")

    @pytest.fixture
    def sandbox(self) -> PaymentSandbox:
        raise NotImplementedError("override the 'sandbox' fixture in your subclass")

    def step(self) -> Decimal:
        """A round amount of the currency: 1.00 USD, 100 JPY (its minor unit times 100)."""
        return minor_unit(self.currency) * 100

    def money(self, steps=None) -> Money:
        """``steps`` round amounts of the currency (the subclass's ``amount`` when None)."""
        if steps is None:
            return Money(Decimal(self.amount) if self.amount is not None else self.step() * 25, self.currency)
        return Money(self.step() * Decimal(steps), self.currency)

    def smallest(self) -> Money:
        """The currency's minor unit: 0.01 USD, 1 JPY."""
        return Money(minor_unit(self.currency), self.currency)

    def payment_request(self, amount=None, key: str | None = None) -> PaymentRequest:
        return PaymentRequest(order_reference=f"order-{uuid.uuid4().hex[:12]}", amount=self.money(amount),
                              idempotency_key=key or uuid.uuid4().hex, description="Conformance test order",
                              return_url="https://shop.example/checkout/return/order",
                              cancel_url="https://shop.example/checkout/return/order?cancelled=1",
                              webhook_url="https://shop.example/api/payments/webhook")

    @staticmethod
    def parse(provider: PaymentProvider, deliveries: list[WebhookRequest]) -> list[NormalizedEvent]:
        """Parse webhooks as the webhook inbox would: every event of every delivery, in order."""
        return [event for delivery in deliveries for event in webhook_events(provider.parse_webhook(delivery))]


class PaymentSiteConformance(ConformanceBase):
    """The plugin on a site: besides ``provider`` and ``sandbox``, give ``site``, a Flask app of a
    site (the kernel's ``make_app`` fixture) that enables the orders plugin and yours, configured
    against the sandbox, e.g. ``make_app(["catalog", "cart", "orders", "acmepay"], settings=...)``."""

    @pytest.fixture
    def site(self):
        raise NotImplementedError("override the 'site' fixture in your subclass")

    @staticmethod
    def post(site, provider: PaymentProvider, delivery: WebhookRequest):
        """The delivery as the provider sends it to the site's webhook route."""
        return site.test_client().post(f"/api/payments/{provider.name}/webhook", data=delivery.body,
                                       headers=dict(delivery.headers), query_string=delivery.query_string)

    def test_the_site_s_webhook_route_takes_the_provider_s_deliveries(self, site, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        deliveries = sandbox.webhooks()
        assert deliveries, "paying sends a webhook"
        for delivery in deliveries:
            answer = self.post(site, provider, delivery)
            # held: the site keeps the event until one of its own payments has that reference
            assert answer.status_code == 200 and answer.json["result"] == "held", answer.get_data(as_text=True)
        again = self.post(site, provider, deliveries[0])
        assert again.status_code == 200 and again.json["result"] == "duplicate"

    def test_the_provider_s_page_sends_the_shopper_back_to_the_site(self, site, provider, sandbox):
        request = self.payment_request()
        session = provider.create_payment(request)
        assert session.approval_url, "the storefront pays by redirect: the provider gives a page to send the shopper to"
        assert sandbox.pay_on_page(session) == request.return_url
        assert provider.status(session.reference).status == PaymentStatus.SUCCEEDED

    def test_a_webhook_the_site_cannot_verify_now_is_a_503_the_provider_retries(self, site, provider, sandbox,
                                                                                monkeypatch):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        delivery = sandbox.webhooks()[0]
        if self.webhook_style == WebhookStyle.CALLBACK:
            with sandbox.outage("error"):
                answer = self.post(site, provider, delivery)
        else:  # a signature needs no call: the route is checked with a provider that is down
            on_site = type(site.extensions["commerce"].payments.provider(provider.name))
            with monkeypatch.context() as patched:
                patched.setattr(on_site, "parse_webhook", _unavailable)
                answer = self.post(site, provider, delivery)
        assert answer.status_code == 503 and answer.mimetype == "application/problem+json"
        retried = self.post(site, provider, delivery)
        assert retried.status_code == 200 and retried.json["result"] == "held"  # nothing was stored the first time


def _unavailable(provider, request):
    raise ProviderUnavailable(f"{provider.name} could not be asked", provider=provider.name)


class PaymentProviderConformance(ConformanceBase):
    """The port's contract as tests. Not collected itself (its name does not start with Test)."""

    def __init_subclass__(cls, **kwargs):
        """The webhook style picks its tests: the other style's are not collected."""
        super().__init_subclass__(**kwargs)
        signed = WebhookStyle(cls.webhook_style) == WebhookStyle.SIGNED
        for name in SIGNED_TESTS + CALLBACK_TESTS:
            setattr(cls, name, getattr(PaymentProviderConformance, name) if (name in SIGNED_TESTS) == signed else None)

    # --- helpers --------------------------------------------------------------

    def settle(self, provider: PaymentProvider, sandbox: PaymentSandbox, session: PaymentSession) -> list[WebhookRequest]:
        """The webhooks that follow the shopper's action, with an ``authorized`` payment captured
        at once (by the site when the provider auto-captures, as staff would otherwise)."""
        deliveries = sandbox.webhooks()
        events = self.parse(provider, deliveries)
        if any(e.kind == EventKind.AUTHORIZED for e in events):
            provider.capture(session.reference, idempotency_key=f"capture-{session.reference}")
            deliveries += sandbox.webhooks()
        return deliveries

    def paid(self, provider: PaymentProvider, sandbox: PaymentSandbox, amount=None):
        """A payment the shopper has paid and the site has settled, with the events that said so."""
        session = provider.create_payment(self.payment_request(amount))
        sandbox.pay(session)
        return session, self.parse(provider, self.settle(provider, sandbox, session))

    # --- the contract -----------------------------------------------------------

    def test_it_has_a_name_and_declares_its_capabilities(self, provider):
        assert isinstance(provider, PaymentProvider)
        assert provider.name and provider.name.isidentifier() and provider.name == provider.name.lower()
        assert isinstance(provider.capabilities, ProviderCapabilities)

    def test_create_returns_what_the_shopper_needs_next(self, provider):
        request = self.payment_request()
        session = provider.create_payment(request)
        assert session.provider == provider.name
        assert session.reference
        assert session.amount == request.amount
        assert session.status == PaymentStatus.REQUIRES_ACTION
        assert session.client_secret or session.approval_url

    def test_create_is_idempotent_by_key(self, provider, sandbox):
        request = self.payment_request()
        first = provider.create_payment(request)
        before = sandbox.payment_count()
        again = provider.create_payment(request)
        assert again.reference == first.reference
        assert sandbox.payment_count() == before

    def test_a_key_reused_for_another_amount_is_refused(self, provider, sandbox):
        request = self.payment_request(key=uuid.uuid4().hex)
        provider.create_payment(request)
        before = sandbox.payment_count()
        other = PaymentRequest(order_reference=request.order_reference, amount=request.amount + self.money(1),
                               idempotency_key=request.idempotency_key, return_url=request.return_url,
                               cancel_url=request.cancel_url)
        with pytest.raises(IdempotencyKeyReused):
            provider.create_payment(other)
        assert sandbox.payment_count() == before

    def test_a_paid_payment_is_reported_by_a_verified_webhook_and_by_its_status(self, provider, sandbox):
        session, events = self.paid(provider, sandbox)
        succeeded = [e for e in events if e.kind == EventKind.SUCCEEDED]
        assert succeeded, f"no succeeded event among {[e.provider_type for e in events]}"
        assert {e.reference for e in succeeded} == {session.reference}
        assert all(e.provider == provider.name and e.event_id for e in succeeded)
        assert succeeded[0].amount == session.amount
        state = provider.status(session.reference)
        assert state.status == PaymentStatus.SUCCEEDED
        assert state.captured == session.amount and state.refunded == Money(Decimal(0), self.currency)

    def test_a_redelivered_webhook_parses_to_the_same_event(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        delivery = sandbox.webhooks()[0]
        assert provider.parse_webhook(delivery) == provider.parse_webhook(delivery)

    def test_a_declined_payment_is_reported_as_failed(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.decline(session)
        events = self.parse(provider, sandbox.webhooks())
        if any(e.kind == EventKind.AUTHORIZED for e in events):
            # the decline shows when the site captures the approved payment
            with pytest.raises(PaymentDeclined) as caught:
                provider.capture(session.reference, idempotency_key=f"capture-{session.reference}")
            assert caught.value.status == 402
            events = self.parse(provider, sandbox.webhooks())
        assert EventKind.SUCCEEDED not in [e.kind for e in events]
        if events:
            assert [e.kind for e in events if e.reference == session.reference] == [EventKind.FAILED]
        assert provider.status(session.reference).status not in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)

    def test_a_tampered_webhook_is_refused(self, provider, sandbox):
        session = provider.create_payment(self.payment_request(99))
        sandbox.pay(session)
        genuine = sandbox.webhooks()[0]
        forged = WebhookRequest(headers=genuine.headers, body=genuine.body.replace(b"99", b"11", 1))
        assert forged.body != genuine.body
        with pytest.raises(InvalidWebhookSignature):
            provider.parse_webhook(forged)

    def test_an_unsigned_webhook_is_refused(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        genuine = sandbox.webhooks()[0]
        with pytest.raises(InvalidWebhookSignature):
            provider.parse_webhook(WebhookRequest(headers={"content-type": "application/json"}, body=genuine.body))

    def test_webhooks_out_of_order_each_parse_and_status_tells_the_truth(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        deliveries = self.settle(provider, sandbox, session)
        provider.refund(session.reference, idempotency_key=uuid.uuid4().hex)
        deliveries += sandbox.webhooks()
        events = self.parse(provider, list(reversed(deliveries)))
        kinds = [e.kind for e in events]
        assert EventKind.REFUNDED in kinds and EventKind.SUCCEEDED in kinds
        assert kinds.index(EventKind.REFUNDED) < kinds.index(EventKind.SUCCEEDED)
        assert len({e.event_id for e in events}) == len(events)
        refunded = next(e for e in events if e.kind == EventKind.REFUNDED)
        assert refunded.amount == session.amount
        assert provider.status(session.reference).status == PaymentStatus.REFUNDED

    def test_a_refund_made_before_any_webhook_is_handled_is_not_lost(self, provider, sandbox):
        """Paid, then refunded in part at the provider (its dashboard) before the site handled any
        webhook: whatever order the deliveries come in, their events say captured and refunded."""
        session = provider.create_payment(self.payment_request(30))
        sandbox.pay(session)
        deliveries = self.settle(provider, sandbox, session)
        partial = provider.capabilities.partial_refund
        provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money(10) if partial else None)
        deliveries += sandbox.webhooks()
        refunded = self.money(10) if partial else session.amount
        for arrival in (deliveries, list(reversed(deliveries)), deliveries[-1:]):  # the last alone: the others lost
            facts = Facts.of(self.parse(provider, arrival), session.reference)
            assert facts == Facts(captured=True, refunded=refunded), facts
        assert provider.status(session.reference).refunded == refunded

    def test_a_status_claimed_in_the_body_is_ignored(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.decline(session)
        genuine = sandbox.webhooks()[0]
        forged = sandbox.claim(genuine, status="paid", amount=str(session.amount.amount))
        assert forged.body != genuine.body
        events = self.parse(provider, [forged])
        assert EventKind.SUCCEEDED not in [e.kind for e in events]
        assert provider.status(session.reference).status not in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED)

    def test_a_webhook_naming_an_unknown_payment_is_refused(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        genuine = sandbox.webhooks()[0]
        assert session.reference.encode() in genuine.body, "the delivery names the payment"
        forged = WebhookRequest(headers=genuine.headers, query_string=genuine.query_string,
                                body=genuine.body.replace(session.reference.encode(), b"tr_unknown0000"))
        with pytest.raises(InvalidWebhookSignature):
            provider.parse_webhook(forged)

    def test_every_delivery_reports_the_cumulative_state(self, provider, sandbox):
        """Each delivery reports the payment as it is when parsed: the same facts with the same
        event ids (the inbox stores each once), the refunds as one cumulative event."""
        session, _ = self.paid(provider, sandbox, 30)
        partial = provider.capabilities.partial_refund
        for amount in ((self.money(10), self.money(15)) if partial else (None,)):
            provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=amount)
        deliveries = sandbox.webhooks()
        assert deliveries, "a refund sends a webhook"
        parsed = [webhook_events(provider.parse_webhook(delivery)) for delivery in [*deliveries, *reversed(deliveries)]]
        assert all(events == parsed[0] for events in parsed)
        refunds = [e for e in parsed[0] if e.kind == EventKind.REFUNDED]
        assert [e.amount for e in refunds] == [self.money(25) if partial else session.amount]
        assert len({e.event_id for e in parsed[0]}) == len(parsed[0])

    def test_a_webhook_the_provider_cannot_confirm_now_is_unavailable(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        sandbox.pay(session)
        delivery = sandbox.webhooks()[0]
        with sandbox.outage("error"), pytest.raises(ProviderUnavailable) as caught:
            provider.parse_webhook(delivery)
        assert caught.value.status == 503
        assert EventKind.SUCCEEDED in [e.kind for e in self.parse(provider, [delivery])]

    def test_a_full_refund_returns_everything_captured(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox)
        refund = provider.refund(session.reference, idempotency_key=uuid.uuid4().hex)
        assert refund.amount == session.amount and refund.payment_reference == session.reference
        state = provider.status(session.reference)
        assert state.status == PaymentStatus.REFUNDED and state.refunded == session.amount

    def test_a_refund_retried_with_its_key_refunds_once(self, provider, sandbox):
        if not provider.capabilities.partial_refund:
            pytest.skip("the provider declares no partial refunds")
        session, _ = self.paid(provider, sandbox)
        key = uuid.uuid4().hex
        first = provider.refund(session.reference, idempotency_key=key, amount=self.money(5))
        again = provider.refund(session.reference, idempotency_key=key, amount=self.money(5))
        assert again.reference == first.reference
        assert provider.status(session.reference).refunded == self.money(5)

    def test_partial_refunds_add_up_and_cannot_exceed_the_capture(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox, 30)
        if not provider.capabilities.partial_refund:
            with pytest.raises(UnsupportedPaymentOperation):
                provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money(10))
            return
        provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money(10))
        provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money(15))
        with pytest.raises(RefundExceedsCaptured) as caught:
            provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money(5) + self.smallest())
        assert caught.value.status == 422 and "amount" in caught.value.errors
        state = provider.status(session.reference)
        assert state.refunded == self.money(25) and state.status == PaymentStatus.SUCCEEDED

    def test_a_refund_beyond_the_capture_refunds_nothing(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox)
        with pytest.raises((RefundExceedsCaptured, UnsupportedPaymentOperation)):
            provider.refund(session.reference, idempotency_key=uuid.uuid4().hex,
                            amount=session.amount + self.smallest())
        assert provider.status(session.reference).refunded == Money(Decimal(0), self.currency)

    def test_a_refund_before_payment_is_a_state_conflict(self, provider):
        session = provider.create_payment(self.payment_request())
        with pytest.raises(InvalidPaymentState) as caught:
            provider.refund(session.reference, idempotency_key=uuid.uuid4().hex)
        assert caught.value.status == 409

    def test_a_payment_cancelled_before_it_is_paid_never_succeeds(self, provider, sandbox):
        session = provider.create_payment(self.payment_request())
        state = provider.cancel(session.reference, idempotency_key=uuid.uuid4().hex)
        assert state.status == PaymentStatus.CANCELLED
        try:
            sandbox.pay(session)
        except Exception:  # the service may refuse to let the shopper pay at all
            pass
        events = self.parse(provider, sandbox.webhooks())
        assert EventKind.SUCCEEDED not in [e.kind for e in events if e.reference == session.reference]
        assert provider.status(session.reference).status != PaymentStatus.SUCCEEDED

    def test_a_paid_payment_cannot_be_cancelled(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox)
        with pytest.raises(InvalidPaymentState):
            provider.cancel(session.reference, idempotency_key=uuid.uuid4().hex)
        assert provider.status(session.reference).status == PaymentStatus.SUCCEEDED

    def test_an_unknown_payment_is_not_found(self, provider):
        with pytest.raises(PaymentNotFound):
            provider.status("no-such-payment-0000")

    def test_a_provider_5xx_is_a_clear_unavailable_error_and_changes_nothing(self, provider, sandbox):
        request = self.payment_request()
        before = sandbox.payment_count()
        with sandbox.outage("error"), pytest.raises(ProviderUnavailable) as caught:
            provider.create_payment(request)
        assert caught.value.status == 503 and provider.name in str(caught.value).lower()
        assert sandbox.payment_count() == before
        session = provider.create_payment(request)
        assert session.reference and sandbox.payment_count() == before + 1

    def test_a_timeout_is_unavailable_and_the_retry_finds_the_same_payment(self, provider, sandbox):
        request = self.payment_request()
        before = sandbox.payment_count()
        with sandbox.outage("timeout"), pytest.raises(ProviderUnavailable) as caught:
            provider.create_payment(request)
        assert caught.value.status == 503
        session = provider.create_payment(request)
        assert session.reference
        assert sandbox.payment_count() == before + 1

    def test_a_refund_that_timed_out_is_not_repeated_by_its_retry(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox)
        key = uuid.uuid4().hex
        with sandbox.outage("timeout"), pytest.raises(ProviderUnavailable):
            provider.refund(session.reference, idempotency_key=key)
        provider.refund(session.reference, idempotency_key=key)
        state = provider.status(session.reference)
        assert state.refunded == session.amount and state.status == PaymentStatus.REFUNDED
