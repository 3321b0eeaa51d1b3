"""The address book: a user's saved addresses, with at most one default for shipping and one for
billing. Writes lock the owner's row first, so concurrent writes of one user cannot pass the cap
or leave two defaults (the partial unique indexes would refuse that anyway)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from kernel.domain.errors import Conflict, NotFound
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.identity.orm import User, UserAddress
from kernel.infrastructure.db import db

MAX_ADDRESSES = 20
DEFAULT_FLAGS = ("is_default_shipping", "is_default_billing")


class AddressBook:
    def __init__(self, session=None):
        self.session = session or db.session

    def all(self, user_id: uuid.UUID) -> list[UserAddress]:
        return list(self.session.scalars(sa.select(UserAddress).where(UserAddress.user_id == user_id)
                                         .order_by(UserAddress.created_at, UserAddress.id)))

    def get(self, user_id: uuid.UUID, address_id: uuid.UUID) -> UserAddress | None:
        address = self.session.get(UserAddress, address_id)
        return address if address is not None and address.user_id == user_id else None

    def lock_owner(self, user_id: uuid.UUID) -> None:
        self.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())

    def count(self, user_id: uuid.UUID) -> int:
        return self.session.scalar(sa.select(sa.func.count()).where(UserAddress.user_id == user_id))

    def clear_default(self, user_id: uuid.UUID, flag: str) -> None:
        self.session.execute(sa.update(UserAddress).where(UserAddress.user_id == user_id,
                                                          getattr(UserAddress, flag).is_(True))
                             .values({flag: False}))

    def add(self, address: UserAddress) -> None:
        self.session.add(address)
        self.session.flush()

    def delete(self, address: UserAddress) -> None:
        self.session.delete(address)


def get_address(book: AddressBook, user_id: uuid.UUID, address_id: uuid.UUID) -> UserAddress:
    """404 for an address that is not the caller's, as for one that does not exist."""
    address = book.get(user_id, address_id)
    if address is None:
        raise NotFound("No such address.")
    return address


def _take_defaults(book: AddressBook, user_id: uuid.UUID, fields: dict) -> None:
    for flag in DEFAULT_FLAGS:
        if fields.get(flag):
            book.clear_default(user_id, flag)


def add_address(book: AddressBook, uow: UnitOfWork, user_id: uuid.UUID, fields: dict) -> UserAddress:
    book.lock_owner(user_id)
    if book.count(user_id) >= MAX_ADDRESSES:
        raise Conflict(f"An address book holds at most {MAX_ADDRESSES} addresses; delete one first.")
    _take_defaults(book, user_id, fields)
    address = UserAddress(user_id=user_id, **fields)
    book.add(address)
    uow.commit()
    return address


def update_address(book: AddressBook, uow: UnitOfWork, user_id: uuid.UUID, address_id: uuid.UUID,
                   changes: dict) -> UserAddress:
    book.lock_owner(user_id)
    address = get_address(book, user_id, address_id)
    _take_defaults(book, user_id, changes)
    for name, value in changes.items():
        setattr(address, name, value)
    uow.commit()
    return address


def delete_address(book: AddressBook, uow: UnitOfWork, user_id: uuid.UUID, address_id: uuid.UUID) -> None:
    book.delete(get_address(book, user_id, address_id))
    uow.commit()
