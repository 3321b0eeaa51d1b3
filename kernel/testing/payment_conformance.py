"""The conformance kit every payment plugin runs against itself (pytest).

Subclass :class:`PaymentProviderConformance` in a test module named ``test_*.py`` and give it
two fixtures: ``provider`` (your :class:`PaymentProvider`, configured against your sandbox)
and ``sandbox`` (a :class:`PaymentSandbox` that plays the shopper and the provider's
service). Every ``test_*`` method below then runs against your plugin::

    class TestAcmePayConformance(PaymentProviderConformance):
        @pytest.fixture
        def sandbox(self):
            with AcmeEmulator() as emulator:
                yield AcmeSandbox(emulator)

        @pytest.fixture
        def provider(self, sandbox):
            return AcmePayProvider(api_base=sandbox.emulator.base_url, api_key="test", timeout=0.5)

The client timeout of ``provider`` must be shorter than the sandbox's stall (see
:meth:`PaymentSandbox.outage`). Set ``currency``/``amount`` on the subclass to change
what is paid.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from decimal import Decimal

import pytest

from kernel.domain.money import Money
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
)


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


class PaymentProviderConformance:
    """The port's contract as tests. Not collected itself (its name does not start with Test)."""

    currency = "USD"
    amount = Decimal("25.00")

    @pytest.fixture
    def provider(self) -> PaymentProvider:
        raise NotImplementedError("override the 'provider' fixture in your subclass")

    @pytest.fixture
    def sandbox(self) -> PaymentSandbox:
        raise NotImplementedError("override the 'sandbox' fixture in your subclass")

    # --- helpers --------------------------------------------------------------

    def money(self, amount=None) -> Money:
        return Money(Decimal(self.amount if amount is None else amount), self.currency)

    def payment_request(self, amount=None, key: str | None = None) -> PaymentRequest:
        return PaymentRequest(order_reference=f"order-{uuid.uuid4().hex[:12]}", amount=self.money(amount),
                              idempotency_key=key or uuid.uuid4().hex, description="Conformance test order",
                              return_url="https://shop.example/return", cancel_url="https://shop.example/cancel")

    @staticmethod
    def parse(provider: PaymentProvider, deliveries: list[WebhookRequest]) -> list[NormalizedEvent]:
        """Parse webhooks as the webhook inbox would (``None`` answers are dropped)."""
        return [event for delivery in deliveries if (event := provider.parse_webhook(delivery))]

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
        other = PaymentRequest(order_reference=request.order_reference, amount=request.amount + self.money("1.00"),
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
        assert state.captured == session.amount and state.refunded == self.money(0)

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
        session = provider.create_payment(self.payment_request("99.00"))
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
        first = provider.refund(session.reference, idempotency_key=key, amount=self.money("5.00"))
        again = provider.refund(session.reference, idempotency_key=key, amount=self.money("5.00"))
        assert again.reference == first.reference
        assert provider.status(session.reference).refunded == self.money("5.00")

    def test_partial_refunds_add_up_and_cannot_exceed_the_capture(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox, "30.00")
        if not provider.capabilities.partial_refund:
            with pytest.raises(UnsupportedPaymentOperation):
                provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money("10.00"))
            return
        provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money("10.00"))
        provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money("15.00"))
        with pytest.raises(RefundExceedsCaptured) as caught:
            provider.refund(session.reference, idempotency_key=uuid.uuid4().hex, amount=self.money("5.01"))
        assert caught.value.status == 422 and "amount" in caught.value.errors
        state = provider.status(session.reference)
        assert state.refunded == self.money("25.00") and state.status == PaymentStatus.SUCCEEDED

    def test_a_refund_beyond_the_capture_refunds_nothing(self, provider, sandbox):
        session, _ = self.paid(provider, sandbox)
        with pytest.raises((RefundExceedsCaptured, UnsupportedPaymentOperation)):
            provider.refund(session.reference, idempotency_key=uuid.uuid4().hex,
                            amount=session.amount + self.money("0.01"))
        assert provider.status(session.reference).refunded == self.money(0)

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
