"""Cart use cases (a shopper's or a guest's cart) and the cart port for checkout.

Every use case runs in one unit of work. Changes lock the cart first, so two requests on one
cart run one after the other and neither overwrites the other's line. A change may carry an
:class:`IdempotentRequest`: a retry with its key gets the first answer and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from kernel.domain.clock import utcnow
from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.ports.cart import CartContents, CartLine, CartPort
from kernel.domain.ports.catalog import CatalogPort, ProductSnapshot
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.domain.pricing import Choice, PricingPipeline
from kernel.idempotency.domain import IdempotencyStore, IdempotentRequest, Reply, answer_once
from plugins.cart.domain import CartRepository, CartRules, GuestToken, PricedCart, ShoppingCart, price_cart

CLEANUP_BATCH = 500


@dataclass(frozen=True)
class Shopper:
    """Who is asking: a signed-in user (their token, if any, is ignored) or a guest with a cart token."""

    user_id: UUID | None = None
    cart_token: str | None = None


@dataclass(frozen=True)
class CartAnswer:
    """A changed cart, priced, and the token of a guest cart the change created."""

    cart: PricedCart
    new_cart_token: str | None = None


Render = Callable[[CartAnswer], dict]


class CartService:
    def __init__(self, uow: UnitOfWork, carts: CartRepository, catalog: CatalogPort, rules: CartRules,
                 currency: str, replies: IdempotencyStore, clock: Callable[[], datetime] = utcnow,
                 pricing: PricingPipeline | None = None):
        self.uow = uow
        self.carts = carts
        self.catalog = catalog
        self.rules = rules
        self.currency = currency
        self.replies = replies
        self.clock = clock
        self.pricing = pricing or PricingPipeline()

    # --- GetCartQuery ---------------------------------------------------------------

    def get_cart(self, shopper: Shopper) -> PricedCart:
        """The shopper's cart at today's prices; an empty cart when they have none yet."""
        with self.uow:
            cart = self._find(shopper, for_update=False)
            return self._priced(shopper, cart, self._products(cart))

    # --- AddItemToCartCommand -------------------------------------------------------

    def add_item(self, shopper: Shopper, product_id: UUID, quantity: int, variant_id: UUID | None = None, *,
                 render: Render, request: IdempotentRequest | None = None) -> Reply:
        """Add items of a variant (for a product without options, the product). A guest without a
        cart token gets a new guest cart and its token."""
        def work() -> CartAnswer:
            new_token = None
            if shopper.user_id is None and shopper.cart_token is None:
                cart, new_token = ShoppingCart.for_guest(self.clock())
            else:
                cart = self._find_for_change(shopper, create=True)
            wanted = variant_id or product_id
            products = self._products(cart, wanted)
            snapshot = products.get(wanted)
            if snapshot is not None and snapshot.of_product != product_id:
                raise ValidationFailed("That variant belongs to another product.",
                                       errors={"variantId": [f"Not a variant of product {product_id}."]})
            cart.add(wanted, snapshot, quantity, self.rules, self.clock())
            self.carts.save(cart)
            return CartAnswer(self._priced(shopper, cart, products), new_token)

        return self._change(work, render, request)

    def change_quantity(self, shopper: Shopper, variant_id: UUID, quantity: int, *, render: Render,
                        request: IdempotentRequest | None = None) -> Reply:
        """Set a line's quantity (0 removes it); lines are named by variant id (a product without
        options: its id)."""
        def work() -> CartAnswer:
            cart = self._find_for_change(shopper)
            products = self._products(cart)
            cart.change_quantity(variant_id, products.get(variant_id), quantity, self.rules, self.clock())
            self.carts.save(cart)
            return CartAnswer(self._priced(shopper, cart, products))

        return self._change(work, render, request)

    # --- ChoosePricingInputsCommand ---------------------------------------------------

    def choose(self, shopper: Shopper, choices: Mapping[str, str | None], field_names: Mapping[str, str], *,
               render: Render, request: IdempotentRequest | None = None) -> Reply:
        """Apply a coupon, set the destination or the shipping method (``None`` removes one).

        A choice that no pricing step of the site reads, or that its step rejects, is a 422
        naming the field (``field_names`` maps input names to the request's field names) and
        leaves the cart as it was."""
        chosen = [name for name, value in choices.items() if value is not None]
        for name in chosen:
            self.pricing.check_input(name, field_names.get(name, name))

        def work() -> CartAnswer:
            cart = self._find_for_change(shopper)
            cart.choose(choices, self.clock())
            priced = self._priced(shopper, cart, self._products(cart), strict=chosen, field_names=field_names)
            self.carts.save(cart)
            return CartAnswer(priced)

        return self._change(work, render, request)

    # --- ShippingMethodsQuery ----------------------------------------------------------

    def shipping_methods(self, shopper: Shopper, country: str, region: str | None) -> list[Choice]:
        """The shipping methods to ``country`` for this cart, each with its charge, cheapest
        first; the cart keeps its own choices. 422 naming ``country`` when nothing ships there."""
        self.pricing.check_input("shippingMethod", "country")
        with self.uow:
            cart = self._find(shopper, for_update=False)
            priced = self._priced(shopper, cart, self._products(cart), strict=["country"],
                                  trying={"country": country, "region": region or "", "shippingMethod": ""})
        return [choice for choice in priced.breakdown.choices if choice.input == "shippingMethod"]

    # --- RemoveItemFromCartCommand --------------------------------------------------

    def remove_item(self, shopper: Shopper, variant_id: UUID) -> None:
        with self.uow:
            cart = self._find_for_change(shopper)
            cart.remove(variant_id, self.clock())
            self.carts.save(cart)
            self.uow.commit()

    def clear(self, shopper: Shopper) -> None:
        """Empty the cart (a shopper with no cart has nothing to clear)."""
        with self.uow:
            cart = self._find(shopper, for_update=True)
            if cart is not None:
                cart.clear(self.clock())
                self.carts.save(cart)
            self.uow.commit()

    # --- sign-in and housekeeping -----------------------------------------------------

    def merge_guest_cart(self, user_id: UUID, cart_token: str | None) -> None:
        """Move a guest cart's lines into the user's cart and delete the guest cart.

        Runs inside the caller's transaction (the sign-in request); an unknown token is ignored.
        """
        guest = self._guest_cart(cart_token, for_update=True) if cart_token else None
        if guest is None:
            return
        cart = self.carts.of_user_created_if_missing(user_id, self.clock())
        guest_items = list(guest.items.values())
        products = self.catalog.products(item.variant for item in guest_items)
        cart.absorb(guest_items, products, self.rules, self.clock())
        # the guest's coupon and destination come along unless the user's cart has its own
        cart.choose({name: value for name, value in guest.pricing_inputs.items() if name not in cart.pricing_inputs},
                    self.clock())
        self.carts.save(cart)
        self.carts.delete(guest)

    def delete_abandoned_guest_carts(self, max_age: timedelta) -> int:
        """Delete guest carts untouched for ``max_age``, in short transactions; return the count."""
        cutoff = self.clock() - max_age
        total = 0
        while True:
            with self.uow:
                deleted = self.carts.delete_guest_carts_idle_since(cutoff, CLEANUP_BATCH)
                self.uow.commit()
            total += deleted
            if deleted < CLEANUP_BATCH:
                return total

    # --- helpers ----------------------------------------------------------------------

    def _change(self, work: Callable[[], CartAnswer], render: Render, request: IdempotentRequest | None) -> Reply:
        """One change in one unit of work, its answer rendered inside it (stored with a key)."""
        with self.uow:
            reply = answer_once(self.replies, request, self.clock(), lambda: (200, render(work())))
            self.uow.commit()
        return reply

    def _find(self, shopper: Shopper, *, for_update: bool) -> ShoppingCart | None:
        """The shopper's cart or None; a guest token that opens no cart is a 404."""
        if shopper.user_id is not None:
            return self.carts.of_user(shopper.user_id, for_update=for_update)
        if shopper.cart_token is None:
            return None
        cart = self._guest_cart(shopper.cart_token, for_update=for_update)
        if cart is None:
            raise NotFound("No cart for this X-Cart-Token (it may have expired or been merged at sign-in)")
        return cart

    def _find_for_change(self, shopper: Shopper, *, create: bool = False) -> ShoppingCart:
        if shopper.user_id is not None and create:
            return self.carts.of_user_created_if_missing(shopper.user_id, self.clock())
        cart = self._find(shopper, for_update=True)
        if cart is None:
            raise NotFound("There is no cart yet")
        return cart

    def _guest_cart(self, cart_token: str, *, for_update: bool) -> ShoppingCart | None:
        return guest_cart(self.carts, cart_token, for_update=for_update)

    def _products(self, cart: ShoppingCart | None, *extra: UUID) -> dict[UUID, ProductSnapshot]:
        """Snapshots of every variant the answer needs, in one catalog call."""
        ids: Iterable[UUID] = [*(cart.items if cart else ()), *extra]
        return self.catalog.products(ids) if ids else {}

    def _priced(self, shopper: Shopper, cart: ShoppingCart | None, products: dict[UUID, ProductSnapshot],
                **strictness) -> PricedCart:
        return price_cart(cart, products, self.currency, self.pricing, customer_id=shopper.user_id, **strictness)


class CartForCheckout(CartPort):
    """The kernel's cart port, for the orders plugin; runs in the caller's transaction.

    Reading locks the cart, so a line added while a checkout is under way waits for it
    instead of being cleared unseen. The port lives as long as the site, so each call gets
    a repository of its own from ``carts``.
    """

    def __init__(self, carts: Callable[[], CartRepository], clock: Callable[[], datetime] = utcnow):
        self.carts = carts
        self.clock = clock

    def lines_for_user(self, user_id: UUID) -> list[CartLine]:
        return self.contents_for_user(user_id).lines

    def contents_for_user(self, user_id: UUID) -> CartContents:
        return _contents(self.carts().of_user(user_id, for_update=True)) or CartContents([], {})

    def clear_for_user(self, user_id: UUID) -> None:
        carts = self.carts()
        self._clear(carts, carts.of_user(user_id, for_update=True))

    def contents_for_guest(self, cart_token: str) -> CartContents | None:
        return _contents(guest_cart(self.carts(), cart_token, for_update=True))

    def clear_for_guest(self, cart_token: str) -> None:
        carts = self.carts()
        self._clear(carts, guest_cart(carts, cart_token, for_update=True))

    def _clear(self, carts: CartRepository, cart: ShoppingCart | None) -> None:
        if cart is not None and cart.items:
            cart.clear(self.clock())
            carts.save(cart)


def guest_cart(carts: CartRepository, cart_token: str, *, for_update: bool) -> ShoppingCart | None:
    """The guest cart ``cart_token`` opens, or None (a malformed or wrong token opens nothing)."""
    token = GuestToken.parse(cart_token)
    if token is None:
        return None
    cart = carts.get(token.cart_id, for_update=for_update)
    return cart if cart is not None and token.opens(cart) else None


def _contents(cart: ShoppingCart | None) -> CartContents | None:
    if cart is None:
        return None
    return CartContents([CartLine(item.product_id, item.quantity, item.variant) for item in cart.items.values()],
                        dict(cart.pricing_inputs))
