"""A local PayPal REST API for tests: OAuth2, Orders v2, captures, refunds and webhooks.

Follows PayPal's documented API: ``POST /v1/oauth2/token`` (basic auth, ``client_credentials``)
gives a bearer token with ``expires_in``; JSON bodies with string amounts; errors as
``{"name", "message", "debug_id", "details": [{"issue", "description"}]}``; a repeated
``PayPal-Request-Id`` returns the first answer. Webhooks carry the ``PAYPAL-TRANSMISSION-*``
headers and are checked by ``POST /v1/notifications/verify-webhook-signature``. The signature
is an HMAC of ``transmission_id|time|webhook_id|crc32(event)`` with the emulator's key
(PayPal signs with its certificate's RSA key; the plugin never checks it itself).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
import zlib
from datetime import UTC, datetime
from decimal import Decimal

from werkzeug.routing import Rule

from kernel.testing.emulator import EmulatorError, ProviderEmulator, json_response


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _id(n: int = 17) -> str:
    return uuid.uuid4().hex[:n].upper()


def paypal_error(status: int, name: str, issue: str, description: str) -> EmulatorError:
    return EmulatorError(status, {"name": name, "message": description, "debug_id": uuid.uuid4().hex[:13],
                                  "details": [{"issue": issue, "description": description}]})


def unprocessable(issue: str, description: str) -> EmulatorError:
    return paypal_error(422, "UNPROCESSABLE_ENTITY", issue, description)


def canonical(event: dict) -> bytes:
    return json.dumps(event, sort_keys=True, separators=(",", ":")).encode()


class PayPalEmulator(ProviderEmulator):
    rules = [
        Rule("/v1/oauth2/token", methods=["POST"], endpoint="token"),
        Rule("/v2/checkout/orders", methods=["POST"], endpoint="create_order"),
        Rule("/v2/checkout/orders/<order_id>", methods=["GET"], endpoint="get_order"),
        Rule("/v2/checkout/orders/<order_id>/capture", methods=["POST"], endpoint="capture_order"),
        Rule("/v2/payments/captures/<capture_id>", methods=["GET"], endpoint="get_capture"),
        Rule("/v2/payments/captures/<capture_id>/refund", methods=["POST"], endpoint="refund_capture"),
        Rule("/v1/notifications/verify-webhook-signature", methods=["POST"], endpoint="verify_signature"),
    ]

    def __init__(self, client_id: str = "emulator-client", client_secret: str = "emulator-secret",
                 webhook_id: str = "WH0EMULATOR", token_lifetime: int = 32400, **options):
        super().__init__(**options)
        self.client_id, self.client_secret, self.webhook_id = client_id, client_secret, webhook_id
        self.token_lifetime = token_lifetime
        self.tokens: set[str] = set()
        self.orders: dict[str, dict] = {}
        self.captures: dict[str, dict] = {}
        self.declining: set[str] = set()
        self._signing_key = uuid.uuid4().hex.encode()

    # --- the buyer at PayPal ---------------------------------------------------

    def approve(self, order_id: str, *, declining_instrument: bool = False) -> None:
        """The buyer follows the approve link and approves (with a card that capture will decline)."""
        with self.lock:
            order = self._order(order_id)
            if order["status"] not in ("CREATED", "PAYER_ACTION_REQUIRED"):
                raise unprocessable("ORDER_NOT_APPROVABLE", f"Order is {order['status']}.")
            order["status"] = "APPROVED"
            order["payer"] = {"payer_id": _id(13), "email_address": "buyer@example.com"}
            if declining_instrument:
                self.declining.add(order_id)
            self._event("CHECKOUT.ORDER.APPROVED", "checkout-order", order)

    def expire_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # --- API -------------------------------------------------------------------------

    def server_error(self):
        return json_response({"name": "INTERNAL_SERVER_ERROR", "message": "An internal server error occurred.",
                              "debug_id": uuid.uuid4().hex[:13]}, 500)

    def token(self, request):
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if request.headers.get("Authorization") != f"Basic {expected}":
            return json_response({"error": "invalid_client", "error_description": "Client Authentication failed"}, 401)
        if request.form.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type", "error_description": "Grant Type is NULL"}, 400)
        token = f"A21AA{uuid.uuid4().hex}"
        with self.lock:
            self.tokens.add(token)
        return json_response({"scope": "https://uri.paypal.com/services/payments/payment", "access_token": token,
                              "token_type": "Bearer", "app_id": "APP-EMULATOR", "expires_in": self.token_lifetime,
                              "nonce": uuid.uuid4().hex})

    def _authorized_json(self, request) -> dict:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or header[7:] not in self.tokens:
            raise EmulatorError(401, {"error": "invalid_token", "error_description": "Token signature verification failed"})
        if request.method == "POST" and request.get_data():
            try:
                return json.loads(request.get_data())
            except ValueError:
                raise paypal_error(400, "INVALID_REQUEST", "MALFORMED_REQUEST_JSON", "The request JSON is not well formed.") from None
        return {}

    def _post(self, request, handle, status: int = 201):
        body = self._authorized_json(request)

        def run():
            with self.lock:
                try:
                    return json_response(handle(body), status)
                except EmulatorError as exc:
                    return json_response(exc.body, exc.status)

        # PayPal answers a repeated PayPal-Request-Id with the first answer, whatever the body
        return self.idempotent(request.headers.get("PayPal-Request-Id"), None, run, run)

    def create_order(self, request):
        def handle(body):
            units = body.get("purchase_units") or []
            if body.get("intent") not in ("CAPTURE", "AUTHORIZE") or len(units) != 1:
                raise paypal_error(400, "INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER", "intent and one purchase unit are required.")
            amount = units[0].get("amount") or {}
            if not isinstance(amount.get("value"), str) or Decimal(amount["value"]) <= 0:
                raise unprocessable("AMOUNT_MUST_BE_POSITIVE", "amount.value must be a positive string amount.")
            order_id = _id()
            redirect = "payment_source" in body
            order = {
                "id": order_id, "intent": body["intent"], "status": "PAYER_ACTION_REQUIRED" if redirect else "CREATED",
                "purchase_units": [{"reference_id": units[0].get("reference_id", "default"), "amount": amount,
                                    "custom_id": units[0].get("custom_id"), "description": units[0].get("description"),
                                    "payments": {"captures": [], "refunds": []}}],
                "create_time": _now(),
                "links": [
                    {"href": f"{self.base_url}/v2/checkout/orders/{order_id}", "rel": "self", "method": "GET"},
                    {"href": f"{self.base_url}/checkoutnow?token={order_id}",
                     "rel": "payer-action" if redirect else "approve", "method": "GET"},
                    {"href": f"{self.base_url}/v2/checkout/orders/{order_id}/capture", "rel": "capture", "method": "POST"},
                ],
            }
            self.orders[order_id] = order
            return order

        return self._post(request, handle)

    def get_order(self, request, order_id):
        self._authorized_json(request)
        with self.lock:
            return json_response(self._order(order_id))

    def get_capture(self, request, capture_id):
        self._authorized_json(request)
        with self.lock:
            return json_response(self._capture(capture_id))

    def capture_order(self, request, order_id):
        def handle(body):
            order = self._order(order_id)
            if order["status"] == "COMPLETED":
                raise unprocessable("ORDER_ALREADY_CAPTURED", "Order already captured.")
            if order["status"] != "APPROVED":
                raise unprocessable("ORDER_NOT_APPROVED", "Payer has not yet approved the Order for payment.")
            if order_id in self.declining:
                raise unprocessable("INSTRUMENT_DECLINED", "The instrument presented was declined.")
            unit = order["purchase_units"][0]
            capture = {"id": _id(), "status": "COMPLETED", "amount": dict(unit["amount"]), "final_capture": True,
                       "custom_id": unit["custom_id"], "create_time": _now(),
                       "supplementary_data": {"related_ids": {"order_id": order_id}}}
            self.captures[capture["id"]] = capture
            unit["payments"]["captures"].append(capture)
            order["status"] = "COMPLETED"
            self._event("PAYMENT.CAPTURE.COMPLETED", "capture", capture)
            return order

        return self._post(request, handle)

    def refund_capture(self, request, capture_id):
        def handle(body):
            capture = self._capture(capture_id)
            order = self.orders[capture["supplementary_data"]["related_ids"]["order_id"]]
            refunds = order["purchase_units"][0]["payments"]["refunds"]
            currency = capture["amount"]["currency_code"]
            refunded = sum((Decimal(r["amount"]["value"]) for r in refunds if r["capture_id"] == capture_id), Decimal(0))
            left = Decimal(capture["amount"]["value"]) - refunded
            if left <= 0:
                raise unprocessable("CAPTURE_FULLY_REFUNDED", "The capture has already been fully refunded.")
            amount = body.get("amount") or {"value": str(left), "currency_code": currency}
            if Decimal(amount["value"]) > left:
                raise unprocessable("REFUND_AMOUNT_EXCEEDED", "The refund amount must be less than or equal to the "
                                    "capture amount that has not yet been refunded.")
            total = refunded + Decimal(amount["value"])
            refund = {"id": _id(), "status": "COMPLETED", "amount": amount, "capture_id": capture_id,
                      "custom_id": capture["custom_id"], "create_time": _now(),
                      "seller_payable_breakdown": {"total_refunded_amount": {"value": f"{total:.2f}", "currency_code": currency}},
                      "supplementary_data": {"related_ids": {"order_id": order["id"], "capture_id": capture_id}},
                      "links": [{"href": f"{self.base_url}/v2/payments/captures/{capture_id}", "rel": "up", "method": "GET"}]}
            refunds.append(refund)
            capture["status"] = "REFUNDED" if total == Decimal(capture["amount"]["value"]) else "PARTIALLY_REFUNDED"
            self._event("PAYMENT.CAPTURE.REFUNDED", "refund", refund)
            return refund

        return self._post(request, handle)

    def verify_signature(self, request):
        body = self._authorized_json(request)
        required = ("auth_algo", "cert_url", "transmission_id", "transmission_sig", "transmission_time", "webhook_id",
                    "webhook_event")
        missing = [name for name in required if not body.get(name)]
        if missing:
            raise paypal_error(400, "VALIDATION_ERROR", "MISSING_REQUIRED_PARAMETER", f"{missing[0]} is required.")
        expected = self._signature(body["transmission_id"], body["transmission_time"], body["webhook_id"],
                                   body["webhook_event"])
        genuine = body["webhook_id"] == self.webhook_id and hmac.compare_digest(expected, body["transmission_sig"])
        return json_response({"verification_status": "SUCCESS" if genuine else "FAILURE"})

    # --- state -------------------------------------------------------------------------

    def _order(self, order_id: str) -> dict:
        if order_id not in self.orders:
            raise paypal_error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
        return self.orders[order_id]

    def _capture(self, capture_id: str) -> dict:
        if capture_id not in self.captures:
            raise paypal_error(404, "RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Specified resource ID does not exist.")
        return self.captures[capture_id]

    def _signature(self, transmission_id: str, transmission_time: str, webhook_id: str, event: dict) -> str:
        message = f"{transmission_id}|{transmission_time}|{webhook_id}|{zlib.crc32(canonical(event))}"
        return base64.b64encode(hmac.new(self._signing_key, message.encode(), hashlib.sha256).digest()).decode()

    def _event(self, event_type: str, resource_type: str, resource: dict) -> None:
        event = {"id": f"WH-{_id(8)}-{_id(17)}", "event_version": "1.0", "create_time": _now(),
                 "resource_type": resource_type, "event_type": event_type, "summary": event_type.title(),
                 "resource": json.loads(json.dumps(resource))}
        body = json.dumps(event, indent=1).encode()
        transmission_id, transmission_time = str(uuid.uuid4()), _now()
        self.send_webhook({
            "Content-Type": "application/json",
            "PAYPAL-AUTH-ALGO": "SHA256withRSA",
            "PAYPAL-CERT-URL": f"{self.base_url}/v1/notifications/certs/CERT-EMULATOR",
            "PAYPAL-TRANSMISSION-ID": transmission_id,
            "PAYPAL-TRANSMISSION-SIG": self._signature(transmission_id, transmission_time, self.webhook_id, event),
            "PAYPAL-TRANSMISSION-TIME": transmission_time,
        }, body)
