"""Payment endpoints of the orders side: start paying an order, and the providers' webhook inbox."""

from __future__ import annotations

from urllib.parse import urlsplit
from uuid import UUID

from flask import request
from flask_smorest import Blueprint

from kernel.context import commerce
from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.ports.payments import WebhookRequest
from kernel.web.auth import current_user_id, login_required, permission_required, public
from plugins.orders import bootstrap, guest_links
from plugins.orders.payments.schemas import (
    PaymentRecordSchema,
    PaymentStartedSchema,
    StartPaymentSchema,
    WebhookReceivedSchema,
)
from plugins.orders.permissions import MANAGE
from plugins.orders.schemas import GuestOrderHeaderSchema

blp = Blueprint("order_payments", __name__, url_prefix="/api", description="Paying orders through a provider.")


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def site_url() -> str:
    """The shop's address as shoppers and providers reach it: ``[site] public_url``, else this request's."""
    return (commerce().site.sections["site"]["public_url"] or request.host_url).rstrip("/")


def check_return_urls(data: dict) -> None:
    """Refuse a return URL off the site's own origin and the allow-list (no open redirect)."""
    allowed = {origin(request.host_url), origin(site_url()),
               *(origin(url) for url in commerce().site.payments["return_origins"])}
    for key, name in (("return_url", "returnUrl"), ("cancel_url", "cancelUrl")):
        if data.get(key) and origin(data[key]) not in allowed:
            message = f"{name} must be on {', '.join(sorted(allowed))} (add origins to [payments] return_origins)"
            raise ValidationFailed(message, errors={name: [message]})


@blp.route("/orders/<uuid:order_id>/payments", methods=["POST"])
@login_required
@blp.arguments(StartPaymentSchema, required=False)
@blp.response(201, PaymentStartedSchema)
def start_payment(data, order_id: UUID):
    """Start paying my Pending order with the provider its ``paymentMethod`` maps to.

    Answers what the client needs next: a ``clientSecret`` or an ``approvalUrl`` (send the
    shopper there; a redirecting provider sends them back to ``returnUrl``).
    """
    return _start(data or {}, order_id, current_user_id())


@blp.route("/admin/orders/<uuid:order_id>/payments", methods=["GET"])
@permission_required(MANAGE)
@blp.response(200, PaymentRecordSchema(many=True))
def payment_records(order_id: UUID):
    """The order's payment attempts, oldest first, with the status and refunded amount each has at
    its provider and the provider's verified events about it (staff, ``orders:manage``)."""
    return bootstrap.payment_services().payment_records(order_id)


@blp.route("/orders/guest/<uuid:order_id>/payments", methods=["POST"])
@public
@blp.arguments(GuestOrderHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(StartPaymentSchema, required=False)
@blp.response(201, PaymentStartedSchema)
def start_guest_payment(data, order_id: UUID, order_token: str):
    """Start paying a guest's Pending order, opened by its ``X-Order-Token`` (else 404)."""
    if not guest_links.opens(order_token, order_id):
        raise NotFound(f"No order {order_id}.")
    return _start(data or {}, order_id, None)


def _start(data: dict, order_id: UUID, user_id: UUID | None) -> dict:
    """``user_id`` None: the caller proved access to the order otherwise (a guest's token)."""
    check_return_urls(data)
    payment, session = bootstrap.payment_services().start_payment(order_id, user_id, site_url(),
                                                                  data.get("return_url"), data.get("cancel_url"))
    return {"payment_id": payment.id, "provider": payment.provider, "reference": session.reference,
            "status": payment.status, "amount": payment.amount, "currency": payment.currency,
            "client_secret": session.client_secret, "approval_url": session.approval_url}


WEBHOOK_BODY = {"schema": {"type": "string", "format": "binary"}}


@blp.route("/payments/<provider>/webhook", methods=["POST"])
@public  # the provider's plugin verifies the delivery instead (its signature, or a call back to the provider)
@blp.response(200, WebhookReceivedSchema)
@blp.doc(requestBody={
    "required": True,
    "description": "The provider's event as it sends it, in any content type (JSON, a form such as `id=tr_123`, "
                   "or none): the body is passed byte for byte, with the headers, the query string and the "
                   "client's address, to the provider's plugin, which verifies it.",
    "content": {"application/json": WEBHOOK_BODY, "application/x-www-form-urlencoded": WEBHOOK_BODY,
                "*/*": WEBHOOK_BODY}})
def payment_webhook(provider: str):
    """A provider's event. Unverifiable → 400 and nothing stored; the provider could not be asked
    to verify it → 503 and nothing stored (the provider retries); each event is applied once."""
    delivery = WebhookRequest(headers=dict(request.headers), body=request.get_data(cache=False),
                              query_string=request.query_string.decode("latin-1"), client_address=request.remote_addr)
    return {"result": bootstrap.payment_services().receive_webhook(provider, delivery)}
