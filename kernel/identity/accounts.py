"""The accounts port as identity answers it, from the request's database session."""

from __future__ import annotations

import uuid

from kernel.domain.ports.accounts import Accounts
from kernel.identity.addresses import AddressBook
from kernel.identity.orm import User
from kernel.infrastructure.db import db


class SqlAccounts(Accounts):
    def email_verified(self, user_id: uuid.UUID) -> bool:
        user = db.session.get(User, user_id)  # the signed-in user is already in the session
        return user is not None and user.email_verified

    def saved_address(self, user_id: uuid.UUID, address_id: uuid.UUID) -> dict[str, str] | None:
        address = AddressBook().get(user_id, address_id)
        return address.postal() if address is not None else None
