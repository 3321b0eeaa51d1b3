"""What the orders plugin needs from the cart, without importing the cart plugin."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from uuid import UUID


@dataclass(frozen=True)
class CartLine:
    product_id: UUID
    quantity: int
    variant_id: UUID | None = None  # None: the product's implicit variant (the same id)


@dataclass(frozen=True)
class CartContents:
    lines: list[CartLine]
    pricing_inputs: Mapping[str, str] = field(default_factory=dict)  # the shopper's choices (coupon, ...)


class CartPort(ABC):
    """Implemented by the cart plugin, provided through ``commerce_cart_port``."""

    @abstractmethod
    def lines_for_user(self, user_id: UUID) -> list[CartLine]:
        """The lines of the user's cart (empty when the user has no cart)."""

    @abstractmethod
    def clear_for_user(self, user_id: UUID) -> None:
        """Empty the user's cart, inside the caller's transaction (after a checkout)."""

    def contents_for_user(self, user_id: UUID) -> CartContents:
        """The lines and the pricing choices of the user's cart, read at once (a cart that keeps
        no choices need not override this)."""
        return CartContents(self.lines_for_user(user_id))

    def contents_for_guest(self, cart_token: str) -> CartContents | None:
        """The guest cart that ``cart_token`` opens, locked, or None (no guest carts: always None)."""
        return None

    def clear_for_guest(self, cart_token: str) -> None:
        """Empty the guest cart after its checkout, inside the caller's transaction."""
        return None  # a site without guest carts has nothing to empty
