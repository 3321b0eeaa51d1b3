"""HTTP endpoints: a shopper's checkout and orders (``/api/orders``) and order management for
staff holding ``orders:manage`` (``/api/admin/orders``). Views parse, call one use case, answer."""

from __future__ import annotations

from uuid import UUID

from flask import url_for
from flask_smorest import Blueprint

from kernel.context import commerce
from kernel.domain.errors import Forbidden, NotFound, Unauthorized, ValidationFailed
from kernel.idempotency import web as IDEMPOTENCY
from kernel.idempotency.web import guest_owner, idempotent_request, respond
from kernel.web.auth import current_user, current_user_id, login_required, permission_required, public
from plugins.orders import bootstrap, guest_links
from plugins.orders.domain import Actor, LineRequest
from plugins.orders.permissions import MANAGE
from plugins.orders.schemas import (
    CART_TOKEN_DESCRIPTION,
    CART_TOKEN_MAX_LENGTH,
    CancelOrderSchema,
    GuestCartHeaderSchema,
    GuestCheckoutSchema,
    GuestOrderDetailSchema,
    GuestOrderHeaderSchema,
    MyOrdersQuerySchema,
    OrderDetailSchema,
    OrderPageSchema,
    PlaceOrderSchema,
    RefundOrderSchema,
    ShipOrderSchema,
    StaffOrderDetailSchema,
    StaffOrderPageSchema,
    StaffOrdersQuerySchema,
)
from plugins.orders.services import PlaceOrder

blp = Blueprint("orders", __name__, url_prefix="/api/orders", description="Checkout and a shopper's orders.")
staff = Blueprint("orders_admin", __name__, url_prefix="/api/admin/orders",
                  description="Order management for staff (orders:manage).")


SHOPPER_DETAIL, STAFF_DETAIL = OrderDetailSchema(), StaffOrderDetailSchema()  # built once: a schema is reusable


def render_for_shopper(order) -> dict:
    return SHOPPER_DETAIL.dump(order)


def render_for_staff(order) -> dict:
    return STAFF_DETAIL.dump(order)


# --- a shopper's orders ---------------------------------------------------------------


@blp.route("", methods=["POST"])
@login_required
@blp.arguments(PlaceOrderSchema)
@blp.response(201, OrderDetailSchema)
@blp.doc(**IDEMPOTENCY.DOC)
def place_order(data):
    """Place an order from ``items`` or from the cart.

    Prices come from the catalog. Stock for every line is reserved at once or not at all:
    409 names the short lines and what is available.
    """
    user = current_user()
    if bootstrap.settings()["require_verified_email"] and not commerce().accounts.email_verified(user.id):
        raise Forbidden("Verify your email address before checking out: open the link mailed to you, "
                        "or ask for a new one (POST /api/auth/email/resend).")
    data = _with_saved_addresses(data, user.id)
    command = PlaceOrder(
        user_id=user.id, customer_email=user.email,
        items=[LineRequest(item["product_id"], item["quantity"], item.get("variant_id"))
               for item in data.get("items") or []] or None,
        from_cart=data["from_cart"], **_checkout_details(data))
    reply = bootstrap.order_services().place_order(command, render_for_shopper, idempotent_request())
    return respond(reply, Location=url_for("orders.get_order", order_id=reply.body["orderId"]))


def _with_saved_addresses(data: dict, user_id: UUID) -> dict:
    """The checkout body with ``shippingAddressId``/``billingAddressId`` replaced by those
    addresses of the shopper's address book (422 naming the field for an id that is not theirs)."""
    data = dict(data)
    for kind in ("shipping", "billing"):
        address_id = data.pop(f"{kind}_address_id", None)
        if address_id is None:
            continue
        address = commerce().accounts.saved_address(user_id, address_id)
        if address is None:
            raise ValidationFailed("No such address in your address book.",
                                   errors={f"{kind}AddressId": ["Not an address of yours."]})
        data[f"{kind}_address"] = address
    return data


def _checkout_details(data: dict) -> dict:
    return {"shipping_address": data["shipping_address"], "billing_address": data.get("billing_address"),
            "payment_method": data["payment_method"],
            "pricing_inputs": {name: data[key] for name, key in (("coupon", "coupon_code"),
                                                                 ("shippingMethod", "shipping_method")) if data.get(key)}}


# A manual list of parameters replaces the ones flask-smorest documents from the header schema.
GUEST_CHECKOUT_DOC = {"parameters": [*IDEMPOTENCY.DOC["parameters"], {
    "in": "header", "name": "X-Cart-Token", "required": True, "description": CART_TOKEN_DESCRIPTION,
    "schema": {"type": "string", "minLength": 1, "maxLength": CART_TOKEN_MAX_LENGTH}}]}


@blp.route("/guest", methods=["POST"])
@public
@blp.arguments(GuestCartHeaderSchema, location="headers", as_kwargs=True)
@blp.arguments(GuestCheckoutSchema)
@blp.response(201, GuestOrderDetailSchema)
@blp.doc(**GUEST_CHECKOUT_DOC)
def place_guest_order(data, cart_token: str):
    """A guest checks out the cart of their ``X-Cart-Token`` without an account.

    The answer's ``guestAccessToken`` (send it as ``X-Order-Token``) opens the order and pays
    it; mails go to ``email``. 401 when the site requires an account (``[plugins.orders]
    guest_checkout = false``); 404 for a token that opens no cart; otherwise as ``POST /api/orders``.
    """
    if not bootstrap.settings()["guest_checkout"]:
        raise Unauthorized("Sign in to check out: this shop sells to registered customers only.")
    command = PlaceOrder(user_id=None, customer_email=data["email"], items=None, from_cart=True,
                         guest_cart_token=cart_token, **_checkout_details(data))
    reply = bootstrap.order_services().place_order(
        command, lambda order: {**render_for_shopper(order), "guestAccessToken": guest_links.guest_access_token(order.id)},
        idempotent_request(guest_owner(cart_token)))
    return respond(reply, Location=url_for("orders.get_guest_order", order_id=reply.body["orderId"]))


@blp.route("/guest/<uuid:order_id>", methods=["GET"])
@public
@blp.arguments(GuestOrderHeaderSchema, location="headers", as_kwargs=True)
@blp.response(200, OrderDetailSchema)
def get_guest_order(order_id: UUID, order_token: str):
    """A guest's order, opened by its ``X-Order-Token``; any other token is 404."""
    if not guest_links.opens(order_token, order_id):
        raise NotFound(f"No order {order_id}.")
    return bootstrap.order_services().order_details(order_id)


@blp.route("", methods=["GET"])
@login_required
@blp.arguments(MyOrdersQuerySchema, location="query")
@blp.response(200, OrderPageSchema)
def list_my_orders(query):
    """My orders, newest first."""
    orders, total = bootstrap.order_services().list_orders(
        page=query["page"], page_size=query["page_size"], user_id=current_user_id(),
        filters={"status": query.get("status")})
    return {"items": orders, "total_count": total, "page": query["page"], "page_size": query["page_size"]}


@blp.route("/<uuid:order_id>", methods=["GET"])
@login_required
@blp.response(200, OrderDetailSchema)
def get_order(order_id: UUID):
    """One of my orders; another shopper's is 404."""
    return bootstrap.order_services().order_details(order_id, user_id=current_user_id())


@blp.route("/<uuid:order_id>/cancel", methods=["POST"])
@login_required
@blp.arguments(CancelOrderSchema, required=False)
@blp.response(200, OrderDetailSchema)
@blp.doc(**IDEMPOTENCY.DOC)
def cancel_my_order(data, order_id: UUID):
    """Cancel my order while it is Pending (or Paid, refunded in full); its stock goes back."""
    actor = Actor("customer", current_user_id())
    return respond(bootstrap.order_services().cancel_order(order_id, actor, render_for_shopper,
                                                          (data or {}).get("reason", ""), idempotent_request()))


# --- staff ----------------------------------------------------------------------------


@staff.route("", methods=["GET"])
@permission_required(MANAGE)
@staff.arguments(StaffOrdersQuerySchema, location="query")
@staff.response(200, StaffOrderPageSchema)
def list_all_orders(query):
    """Every order, newest first, filtered by status, payment status, customer or date."""
    filters = {key: query.get(key) for key in ("status", "payment_status", "customer_id", "placed_from",
                                                "placed_before")}
    orders, total = bootstrap.order_services().list_orders(page=query["page"], page_size=query["page_size"],
                                                           filters=filters)
    return {"items": orders, "total_count": total, "page": query["page"], "page_size": query["page_size"]}


@staff.route("/<uuid:order_id>", methods=["GET"])
@permission_required(MANAGE)
@staff.response(200, StaffOrderDetailSchema)
def get_any_order(order_id: UUID):
    return bootstrap.order_services().order_details(order_id)


def staff_member() -> Actor:
    return Actor("staff", current_user_id())


@staff.route("/<uuid:order_id>/mark-paid", methods=["POST"])
@permission_required(MANAGE)
@staff.response(200, StaffOrderDetailSchema)
@staff.doc(**IDEMPOTENCY.DOC)
def mark_paid(order_id: UUID):
    """Record a payment received outside a provider (bank transfer, cash on delivery)."""
    return respond(bootstrap.order_services().mark_paid(order_id, staff_member(), render_for_staff, idempotent_request()))


@staff.route("/<uuid:order_id>/process", methods=["POST"])
@permission_required(MANAGE)
@staff.response(200, StaffOrderDetailSchema)
@staff.doc(**IDEMPOTENCY.DOC)
def start_processing(order_id: UUID):
    return respond(bootstrap.order_services().start_processing(order_id, staff_member(), render_for_staff,
                                                              idempotent_request()))


@staff.route("/<uuid:order_id>/ship", methods=["POST"])
@permission_required(MANAGE)
@staff.arguments(ShipOrderSchema)
@staff.response(200, StaffOrderDetailSchema)
@staff.doc(**IDEMPOTENCY.DOC)
def ship(data, order_id: UUID):
    return respond(bootstrap.order_services().ship(order_id, staff_member(), data["tracking_number"], render_for_staff,
                                                  idempotent_request()))


@staff.route("/<uuid:order_id>/complete", methods=["POST"])
@permission_required(MANAGE)
@staff.response(200, StaffOrderDetailSchema)
@staff.doc(**IDEMPOTENCY.DOC)
def complete(order_id: UUID):
    return respond(bootstrap.order_services().complete(order_id, staff_member(), render_for_staff, idempotent_request()))


@staff.route("/<uuid:order_id>/cancel", methods=["POST"])
@permission_required(MANAGE)
@staff.arguments(CancelOrderSchema, required=False)
@staff.response(200, StaffOrderDetailSchema)
@staff.doc(**IDEMPOTENCY.DOC)
def cancel_any(data, order_id: UUID):
    """Cancel until the order ships; a paid order is refunded in full and its stock goes back."""
    return respond(bootstrap.order_services().cancel_order(order_id, staff_member(), render_for_staff,
                                                          (data or {}).get("reason", ""), idempotent_request()))


@staff.route("/<uuid:order_id>/refund", methods=["POST"])
@permission_required(MANAGE)
@staff.arguments(RefundOrderSchema, required=False)
@staff.response(200, StaffOrderDetailSchema)
@staff.doc(**IDEMPOTENCY.DOC)
def refund(data, order_id: UUID):
    """Refund a paid order in full (no ``amount``) or in part."""
    data = data or {}
    return respond(bootstrap.order_services().refund_order(order_id, staff_member(), render_for_staff,
                                                          data.get("amount"), data.get("reason", ""),
                                                          idempotent_request()))
