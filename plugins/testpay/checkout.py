"""The hosted test payment page, and the loopback that delivers the service's webhooks to the
site's own webhook inbox (``POST /api/payments/testpay/webhook``), as a provider's servers would."""

from __future__ import annotations

import threading

import marshmallow as ma
from flask import Flask, Response, current_app, redirect, render_template
from flask_smorest import Blueprint
from loguru import logger
from werkzeug.test import Client

from kernel.web.auth import public
from kernel.web.schemas import CamelSchema
from plugins.testpay.provider import NAME
from plugins.testpay.service import ServiceError, TestPayService

WEBHOOK_PATH = f"/api/payments/{NAME}/webhook"
ACTIONS = ("pay", "decline", "cancel")

blp = Blueprint("testpay", __name__, url_prefix="/api/payments/testpay", template_folder="templates",
                description="The test payment provider's hosted page (no real money; never on a production site).")


class LoopbackDelivery:
    """Posts the service's queued webhooks to the site's inbox through the WSGI app."""

    def __init__(self, app: Flask, service: TestPayService):
        self.app = app
        self.service = service

    def now(self) -> None:
        for headers, body in self.service.take_webhooks():
            answer = Client(self.app).post(WEBHOOK_PATH, data=body, headers=headers)
            if answer.status_code >= 400:
                logger.warning("testpay webhook refused by the inbox: {}", answer.status_code)

    def soon(self) -> None:
        """After a call from inside the orders' transaction (a refund): deliver once it is free."""
        threading.Thread(target=self._deliver_logging_errors, name="testpay-webhooks", daemon=True).start()

    def _deliver_logging_errors(self) -> None:
        try:
            self.now()
        except Exception:
            logger.exception("testpay webhook delivery failed")


class CheckoutActionSchema(CamelSchema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(ACTIONS))


def _service() -> TestPayService:
    return current_app.extensions["testpay"].service


def _page(payment_id: str, message: str | None = None, status: int = 200):
    try:
        payment = _service().get(payment_id)
    except ServiceError:
        payment, status = None, 404
    body = render_template("testpay/checkout.html", payment=payment, payment_id=payment_id, message=message,
                           open=payment is not None and payment.status in ("requires_action", "failed"))
    return Response(body, status, {"Cache-Control": "no-store"}, mimetype="text/html")


@blp.route("/checkout/<payment_id>", methods=["GET"])
@public
@blp.response(200, content_type="text/html")
def checkout_page(payment_id: str):
    """The page a shopper is sent to (a payment's ``approvalUrl``): "Pay", "Decline" or "Cancel"."""
    return _page(payment_id)


@blp.route("/checkout/<payment_id>", methods=["POST"])
@public
@blp.arguments(CheckoutActionSchema, location="form")
@blp.response(303, content_type="text/html")
def checkout_action(data, payment_id: str):
    """The shopper's choice: the webhook reaches the site's inbox, then the shopper goes back to
    the return URL (the cancel URL after "Cancel", when the payment has one)."""
    service = _service()
    try:
        payment = {"pay": service.pay, "decline": service.decline, "cancel": service.cancel}[data["action"]](payment_id)
    except ServiceError as exc:
        return _page(payment_id, f"This payment cannot be changed: {exc}.", 409)
    current_app.extensions["testpay"].now()
    back = payment.cancel_url if data["action"] == "cancel" and payment.cancel_url else payment.return_url
    if not back:
        return _page(payment_id, f"Done: the payment is {payment.status}. You can close this page.")
    return redirect(back, 303)
