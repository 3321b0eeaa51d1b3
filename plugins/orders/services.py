"""Order use cases: checkout, queries, life-cycle actions and the orders' jobs.

Each use case is one unit of work. Unsafe actions may carry an :class:`IdempotentRequest`
(the kernel's idempotency store answers a retry with the first reply).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from loguru import logger

from kernel.domain.clock import utcnow
from kernel.domain.errors import Conflict, NotFound, ValidationFailed
from kernel.domain.ports.cart import CartPort
from kernel.domain.ports.catalog import CatalogPort, InsufficientStock
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.domain.pricing import PricingDraft, PricingPipeline
from kernel.idempotency.domain import IdempotencyStore, IdempotentRequest, Reply, answer_once
from plugins.orders.after_change import AfterChange
from plugins.orders.domain import (
    Actor,
    LineRequest,
    Order,
    OrderRepository,
    PaymentRefunds,
    merge_lines,
)

# where each pricing input comes from in the checkout request (a 422 names that field)
PRICING_FIELDS = {"coupon": "couponCode", "shippingMethod": "shippingMethod", "country": "shippingAddress.country",
                  "region": "shippingAddress.state"}


@dataclass(frozen=True)
class PlaceOrder:
    """Checkout's command: ``items`` or ``from_cart``, never prices (they come from the catalog).

    A guest (``user_id`` None) checks out the guest cart that ``guest_cart_token`` opens."""

    user_id: UUID | None
    customer_email: str | None
    items: list[LineRequest] | None
    from_cart: bool
    shipping_address: dict
    billing_address: dict | None
    payment_method: str
    pricing_inputs: Mapping[str, str] = field(default_factory=dict)  # coupon, shippingMethod (override the cart's)
    guest_cart_token: str | None = None

    def destination(self) -> dict[str, str]:
        """The pricing inputs the shipping address gives: its country and region codes."""
        found = {"country": self.shipping_address.get("country"), "region": self.shipping_address.get("state")}
        return {name: value for name, value in found.items() if value}


Render = Callable[[Order], dict]


@dataclass
class OrderServices:
    uow: UnitOfWork
    orders: OrderRepository
    replies: IdempotencyStore
    catalog: CatalogPort
    cart: CartPort | None
    jobs: JobQueue
    currency: str
    clock: Callable[[], datetime] = field(default=utcnow)
    refunds: PaymentRefunds | None = None  # None: refunds are recorded only
    # raises ValidationFailed (422 naming paymentMethod) for a method the site does not offer
    check_payment_method: Callable[[str], None] | None = None
    confirmation_delay: timedelta = timedelta(0)  # the "placed" mail goes out this much later
    pricing: PricingPipeline = field(default_factory=PricingPipeline)  # none: a total is its subtotal

    @property
    def after_change(self) -> AfterChange:
        return AfterChange(self.catalog, self.jobs, self.refunds, self.confirmation_delay)

    # --- checkout -------------------------------------------------------------

    def place_order(self, command: PlaceOrder, render: Render, request: IdempotentRequest | None = None) -> Reply:
        """Price the lines from the catalog, reserve their stock (all or nothing), store the order,
        empty the cart when it came from there, and queue the confirmation mail."""
        if self.check_payment_method is not None:
            self.check_payment_method(command.payment_method)
        for name in command.pricing_inputs:
            self.pricing.check_input(name, PRICING_FIELDS[name])

        def work() -> Order:
            requests, chosen = self._line_requests(command)
            products = self.catalog.products([line.variant for line in requests])
            _check_products(requests, products, command.from_cart)
            draft = PricingDraft(self.currency, tuple(products[line.variant].draft_line(line.quantity)
                                                      for line in requests),
                                 {**chosen, **command.destination(), **command.pricing_inputs},
                                 customer_id=command.user_id, customer_email=command.customer_email)
            pricing = self.pricing.quote(draft, strict=self.pricing.inputs, field_names=PRICING_FIELDS)
            order = Order.place(user_id=command.user_id, customer_email=command.customer_email,
                                currency=self.currency, requests=requests, products=products,
                                shipping_address=command.shipping_address, billing_address=command.billing_address,
                                payment_method=command.payment_method, at=self.clock(), pricing=pricing)
            try:
                self.catalog.reserve_stock(order.stock_lines())
            except InsufficientStock as short:
                raise _out_of_stock(short, products) from None
            self.orders.add(order)
            self.pricing.redeem(draft, pricing, order.id, PRICING_FIELDS)
            if command.guest_cart_token:
                self.cart.clear_for_guest(command.guest_cart_token)
            elif command.from_cart:
                self.cart.clear_for_user(command.user_id)
            self.after_change.handle([order])
            return order

        return self._execute(201, work, render, request)

    def _line_requests(self, command: PlaceOrder) -> tuple[list[LineRequest], Mapping[str, str]]:
        """The lines to order, and the pricing choices kept with them (the cart's)."""
        if command.from_cart:
            if command.items:
                raise ValidationFailed("Send either items or fromCart, not both.",
                                       errors={"items": ["Leave out items when checking out from the cart."]})
            if self.cart is None:
                raise ValidationFailed("This shop has no cart to check out from.",
                                       errors={"fromCart": ["No cart is available on this site."]})
            contents = (self.cart.contents_for_guest(command.guest_cart_token) if command.guest_cart_token
                        else self.cart.contents_for_user(command.user_id))
            if contents is None:
                raise NotFound("No cart for this X-Cart-Token (it may have expired or been merged at sign-in).")
            lines = [LineRequest(line.product_id, line.quantity, line.variant_id) for line in contents.lines]
            if not lines:
                raise ValidationFailed("Your cart is empty.", errors={"fromCart": ["The cart has no items."]})
            return merge_lines(lines), contents.pricing_inputs
        if not command.items:
            raise ValidationFailed("An order needs at least one item.", errors={"items": ["At least one item."]})
        return merge_lines(command.items), {}

    # --- queries ----------------------------------------------------------------

    def order_details(self, order_id: UUID, user_id: UUID | None = None) -> Order:
        """One order with its lines and history; with ``user_id`` only that shopper's order."""
        with self.uow:
            order = self.orders.get(order_id, user_id=user_id)
        if order is None:
            raise NotFound(f"No order {order_id}.")
        return order

    def list_orders(self, *, page: int, page_size: int, user_id: UUID | None = None,
                    filters: dict | None = None) -> tuple[list[Order], int]:
        with self.uow:
            return self.orders.page(page=page, page_size=page_size, user_id=user_id, filters=filters)

    def join_guest_orders(self, user_id: UUID, verified_email: str) -> int:
        """The guest orders of an address its owner just verified become their account's (inside
        the verification's transaction: committed with it)."""
        return self.orders.attach_guest_orders(verified_email.lower(), user_id)

    # --- life cycle -------------------------------------------------------------

    def mark_paid(self, order_id: UUID, actor: Actor, render: Render, request: IdempotentRequest | None = None) -> Reply:
        """Staff record a payment received outside a provider (bank transfer, cash on delivery)."""
        return self._change(order_id, lambda order, at: order.mark_paid(actor, at, "payment recorded by staff"),
                            render, request)

    def start_processing(self, order_id: UUID, actor: Actor, render: Render,
                         request: IdempotentRequest | None = None) -> Reply:
        return self._change(order_id, lambda order, at: order.start_processing(actor, at), render, request)

    def ship(self, order_id: UUID, actor: Actor, tracking_number: str, render: Render,
             request: IdempotentRequest | None = None) -> Reply:
        return self._change(order_id, lambda order, at: order.ship(actor, at, tracking_number), render, request)

    def complete(self, order_id: UUID, actor: Actor, render: Render, request: IdempotentRequest | None = None) -> Reply:
        return self._change(order_id, lambda order, at: order.complete(actor, at), render, request)

    def cancel_order(self, order_id: UUID, actor: Actor, render: Render, reason: str = "",
                     request: IdempotentRequest | None = None) -> Reply:
        """A shopper cancels only their own order; a paid order is refunded in full."""
        owner = actor.id if actor.kind == "customer" else None
        return self._change(order_id, lambda order, at: order.cancel(actor, at, reason), render, request, owner=owner)

    def refund_order(self, order_id: UUID, actor: Actor, render: Render, amount: Decimal | None = None,
                     reason: str = "", request: IdempotentRequest | None = None) -> Reply:
        """Refund ``amount`` (default: all not refunded yet), at the payment provider too."""
        return self._change(order_id, lambda order, at: order.refund(actor, at, amount, reason), render, request)

    # --- jobs -----------------------------------------------------------------------

    def expire_unpaid(self, older_than: timedelta, batch: int = 200) -> int:
        """Cancel orders left Pending longer than ``older_than`` and give back their stock."""
        now = self.clock()
        with self.uow:
            orders = self.orders.unpaid_before(now - older_than, batch)
            released = []
            for order in orders:
                released += order.cancel(Actor.system(), now, "not paid in time")
                self.orders.save(order)
            self.after_change.handle(orders, released)
            for order in orders:
                self._publish(order)
            self.uow.commit()
        if orders:
            logger.info("cancelled {} unpaid orders", len(orders))
        return len(orders)

    # --- internals --------------------------------------------------------------

    def _change(self, order_id: UUID, action: Callable[[Order, datetime], list | None], render: Render,
                request: IdempotentRequest | None, *, owner: UUID | None = None) -> Reply:
        """Apply one life-cycle action under a row lock, then what follows from it."""
        def work() -> Order:
            order = self.orders.get(order_id, user_id=owner, for_update=True)
            if order is None:
                raise NotFound(f"No order {order_id}.")
            self.after_change.handle([order], action(order, self.clock()) or [])
            self.orders.save(order)
            return order

        return self._execute(200, work, render, request)

    def _execute(self, status: int, work: Callable[[], Order], render: Render,
                 request: IdempotentRequest | None) -> Reply:
        def rendered() -> tuple[int, dict]:
            order = work()
            body = render(order)
            self._publish(order)
            return status, body

        with self.uow:
            reply = answer_once(self.replies, request, self.clock(), rendered)
            self.uow.commit()
        return reply

    def _publish(self, order: Order) -> None:
        for event in order.take_events():
            self.uow.publish(event)


def _check_products(requests: list[LineRequest], products: dict, from_cart: bool) -> None:
    where = "fromCart" if from_cart else "items"
    errors = {}
    for index, line in enumerate(requests):
        product = products.get(line.variant)
        if product is None or not product.is_active or product.of_product != line.product_id:
            if line.variant_id:
                errors[f"{where}[{index}].variantId"] = [f"No variant {line.variant_id} of this product is for sale."]
            else:
                errors[f"{where}[{index}].productId"] = [f"No product {line.product_id} is for sale."]
    if errors:
        raise ValidationFailed("Some items are not for sale.", errors=errors)


def _out_of_stock(short: InsufficientStock, products: dict) -> Conflict:
    lines = [{"productId": str(products[s.variant_id].of_product), "name": products[s.variant_id].label,
              "sku": products[s.variant_id].sku, "requested": s.requested, "available": s.available}
             for s in short.shortages]
    names = ", ".join(f"{line['name']} (asked {line['requested']}, available {line['available']})" for line in lines)
    return Conflict(f"Not enough stock: {names}. Nothing was reserved.", extra={"shortages": lines})
