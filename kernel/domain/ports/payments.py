"""The payment provider port: what the kernel and the orders side need from a payment provider.

A provider plugin (Stripe, PayPal, a third party's) implements :class:`PaymentProvider` and
returns instances from the ``commerce_payment_providers(site)`` hook. The provider talks
only to its payment service; it stores nothing. The orders side owns what is stored:

* **Checkout.** For each payment attempt the orders side stores a payment record (order,
  provider name, :attr:`PaymentSession.reference`, amount, status) and calls
  :meth:`PaymentProvider.create_payment` with an idempotency key derived from that record
  (e.g. its id), so a retried checkout never creates a second payment at the provider. It
  hands :attr:`PaymentSession.approval_url` (or :attr:`PaymentSession.client_secret`) to the
  shopper, who finishes the payment with the provider.
* **Webhook inbox.** ``POST /api/payments/{provider}/webhook`` passes the raw body, the
  headers, the query string and the client's address, as a :class:`WebhookRequest`, to
  :meth:`PaymentProvider.parse_webhook`. :class:`InvalidWebhookSignature` → answer 400 and
  store nothing; :class:`ProviderUnavailable` → answer 503 (the provider retries) and store
  nothing. ``None`` → an authentic event the platform does not track: answer 200 and store
  nothing. Each :class:`NormalizedEvent` (one, or several from one delivery) → insert it
  once by ``(provider, event_id)`` (a unique constraint; a duplicate is skipped), then,
  under a row lock on the payment record found by ``(provider, reference)``, apply it; the
  events of one delivery are applied in one transaction.
* **Applying events.** Providers deliver at least once and in any order, and several events
  can report the same outcome. Treat each event as a fact about the payment, not as a
  command: ``succeeded`` moves a pending order to Paid and is a no-op on an order already
  Paid; ``refunded`` carries the *cumulative* refunded amount, so keep the largest seen; a
  ``failed``, ``cancelled`` or ``requires_action`` arriving after ``succeeded`` must not
  undo it (when in doubt, :meth:`PaymentProvider.status` tells the provider's truth).
  ``authorized`` means the shopper has approved and the funds wait for
  :meth:`PaymentProvider.capture`: when :attr:`PaymentProvider.auto_capture` is true and the
  order is still pending, capture now (PayPal works this way); otherwise staff captures
  later (manual capture), and an order cancelled meanwhile is simply never captured. An
  outcome can still arrive for an order the site already cancelled (the shopper paid as
  the order expired): refund it.
* **Refunds and captures by staff.** Store the refund (or capture) record first and pass its
  id as the idempotency key: a retry after a timeout then refunds once, never twice. A
  :class:`Refund` answered ``pending`` is settled later by a ``refunded`` event, or by a
  ``refund_failed`` event when the provider gives up (the money stayed with the shop).
* **Errors.** Every method raises a :class:`PaymentError` subclass, never a library's or an
  HTTP client's exception. Each has an HTTP ``status`` and a one-line ``detail`` without
  secrets. :class:`ProviderUnavailable` (timeout, 5xx, connection refused) means the outcome
  is unknown: keep the order as it is, and retry later with the same idempotency key.

Money crosses the port as :class:`kernel.domain.money.Money` (an exact decimal); each
provider converts it to its own wire format (Stripe's minor units, PayPal's strings).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import parse_qs

from kernel.domain.errors import DomainError
from kernel.domain.money import Money


class PaymentStatus(StrEnum):
    """Where a payment stands at its provider (:meth:`PaymentProvider.status`)."""

    REQUIRES_ACTION = "requires_action"  # the shopper has to do something: pay, approve, authenticate
    PROCESSING = "processing"  # the provider is still deciding
    AUTHORIZED = "authorized"  # funds are held; :meth:`PaymentProvider.capture` takes them
    SUCCEEDED = "succeeded"  # the money is captured (possibly partly refunded since)
    FAILED = "failed"  # the attempt failed (declined card); a new attempt is needed
    CANCELLED = "cancelled"  # cancelled before capture; it can no longer succeed
    REFUNDED = "refunded"  # fully refunded


class EventKind(StrEnum):
    """What a webhook says happened, in the platform's words."""

    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    REQUIRES_ACTION = "requires_action"
    AUTHORIZED = "authorized"  # manual capture only: the order stays pending until it is captured
    REFUND_FAILED = "refund_failed"  # a refund reported ``pending`` failed later: the money stayed with the shop


@dataclass(frozen=True)
class ProviderCapabilities:
    """What a provider can do beyond the basics (create, cancel, full refund, status, webhooks)."""

    partial_refund: bool = False  # :meth:`PaymentProvider.refund` accepts an amount below what is left


@dataclass(frozen=True)
class PaymentRequest:
    """One payment attempt for an order.

    ``idempotency_key`` identifies the attempt: the same key with the same request returns
    the same payment; the same key with another amount raises :class:`IdempotencyKeyReused`.
    ``return_url``/``cancel_url`` are where a redirecting provider sends the shopper after
    paying or cancelling: the orders side builds them per order from ``[site] public_url``.
    ``webhook_url`` is the site's absolute ``/api/payments/<name>/webhook`` for a provider
    that takes a webhook address per payment (Mollie's ``webhookUrl``).
    """

    order_reference: str
    amount: Money
    idempotency_key: str
    description: str = ""
    return_url: str | None = None
    cancel_url: str | None = None
    webhook_url: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.amount.amount <= 0:
            raise ValueError("a payment amount must be positive")
        if not self.idempotency_key or not self.order_reference:
            raise ValueError("a payment needs an order reference and an idempotency key")


@dataclass(frozen=True)
class PaymentSession:
    """A created payment and what the shopper's client needs next: the ``approval_url`` of the
    provider's page the shopper is sent to (the storefront pays by redirect only, and the page
    sends the shopper back to the request's ``return_url``), or a ``client_secret`` for a client
    that confirms with the provider's script. ``reference`` is the provider's id of the
    payment: store it, events carry it."""

    provider: str
    reference: str
    status: PaymentStatus
    amount: Money
    client_secret: str | None = None
    approval_url: str | None = None


@dataclass(frozen=True)
class PaymentState:
    """A payment as its provider sees it now."""

    provider: str
    reference: str
    status: PaymentStatus
    amount: Money
    captured: Money
    refunded: Money

    @property
    def refundable(self) -> Money:
        return self.captured - self.refunded


@dataclass(frozen=True)
class Refund:
    provider: str
    reference: str  # the provider's id of the refund
    payment_reference: str
    amount: Money
    status: str  # "succeeded", "pending" (a ``refunded`` or ``refund_failed`` event follows) or "failed"


@dataclass(frozen=True)
class WebhookRequest:
    """A webhook delivery exactly as received: the raw body (signatures cover its bytes), the
    headers (looked up without regard to case), the URL's query string (a token the plugin put
    in its webhook URL) and the client's address (after the site's trusted proxies; to check a
    provider's published address ranges)."""

    headers: Mapping[str, str]
    body: bytes
    query_string: str = ""
    client_address: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "headers", {str(k).lower(): str(v) for k, v in dict(self.headers).items()})

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def query(self, name: str) -> str | None:
        """The first value of ``name`` in the query string."""
        values = parse_qs(self.query_string).get(name)
        return values[0] if values else None


@dataclass(frozen=True)
class NormalizedEvent:
    """A verified webhook in the platform's words.

    ``event_id`` is the provider's id of the event (the inbox's key with ``provider``);
    ``reference`` is the payment's :attr:`PaymentSession.reference`; ``order_reference`` is
    the :attr:`PaymentRequest.order_reference` when the provider echoes it. ``amount`` is the
    amount paid for ``succeeded``/``authorized`` and the *cumulative* amount refunded for
    ``refunded`` and ``refund_failed`` (what stays refunded once the failed refund is undone).
    A ``refunded`` event also proves the money was captured.
    """

    provider: str
    event_id: str
    kind: EventKind
    reference: str
    occurred_at: datetime
    order_reference: str | None = None
    amount: Money | None = None
    provider_type: str = ""  # the provider's own event type, for logs
    failure_reason: str | None = None


# --- errors ------------------------------------------------------------------


class PaymentError(DomainError):
    """A provider refused or could not answer; ``provider`` names it. The message never holds secrets."""

    status = 502
    title = "Payment provider error"

    def __init__(self, detail: str, *, provider: str, errors: dict | None = None, extra: dict | None = None):
        super().__init__(detail, errors=errors, extra={"provider": provider, **(extra or {})})
        self.provider = provider


class PaymentDeclined(PaymentError):
    """The payment method was declined; ``decline_code`` is the provider's reason code."""

    status = 402
    title = "Payment declined"

    def __init__(self, detail: str, *, provider: str, decline_code: str | None = None):
        super().__init__(detail, provider=provider, extra={"declineCode": decline_code} if decline_code else None)
        self.decline_code = decline_code


class ProviderUnavailable(PaymentError):
    """Timeout, connection failure or a 5xx: the outcome is unknown. Retry with the same key."""

    status = 503
    title = "Payment provider unavailable"


class InvalidWebhookSignature(PaymentError):
    """The webhook is not authentic (bad or missing signature, stale timestamp): store nothing."""

    status = 400
    title = "Invalid webhook signature"


class MalformedWebhookEvent(InvalidWebhookSignature):
    """An authentic delivery whose event lacks what its type needs (a Stripe event without
    ``data.object``): store nothing, answer 400."""

    title = "Malformed webhook event"


class RefundExceedsCaptured(PaymentError):
    """The refund asks for more than was captured and not yet refunded; nothing was refunded."""

    status = 422
    title = "Refund exceeds captured amount"

    def __init__(self, detail: str, *, provider: str):
        super().__init__(detail, provider=provider, errors={"amount": [detail]})


class InvalidPaymentState(PaymentError):
    """The payment's state does not allow the operation (refund before capture, cancel after it)."""

    status = 409
    title = "Payment state conflict"


class PaymentNotFound(PaymentError):
    status = 404
    title = "Payment not found"


class IdempotencyKeyReused(PaymentError):
    """The idempotency key was already used for a different request."""

    status = 409
    title = "Idempotency key reused"


class UnsupportedPaymentOperation(PaymentError):
    """The provider lacks the capability (see :class:`ProviderCapabilities`)."""

    status = 422
    title = "Unsupported payment operation"


# --- the port ----------------------------------------------------------------


class PaymentProvider(ABC):
    """A payment service. ``name`` (e.g. ``"stripe"``) is unique on a site and appears in the
    webhook URL ``/api/payments/{name}/webhook``. Every method may raise
    :class:`ProviderUnavailable`; the others are listed per method."""

    name: str
    capabilities: ProviderCapabilities = ProviderCapabilities()
    auto_capture: bool = True  # on an ``authorized`` event for a pending order, the site captures at once

    @abstractmethod
    def create_payment(self, request: PaymentRequest) -> PaymentSession:
        """Create a payment the shopper then completes. Idempotent by ``request.idempotency_key``.

        Raises :class:`IdempotencyKeyReused`, :class:`PaymentDeclined`, :class:`PaymentError`.
        """

    @abstractmethod
    def capture(self, reference: str, *, idempotency_key: str, amount: Money | None = None) -> PaymentState:
        """Take authorized funds (all, or ``amount``). Capturing a payment already captured
        returns its state. Raises :class:`InvalidPaymentState` when it cannot be captured."""

    @abstractmethod
    def cancel(self, reference: str, *, idempotency_key: str) -> PaymentState:
        """Cancel a payment that has not been captured, so it can no longer succeed (a provider
        without a cancel call, like PayPal's orders, lets it expire: the site just never
        captures it). Raises :class:`InvalidPaymentState` once it is captured (refund instead)."""

    @abstractmethod
    def refund(self, reference: str, *, idempotency_key: str, amount: Money | None = None) -> Refund:
        """Refund all that is left (``amount=None``) or part of it. Raises
        :class:`RefundExceedsCaptured`, :class:`InvalidPaymentState` (nothing captured),
        :class:`UnsupportedPaymentOperation` (partial refund without the capability)."""

    @abstractmethod
    def status(self, reference: str) -> PaymentState:
        """The payment as the provider sees it now. Raises :class:`PaymentNotFound`."""

    @abstractmethod
    def parse_webhook(self, request: WebhookRequest) -> NormalizedEvent | Sequence[NormalizedEvent] | None:
        """Verify a webhook's authenticity, then translate it.

        Raises :class:`InvalidWebhookSignature` (store nothing, answer 400) or
        :class:`ProviderUnavailable` when verifying needs the provider and it is down (answer
        503 so the provider retries). Returns ``None`` (or ``[]``) for authentic events the
        platform does not track, one event, or several when one delivery reports several
        facts (a callback-verified provider reads the payment's current state: paid, then
        refunded in part). Changes nothing at the provider: the same delivery parsed twice,
        with no change at the provider in between, gives equal events.
        """


def webhook_events(parsed: NormalizedEvent | Sequence[NormalizedEvent] | None) -> list[NormalizedEvent]:
    """What :meth:`PaymentProvider.parse_webhook` answered, as a list of events."""
    if parsed is None:
        return []
    return [parsed] if isinstance(parsed, NormalizedEvent) else list(parsed)
