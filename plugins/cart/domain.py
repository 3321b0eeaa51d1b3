"""Shopping carts: lines, their rules, guest cart tokens and pricing at today's prices.

Plain Python. A cart belongs either to a user or to a guest who holds its cart token.
Prices are never stored as the truth: a cart is priced from the catalog's current
snapshots each time it is shown; each line remembers only the price it was added at, so
it can say that the price changed since.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from kernel.domain.errors import Conflict, NotFound, ValidationFailed
from kernel.domain.money import Money
from kernel.domain.ports.catalog import ProductSnapshot
from kernel.domain.pricing import PriceBreakdown, PricingDraft, PricingPipeline


@dataclass(frozen=True)
class CartRules:
    """A site's limits (``[plugins.cart]`` settings)."""

    max_quantity_per_line: int = 99
    max_lines: int = 100

    def check_quantity(self, quantity: int) -> None:
        if not 1 <= quantity <= self.max_quantity_per_line:
            raise ValidationFailed(
                f"A line holds 1 to {self.max_quantity_per_line} items",
                errors={"quantity": [f"Must be between 1 and {self.max_quantity_per_line}."]},
            )


class NotEnoughStock(Conflict):
    """More of a product than the catalog has in stock (409, naming what is available)."""

    def __init__(self, product: ProductSnapshot, requested: int):
        available = max(product.stock_quantity, 0)
        super().__init__(
            f"Only {available} of {product.name!r} in stock; the line would hold {requested}",
            errors={"quantity": [f"Only {available} in stock."]},
            extra={"productId": str(product.of_product), "sku": product.sku, "availableQuantity": available,
                   "requestedQuantity": requested},
        )


def orderable(variant_id: UUID, product: ProductSnapshot | None) -> ProductSnapshot:
    """The variant, if it exists and is on sale (404 unknown, 422 inactive).

    ``variant_id`` may be a product's id: that of its implicit variant when it has no options."""
    if product is None:
        raise NotFound(f"No product {variant_id} (a product with options is added by its variantId)")
    if not product.is_active:
        raise ValidationFailed(f"Product {product.name!r} is not for sale",
                               errors={"productId": ["This product is not for sale."]})
    return product


@dataclass(frozen=True)
class CartItem:
    product_id: UUID
    quantity: int
    price_when_added: Decimal
    added_at: datetime
    variant_id: UUID | None = None  # None: the product's implicit variant (the same id)

    def __post_init__(self):
        if self.quantity < 1:
            raise ValueError("a cart line holds at least one item")

    @property
    def variant(self) -> UUID:
        """What the line holds, and its key in the cart."""
        return self.variant_id or self.product_id


@dataclass
class ShoppingCart:
    """A cart and its lines (one per variant, keyed by variant id, in the order they were first added)."""

    id: UUID
    user_id: UUID | None
    token_hash: str | None
    created_at: datetime
    updated_at: datetime
    items: dict[UUID, CartItem] = field(default_factory=dict)
    pricing_inputs: dict[str, str] = field(default_factory=dict)  # coupon, country, shippingMethod...

    @classmethod
    def for_user(cls, user_id: UUID, now: datetime) -> ShoppingCart:
        return cls(uuid4(), user_id, None, now, now)

    @classmethod
    def for_guest(cls, now: datetime) -> tuple[ShoppingCart, str]:
        """A new guest cart and its token (the token is shown once, only its hash is kept)."""
        cart = cls(uuid4(), None, None, now, now)
        token = GuestToken.new(cart.id)
        cart.token_hash = token.secret_hash
        return cart, token.value

    def add(self, variant_id: UUID, product: ProductSnapshot | None, quantity: int, rules: CartRules,
            now: datetime) -> CartItem:
        """Add ``quantity`` items; adding a variant already in the cart increases its line."""
        rules.check_quantity(quantity)
        product = orderable(variant_id, product)
        existing = self.items.get(product.id)
        if existing is None and len(self.items) >= rules.max_lines:
            raise Conflict(f"A cart holds at most {rules.max_lines} lines", extra={"maxLines": rules.max_lines})
        total = quantity + (existing.quantity if existing else 0)
        if existing is not None and total > rules.max_quantity_per_line:
            raise ValidationFailed(
                f"A line holds at most {rules.max_quantity_per_line} items; this one already holds {existing.quantity}",
                errors={"quantity": [f"At most {rules.max_quantity_per_line - existing.quantity} more can be added."]},
            )
        if total > product.stock_quantity:
            raise NotEnoughStock(product, total)
        # Adding again means the shopper has seen today's price: the line restarts from it.
        item = CartItem(product.of_product, total, product.unit_price, existing.added_at if existing else now,
                        variant_id=product.id)
        return self._put(item, now)

    def change_quantity(self, variant_id: UUID, product: ProductSnapshot | None, quantity: int, rules: CartRules,
                        now: datetime) -> CartItem | None:
        """Set a line's quantity; 0 removes the line."""
        existing = self._line(variant_id)
        if quantity == 0:
            self.remove(variant_id, now)
            return None
        rules.check_quantity(quantity)
        product = orderable(variant_id, product)
        if quantity > product.stock_quantity:
            raise NotEnoughStock(product, quantity)
        return self._put(replace(existing, quantity=quantity), now)

    def remove(self, variant_id: UUID, now: datetime) -> None:
        self._line(variant_id)
        del self.items[variant_id]
        self.updated_at = now

    def clear(self, now: datetime) -> None:
        """Empty the cart (after a checkout the choices go too: the next order starts afresh)."""
        self.items.clear()
        self.pricing_inputs.clear()
        self.updated_at = now

    def choose(self, choices: Mapping[str, str | None], now: datetime) -> None:
        """Set pricing inputs (a coupon code, the destination); ``None`` forgets one."""
        for name, value in choices.items():
            if value is None:
                self.pricing_inputs.pop(name, None)
            else:
                self.pricing_inputs[name] = value
        self.updated_at = now

    def absorb(self, guest_items: Iterable[CartItem], products: Mapping[UUID, ProductSnapshot], rules: CartRules,
               now: datetime) -> None:
        """Merge a guest cart's lines: quantities add up, capped by stock and the line limit.

        Lines of products no longer for sale, or beyond the cart's line limit, are dropped;
        a line the user already had is never reduced.
        """
        for guest in guest_items:
            product = products.get(guest.variant)
            if product is None or not product.is_active:
                continue
            existing = self.items.get(guest.variant)
            have = existing.quantity if existing else 0
            cap = min(product.stock_quantity, rules.max_quantity_per_line)
            quantity = max(have, min(have + guest.quantity, cap))
            if quantity == have or (existing is None and len(self.items) >= rules.max_lines):
                continue
            if existing is None:
                self._put(replace(guest, quantity=quantity), now)
            else:
                self._put(replace(existing, quantity=quantity), now)

    def _line(self, variant_id: UUID) -> CartItem:
        try:
            return self.items[variant_id]
        except KeyError:
            raise NotFound(f"Product {variant_id} is not in this cart") from None

    def _put(self, item: CartItem, now: datetime) -> CartItem:
        self.items[item.variant] = item
        self.updated_at = now
        return item


@dataclass(frozen=True)
class GuestToken:
    """``<cart id>.<secret>``: the id finds the cart, the secret proves the holder owns it.

    Only a SHA-256 of the secret is stored and it is compared in constant time, so neither
    a database leak nor response timing gives a usable token away.
    """

    cart_id: UUID
    secret: str

    @classmethod
    def new(cls, cart_id: UUID) -> GuestToken:
        return cls(cart_id, secrets.token_urlsafe(32))

    @classmethod
    def parse(cls, value: str) -> GuestToken | None:
        cart_id, dot, secret = value.partition(".")
        if not dot or not secret or len(value) > 200:
            return None
        try:
            return cls(UUID(hex=cart_id), secret)
        except ValueError:
            return None

    @property
    def value(self) -> str:
        return f"{self.cart_id.hex}.{self.secret}"

    @property
    def secret_hash(self) -> str:
        return hashlib.sha256(self.secret.encode()).hexdigest()

    def opens(self, cart: ShoppingCart) -> bool:
        return cart.token_hash is not None and hmac.compare_digest(cart.token_hash, self.secret_hash)


class Availability(StrEnum):
    IN_STOCK = "in_stock"
    INSUFFICIENT_STOCK = "insufficient_stock"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class PricedLine:
    """A line at today's price. ``product`` is None when the catalog no longer knows it."""

    item: CartItem
    product: ProductSnapshot | None
    unit_price: Money | None
    line_total: Money | None
    availability: Availability

    @property
    def price_changed(self) -> bool:
        return self.unit_price is not None and self.unit_price.amount != self.item.price_when_added

    @property
    def available_quantity(self) -> int:
        if self.availability is Availability.UNAVAILABLE:
            return 0
        return max(self.product.stock_quantity, 0)


@dataclass(frozen=True)
class PricedCart:
    lines: list[PricedLine]
    subtotal: Money
    updated_at: datetime | None
    breakdown: PriceBreakdown
    pricing_inputs: Mapping[str, str] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(line.item.quantity for line in self.lines)


def price_cart(cart: ShoppingCart | None, products: Mapping[UUID, ProductSnapshot], currency: str,
               pipeline: PricingPipeline, *, customer_id: UUID | None = None, strict: Iterable[str] = (),
               field_names: Mapping[str, str] | None = None, trying: Mapping[str, str] | None = None) -> PricedCart:
    """Price every line from the current snapshots, then run the site's pricing pipeline on
    the lines of products on sale (a line short of stock counts in full: checkout refuses it,
    the cart shows it). ``strict`` inputs that a step rejects are a 422, others a notice.
    ``trying`` prices with those inputs instead of the cart's, without keeping them."""
    lines = []
    subtotal = Money.zero(currency)
    for item in (cart.items.values() if cart else ()):
        product = products.get(item.variant)
        if product is None:
            lines.append(PricedLine(item, None, None, None, Availability.UNAVAILABLE))
            continue
        unit_price = Money(product.unit_price, currency)
        line_total = unit_price * item.quantity
        if not product.is_active:
            availability = Availability.UNAVAILABLE
        else:
            availability = Availability.IN_STOCK if item.quantity <= product.stock_quantity \
                else Availability.INSUFFICIENT_STOCK
            subtotal += line_total
        lines.append(PricedLine(item, product, unit_price, line_total, availability))
    inputs = {**(cart.pricing_inputs if cart else {}), **(trying or {})}
    draft = PricingDraft(currency, tuple(line.product.draft_line(line.item.quantity)
                                         for line in lines if line.availability is not Availability.UNAVAILABLE),
                         inputs, customer_id=customer_id)
    breakdown = pipeline.quote(draft, strict=strict, field_names=field_names)
    return PricedCart(lines, subtotal, cart.updated_at if cart else None, breakdown, inputs)


class CartRepository(ABC):
    """Where carts are kept. Methods named ``*_for_update`` lock the cart until the unit of
    work ends, so concurrent changes to one cart happen one after the other."""

    @abstractmethod
    def get(self, cart_id: UUID, *, for_update: bool = False) -> ShoppingCart | None: ...

    @abstractmethod
    def of_user(self, user_id: UUID, *, for_update: bool = False) -> ShoppingCart | None: ...

    @abstractmethod
    def of_user_created_if_missing(self, user_id: UUID, now: datetime) -> ShoppingCart:
        """The user's cart, locked; created when missing (concurrent creators get one cart)."""

    @abstractmethod
    def save(self, cart: ShoppingCart) -> None:
        """Store a new cart, or the changes made to a loaded one."""

    @abstractmethod
    def delete(self, cart: ShoppingCart) -> None: ...

    @abstractmethod
    def delete_guest_carts_idle_since(self, cutoff: datetime, limit: int) -> int:
        """Delete up to ``limit`` guest carts untouched since ``cutoff``; return how many."""
