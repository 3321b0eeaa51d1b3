"""``/api/auth``: password reset and email verification from mailed links; and
``/api/users/me/addresses``: the caller's address book. Views parse, call one use case, answer."""

from __future__ import annotations

import uuid

from flask import current_app
from flask_smorest import Blueprint

from kernel.context import commerce
from kernel.identity import addresses, recovery
from kernel.identity.addresses import AddressBook
from kernel.identity.orm import UserAddress
from kernel.identity.ratelimits import mail_quota
from kernel.identity.repository import UserRepository
from kernel.identity.schemas import (
    AcceptedSchema,
    AddressBookEntrySchema,
    CurrentUserSchema,
    ForgotPasswordSchema,
    MailedTokenSchema,
    ResetPasswordSchema,
    SavedAddressSchema,
)
from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from kernel.web.auth import current_user, current_user_id, login_required, public

auth_blp = Blueprint("auth", __name__, url_prefix="/api/auth", template_folder="templates",
                     description="Password reset and email verification by mailed links")
addresses_blp = Blueprint("addresses", __name__, url_prefix="/api/users/me/addresses",
                          description="The signed-in user's address book")
RESET_SENT = "If an account uses this address, a link to reset its password is on its way."


def _users() -> UserRepository:
    return UserRepository(current_app.extensions["commerce"].identity.grants)


def email_verified(user_id: uuid.UUID, email: str) -> None:
    commerce().pm.hook.commerce_email_verified(user_id=user_id, email=email)


@auth_blp.route("/password/forgot", methods=["POST"])
@public
@auth_blp.arguments(ForgotPasswordSchema)
@auth_blp.response(202, AcceptedSchema)
def forgot_password(body):
    """Mail a link to reset the password. The answer is the same whether or not an account uses
    the address; each address gets a few such mails an hour at most."""
    recovery.forgot_password(_users(), SqlAlchemyUnitOfWork(), mail_quota(), body["email"])
    return {"detail": RESET_SENT}


@auth_blp.route("/password/reset", methods=["POST"])
@public
@auth_blp.arguments(ResetPasswordSchema)
@auth_blp.response(204)
def reset_password(body):
    """Set a new password with the token of a reset link (once, within an hour). Every access
    and refresh token of the account stops working; sign in with the new password."""
    recovery.reset_password(SqlAlchemyUnitOfWork(), commerce().identity.revocations, body["token"],
                            body["password"])


@auth_blp.route("/email/verify", methods=["POST"])
@public
@auth_blp.arguments(MailedTokenSchema)
@auth_blp.response(200, CurrentUserSchema)
def verify_email(body):
    """Verify the address a verification link was mailed to. Guest orders placed with that
    address then show among the account's orders."""
    return recovery.verify_email(SqlAlchemyUnitOfWork(), email_verified, body["token"])


@auth_blp.route("/email/change/confirm", methods=["POST"])
@public
@auth_blp.arguments(MailedTokenSchema)
@auth_blp.response(200, CurrentUserSchema)
def confirm_email_change(body):
    """Open an email-change link: the account's email becomes the new, verified address (409
    naming ``token`` if another account took it meanwhile)."""
    return recovery.confirm_email_change(_users(), SqlAlchemyUnitOfWork(), email_verified, body["token"])


@auth_blp.route("/email/resend", methods=["POST"])
@login_required
@auth_blp.response(202, AcceptedSchema)
def resend_verification():
    """Mail the verification link again (a few times an hour at most); 409 once verified."""
    recovery.resend_verification(SqlAlchemyUnitOfWork(), mail_quota(), current_user())
    return {"detail": "A verification link is on its way."}


@addresses_blp.route("", methods=["GET"])
@login_required
@addresses_blp.response(200, SavedAddressSchema(many=True))
def list_addresses():
    return AddressBook().all(current_user_id())


@addresses_blp.route("", methods=["POST"])
@login_required
@addresses_blp.arguments(AddressBookEntrySchema)
@addresses_blp.response(201, SavedAddressSchema)
def add_address(body):
    """Save an address; 409 once the book is full (``MAX_ADDRESSES``, 20)."""
    return addresses.add_address(AddressBook(), SqlAlchemyUnitOfWork(), current_user_id(), body)


@addresses_blp.route("/<uuid:address_id>", methods=["GET"])
@login_required
@addresses_blp.response(200, SavedAddressSchema)
def get_address(address_id):
    return addresses.get_address(AddressBook(), current_user_id(), address_id)


@addresses_blp.route("/<uuid:address_id>", methods=["PUT"])
@login_required
@addresses_blp.arguments(AddressBookEntrySchema)
@addresses_blp.response(200, SavedAddressSchema)
def replace_address(body, address_id):
    """Replace the address: lines left out are cleared."""
    changes = {**dict.fromkeys(UserAddress.FIELDS), **body}
    return addresses.update_address(AddressBook(), SqlAlchemyUnitOfWork(), current_user_id(), address_id, changes)


@addresses_blp.route("/<uuid:address_id>", methods=["DELETE"])
@login_required
@addresses_blp.response(204)
def delete_address(address_id):
    addresses.delete_address(AddressBook(), SqlAlchemyUnitOfWork(), current_user_id(), address_id)
