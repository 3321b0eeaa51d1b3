"""What the orders plugin needs from the cart, without importing the cart plugin."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class CartLine:
    product_id: UUID
    quantity: int
    variant_id: UUID | None = None  # None: the product's implicit variant (the same id)


class CartPort(ABC):
    """Implemented by the cart plugin, provided through ``commerce_cart_port``."""

    @abstractmethod
    def lines_for_user(self, user_id: UUID) -> list[CartLine]:
        """The lines of the user's cart (empty when the user has no cart)."""

    @abstractmethod
    def clear_for_user(self, user_id: UUID) -> None:
        """Empty the user's cart, inside the caller's transaction (after a checkout)."""
