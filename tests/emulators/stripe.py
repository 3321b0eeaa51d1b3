"""A local Stripe API for tests: PaymentIntents, refunds, idempotency keys and signed webhooks.

Follows Stripe's documented API: form-encoded POST bodies, amounts in minor units,
``Authorization: Bearer <secret key>``, errors as ``{"error": {"type", "code", "message", "param"}}``,
an ``Idempotency-Key`` replays the first answer and refuses other parameters
(``idempotency_error``), and webhooks signed ``Stripe-Signature: t=<ts>,v1=<hmac>`` (one
``v1`` per active secret while a secret is being rolled). The shopper's side (Stripe.js
confirming with ``pm_card_visa`` or ``pm_card_chargeDeclined``) is the same confirm call.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

from werkzeug.routing import Rule

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
    """Stripe's form encoding: ``metadata[key]=value`` nests one level."""
    params: dict = {}
    for key, value in form.items(multi=True):
        if "[" in key and key.endswith("]"):
            outer, inner = key[:-1].split("[", 1)
            params.setdefault(outer, {})[inner] = value
        else:
            params[key] = value
    return params


class StripeEmulator(ProviderEmulator):
    rules = [
        Rule("/v1/payment_intents", methods=["POST"], endpoint="create_intent"),
        Rule("/v1/payment_intents/<intent_id>", methods=["GET"], endpoint="get_intent"),
        Rule("/v1/payment_intents/<intent_id>/confirm", methods=["POST"], endpoint="confirm_intent"),
        Rule("/v1/payment_intents/<intent_id>/capture", methods=["POST"], endpoint="capture_intent"),
        Rule("/v1/payment_intents/<intent_id>/cancel", methods=["POST"], endpoint="cancel_intent"),
        Rule("/v1/refunds", methods=["POST"], endpoint="create_refund"),
    ]

    def __init__(self, api_key: str = "sk_test_emulator", webhook_secrets: tuple[str, ...] = ("whsec_emulator",),
                 **options):
        super().__init__(**options)
        self.api_key = api_key
        self.webhook_secrets = list(webhook_secrets)
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}

    # --- the shopper (Stripe.js) ----------------------------------------------

    def confirm(self, intent_id: str, payment_method: str = "pm_card_visa") -> dict:
        """What Stripe.js does with the client secret: confirm the PaymentIntent with a card."""
        with self.lock:
            return self._confirm(intent_id, payment_method)

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
