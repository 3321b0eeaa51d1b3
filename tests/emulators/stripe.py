"""A local Stripe API for tests: Checkout Sessions and their hosted page, PaymentIntents, refunds,
idempotency keys and signed webhooks.

Follows Stripe's documented API: form-encoded POST bodies, amounts in minor units,
``Authorization: Bearer <secret key>``, errors as ``{"error": {"type", "code", "message", "param"}}``,
an ``Idempotency-Key`` replays the first answer and refuses other parameters
(``idempotency_error``), and webhooks signed ``Stripe-Signature: t=<ts>,v1=<hmac>`` (one
``v1`` per active secret while a secret is being rolled). A Checkout Session in ``mode=payment``
creates its PaymentIntent when the shopper pays on the hosted page (``url``, served here at
``/c/pay/<session id>`` with Pay and Cancel buttons), then redirects to ``success_url`` (its
``{CHECKOUT_SESSION_ID}`` filled in) or, on cancel, to ``cancel_url``; :meth:`StripeEmulator.confirm`
is the same payment without a browser, with ``pm_card_visa`` or ``pm_card_chargeDeclined``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from decimal import Decimal
from html import escape

from werkzeug.routing import Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from kernel.domain.money import minor_unit
from kernel.testing.emulator import EmulatorError, ProviderEmulator, json_response

DECLINING_CARDS = {"pm_card_chargeDeclined": "generic_decline", "pm_card_visa_chargeDeclinedInsufficientFunds": "insufficient_funds"}
CANCELABLE = {"requires_payment_method", "requires_confirmation", "requires_action", "requires_capture", "processing"}


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"


def invalid_request(message: str, *, code: str | None = None, param: str | None = None, status: int = 400):
    error = {"type": "invalid_request_error", "message": message}
    if code:
        error["code"] = code
    if param:
        error["param"] = param
    return EmulatorError(status, {"error": error})


def form_params(form) -> dict:
    """Stripe's form encoding: ``metadata[key]=value`` and ``line_items[0][price_data][currency]=usd``
    nest (list indices are kept as keys: ``line_items["0"]``)."""
    params: dict = {}
    for key, value in form.items(multi=True):
        outer, *inner = key.replace("]", "").split("[")
        target = params
        for name in [outer, *inner][:-1]:
            target = target.setdefault(name, {})
        target[[outer, *inner][-1]] = value
    return params


class StripeEmulator(ProviderEmulator):
    rules = [
        Rule("/v1/payment_intents", methods=["POST"], endpoint="create_intent"),
        Rule("/v1/payment_intents/<intent_id>", methods=["GET"], endpoint="get_intent"),
        Rule("/v1/payment_intents/<intent_id>/confirm", methods=["POST"], endpoint="confirm_intent"),
        Rule("/v1/payment_intents/<intent_id>/capture", methods=["POST"], endpoint="capture_intent"),
        Rule("/v1/payment_intents/<intent_id>/cancel", methods=["POST"], endpoint="cancel_intent"),
        Rule("/v1/refunds", methods=["POST"], endpoint="create_refund"),
        Rule("/v1/checkout/sessions", methods=["POST"], endpoint="create_session"),
        Rule("/v1/checkout/sessions", methods=["GET"], endpoint="list_sessions"),
        Rule("/v1/checkout/sessions/<session_id>", methods=["GET"], endpoint="get_session"),
        Rule("/v1/checkout/sessions/<session_id>/expire", methods=["POST"], endpoint="expire_session"),
        Rule("/c/pay/<session_id>", methods=["GET", "POST"], endpoint="hosted_page"),
    ]

    def __init__(self, api_key: str = "sk_test_emulator", webhook_secrets: tuple[str, ...] = ("whsec_emulator",),
                 **options):
        super().__init__(**options)
        self.api_key = api_key
        self.webhook_secrets = list(webhook_secrets)
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.sessions: dict[str, dict] = {}

    # --- the shopper (Stripe.js) ----------------------------------------------

    def confirm(self, session_id: str, payment_method: str = "pm_card_visa") -> dict:
        """The shopper pays the Checkout Session with a card on the hosted page."""
        with self.lock:
            return self._pay_session(session_id, payment_method)

    def hosted_page(self, request, session_id):
        """Stripe Checkout's page: Pay (with a test card), or Cancel back to the shop."""
        with self.lock:
            session = self._session(session_id)
        if request.method == "GET":
            currency = session["currency"].upper()
            total = f"{Decimal(session['amount_total']) * minor_unit(currency)} {currency}"
            page = ('<!doctype html><html lang="en"><title>Stripe Checkout</title>'
                    f"<main><h1>Stripe Checkout: pay {escape(total)}</h1>"
                    '<form method="post"><button name="action" value="pay">Pay</button> '
                    '<button name="action" value="cancel">Cancel</button></form></main>')
            return Response(page, mimetype="text/html")
        if request.form.get("action") == "cancel":
            return redirect(session["cancel_url"] or session["success_url"], 303)
        try:
            self.confirm(session_id, request.form.get("payment_method", "pm_card_visa"))
        except EmulatorError:
            return Response('<!doctype html><html lang="en"><title>Stripe Checkout</title><p>Your card was declined.</p>',
                            status=402, mimetype="text/html")
        return redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id), 303)

    # --- API ------------------------------------------------------------------------

    def server_error(self):
        return json_response({"error": {"type": "api_error", "message": "An unknown error occurred"}}, 500)

    def _authenticate(self, request):
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            raise invalid_request("Invalid API Key provided", status=401)

    def _idempotent_post(self, request, handle):
        self._authenticate(request)
        params = form_params(request.form)
        fingerprint = (request.path, json.dumps(params, sort_keys=True))

        def mismatch():
            return json_response({"error": {"type": "idempotency_error", "message": (
                "Keys for idempotent requests can only be used with the same parameters they were first used with. "
                "Try using a key other than '%s' if you meant to execute a different request."
                % request.headers["Idempotency-Key"])}}, 400)

        def run():
            with self.lock:
                try:
                    return json_response(handle(params))
                except EmulatorError as exc:
                    return json_response(exc.body, exc.status)

        return self.idempotent(request.headers.get("Idempotency-Key"), fingerprint, run, mismatch)

    def create_intent(self, request):
        def handle(params):
            amount, currency = params.get("amount"), params.get("currency")
            if not (amount or "").isdigit() or int(amount) < 1:
                raise invalid_request("Invalid positive integer", code="parameter_invalid_integer", param="amount")
            if not currency or len(currency) != 3:
                raise invalid_request("Missing required param: currency.", code="parameter_missing", param="currency")
            intent_id = _id("pi")
            intent = {
                "id": intent_id, "object": "payment_intent", "amount": int(amount), "amount_capturable": 0,
                "amount_received": 0, "currency": currency.lower(), "status": "requires_payment_method",
                "client_secret": f"{intent_id}_secret_{uuid.uuid4().hex[:16]}",
                "capture_method": params.get("capture_method", "automatic_async"),
                "description": params.get("description"), "metadata": params.get("metadata", {}),
                "latest_charge": None, "last_payment_error": None, "created": int(time.time()), "livemode": False,
            }
            self.intents[intent_id] = intent
            return intent

        return self._idempotent_post(request, handle)

    def get_intent(self, request, intent_id):
        self._authenticate(request)
        with self.lock:
            intent = dict(self._intent(intent_id))
            if "latest_charge" in request.args.values() and intent["latest_charge"]:
                intent["latest_charge"] = self.charges[intent["latest_charge"]]
            return json_response(intent)

    def confirm_intent(self, request, intent_id):
        return self._idempotent_post(request, lambda params: self._confirm(intent_id, params.get("payment_method", "pm_card_visa")))

    def capture_intent(self, request, intent_id):
        def handle(params):
            intent = self._intent(intent_id)
            if intent["status"] != "requires_capture":
                raise self._unexpected_state(intent, "capture")
            amount = int(params.get("amount_to_capture", intent["amount_capturable"]))
            if amount > intent["amount_capturable"]:
                raise invalid_request("The amount to capture exceeds the amount capturable.", param="amount_to_capture")
            charge = self.charges[intent["latest_charge"]]
            charge.update(captured=True, amount_captured=amount)
            intent.update(status="succeeded", amount_received=amount, amount_capturable=0)
            self._event("payment_intent.succeeded", intent)
            return intent

        return self._idempotent_post(request, handle)

    def cancel_intent(self, request, intent_id):
        def handle(params):
            intent = self._intent(intent_id)
            if intent["status"] not in CANCELABLE:
                raise self._unexpected_state(intent, "cancel")
            intent.update(status="canceled", amount_capturable=0,
                          cancellation_reason=params.get("cancellation_reason", "requested_by_customer"))
            self._event("payment_intent.canceled", intent)
            return intent

        return self._idempotent_post(request, handle)

    def create_session(self, request):
        def handle(params):
            if params.get("mode") != "payment":
                raise invalid_request("This emulator serves mode=payment only.", param="mode")
            if not params.get("success_url"):
                raise invalid_request("Missing required param: success_url.", code="parameter_missing",
                                      param="success_url")
            items = list((params.get("line_items") or {}).values())
            try:
                total = sum(int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1)) for item in items)
                currencies = {item["price_data"]["currency"].lower() for item in items}
            except (KeyError, TypeError, ValueError):
                raise invalid_request("Invalid line_items: each needs price_data[currency] and [unit_amount].",
                                      param="line_items") from None
            if total < 1 or len(currencies) != 1:
                raise invalid_request("A session needs line items of one currency and a positive total.",
                                      param="line_items")
            session_id = _id("cs_test")
            session = {
                "id": session_id, "object": "checkout.session", "mode": "payment", "status": "open",
                "payment_status": "unpaid", "amount_total": total, "currency": currencies.pop(),
                "url": f"{self.base_url}/c/pay/{session_id}", "success_url": params["success_url"],
                "cancel_url": params.get("cancel_url"), "client_reference_id": params.get("client_reference_id"),
                "metadata": params.get("metadata", {}), "payment_intent": None,
                "payment_intent_data": params.get("payment_intent_data", {}), "created": int(time.time()),
                "expires_at": int(time.time()) + 86400, "livemode": False,
            }
            self.sessions[session_id] = session
            return self._public(session)

        return self._idempotent_post(request, handle)

    def get_session(self, request, session_id):
        self._authenticate(request)
        with self.lock:
            session = self._public(self._session(session_id))
            if session["payment_intent"] and any(value.startswith("payment_intent") for value in request.args.values()):
                intent = dict(self.intents[session["payment_intent"]])
                if "payment_intent.latest_charge" in request.args.values() and intent["latest_charge"]:
                    intent["latest_charge"] = self.charges[intent["latest_charge"]]
                session["payment_intent"] = intent
            return json_response(session)

    def list_sessions(self, request):
        self._authenticate(request)
        with self.lock:
            found = [self._public(session) for session in self.sessions.values()
                     if not request.args.get("payment_intent") or session["payment_intent"] == request.args["payment_intent"]]
            return json_response({"object": "list", "data": found[:int(request.args.get("limit", 10))],
                                  "has_more": False, "url": "/v1/checkout/sessions"})

    def expire_session(self, request, session_id):
        def handle(params):
            session = self._session(session_id)
            if session["status"] != "open":
                raise invalid_request(f"Only Checkout Sessions with a status in [\"open\"] can be expired. This "
                                      f"Checkout Session has a status of {session['status']}.")
            session["status"] = "expired"
            intent = self.intents.get(session["payment_intent"] or "")
            if intent and intent["status"] in CANCELABLE:
                intent.update(status="canceled", cancellation_reason="abandoned")
                self._event("payment_intent.canceled", intent)
            self._event("checkout.session.expired", self._public(session))
            return self._public(session)

        return self._idempotent_post(request, handle)

    def create_refund(self, request):
        def handle(params):
            intent = self._intent(params.get("payment_intent", ""), param="payment_intent")
            charge = self.charges.get(intent["latest_charge"] or "")
            if intent["status"] != "succeeded" or charge is None:
                raise invalid_request(f"This PaymentIntent ({intent['id']}) does not have a successful charge to refund.",
                                      code="charge_not_captured" if charge else "payment_intent_unexpected_state")
            left = charge["amount_captured"] - charge["amount_refunded"]
            if left == 0:
                raise invalid_request(f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded")
            amount = int(params.get("amount", left))
            if amount > left:
                raise invalid_request(f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                                      param="amount")
            refund = {"id": _id("re"), "object": "refund", "amount": amount, "charge": charge["id"],
                      "payment_intent": intent["id"], "currency": intent["currency"], "status": "succeeded",
                      "reason": params.get("reason"), "created": int(time.time())}
            self.refunds[refund["id"]] = refund
            charge["amount_refunded"] += amount
            charge["refunded"] = charge["amount_refunded"] == charge["amount_captured"]
            self._event("refund.created", refund)
            self._event("charge.refunded", charge)
            return refund

        return self._idempotent_post(request, handle)

    # --- state ------------------------------------------------------------------------

    def _session(self, session_id: str) -> dict:
        if session_id not in self.sessions:
            raise invalid_request(f"No such checkout.session: '{session_id}'", code="resource_missing", param="session",
                                  status=404)
        return self.sessions[session_id]

    @staticmethod
    def _public(session: dict) -> dict:
        """A session as the API shows it (``payment_intent_data`` is a creation parameter only)."""
        return {key: value for key, value in session.items() if key != "payment_intent_data"}

    def _pay_session(self, session_id: str, payment_method: str) -> dict:
        session = self._session(session_id)
        if session["status"] != "open":
            raise invalid_request(f"This Checkout Session is {session['status']}.", code="checkout_session_expired")
        if session["payment_intent"] is None:
            data = session["payment_intent_data"]
            intent_id = _id("pi")
            self.intents[intent_id] = {
                "id": intent_id, "object": "payment_intent", "amount": session["amount_total"], "amount_capturable": 0,
                "amount_received": 0, "currency": session["currency"], "status": "requires_payment_method",
                "client_secret": f"{intent_id}_secret_{uuid.uuid4().hex[:16]}",
                "capture_method": data.get("capture_method", "automatic_async"), "description": data.get("description"),
                "metadata": data.get("metadata", {}), "latest_charge": None, "last_payment_error": None,
                "created": int(time.time()), "livemode": False,
            }
            session["payment_intent"] = intent_id
        intent = self._confirm(session["payment_intent"], payment_method)
        session.update(status="complete", payment_status="paid" if intent["status"] == "succeeded" else "unpaid")
        self._event("checkout.session.completed", self._public(session))
        return session

    def _intent(self, intent_id: str, param: str = "intent") -> dict:
        if intent_id not in self.intents:
            raise invalid_request(f"No such payment_intent: '{intent_id}'", code="resource_missing", param=param,
                                  status=404)
        return self.intents[intent_id]

    @staticmethod
    def _unexpected_state(intent: dict, action: str) -> EmulatorError:
        return invalid_request(f"You cannot {action} this PaymentIntent because it has a status of {intent['status']}.",
                               code="payment_intent_unexpected_state")

    def _confirm(self, intent_id: str, payment_method: str) -> dict:
        intent = self._intent(intent_id)
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            raise self._unexpected_state(intent, "confirm")
        if payment_method in DECLINING_CARDS:
            error = {"type": "card_error", "code": "card_declined", "decline_code": DECLINING_CARDS[payment_method],
                     "message": "Your card was declined."}
            intent.update(status="requires_payment_method", last_payment_error=error)
            self._event("payment_intent.payment_failed", intent)
            raise EmulatorError(402, {"error": {**error, "payment_intent": intent}})
        charge = {"id": _id("ch"), "object": "charge", "amount": intent["amount"], "currency": intent["currency"],
                  "payment_intent": intent_id, "status": "succeeded", "amount_refunded": 0, "refunded": False,
                  "captured": False, "amount_captured": 0, "metadata": intent["metadata"]}
        self.charges[charge["id"]] = charge
        intent.update(latest_charge=charge["id"], last_payment_error=None, payment_method=payment_method)
        if intent["capture_method"] == "manual":
            intent.update(status="requires_capture", amount_capturable=intent["amount"])
            self._event("payment_intent.amount_capturable_updated", intent)
        else:
            charge.update(captured=True, amount_captured=intent["amount"])
            intent.update(status="succeeded", amount_received=intent["amount"])
            self._event("charge.succeeded", charge)
            self._event("payment_intent.succeeded", intent)
        return intent

    def _event(self, event_type: str, obj: dict) -> None:
        event = {"id": _id("evt"), "object": "event", "api_version": "2025-01-27.acacia", "created": int(time.time()),
                 "type": event_type, "livemode": False, "pending_webhooks": 1,
                 "data": {"object": json.loads(json.dumps(obj))}}
        body = json.dumps(event, indent=2).encode()
        self.send_webhook(self.sign(body), body)

    def sign(self, body: bytes, timestamp: int | None = None) -> dict[str, str]:
        """The headers Stripe sends with a webhook: one ``v1`` signature per active secret."""
        timestamp = int(time.time()) if timestamp is None else timestamp
        signed = f"{timestamp}.".encode() + body
        signatures = [hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest() for secret in self.webhook_secrets]
        return {"Stripe-Signature": ",".join([f"t={timestamp}"] + [f"v1={sig}" for sig in signatures]),
                "Content-Type": "application/json; charset=utf-8"}
