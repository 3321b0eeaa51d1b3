"""The accounts port: what plugins may know of a customer's account beyond their id and email
(``commerce().accounts``), so that no plugin reads identity's tables or imports its code."""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod


class Accounts(ABC):
    @abstractmethod
    def email_verified(self, user_id: uuid.UUID) -> bool:
        """Whether the user opened a verification link mailed to their current address."""

    @abstractmethod
    def saved_address(self, user_id: uuid.UUID, address_id: uuid.UUID) -> dict[str, str] | None:
        """An address of the user's address book (the snake_case lines of ``AddressSchema`` that
        are set), or None when the user has no such address (someone else's included)."""
