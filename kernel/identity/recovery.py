"""Account use cases that go through the user's inbox: password reset, email verification and
changing the email. Each mails a link carrying a token (:mod:`kernel.identity.account_tokens`);
the step that opens it proves the user reads that inbox."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from flask_security import verify_and_update_password
from sqlalchemy.exc import IntegrityError

from kernel.domain.errors import Conflict, ValidationFailed
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.identity import account_tokens, mails
from kernel.identity.orm import User
from kernel.identity.repository import UserRepository
from kernel.identity.revocation import RevocationStore
from kernel.identity.services import check_password, normalize_email, set_password

EmailVerified = Callable[[uuid.UUID, str], None]  # the commerce_email_verified hook
TAKEN = "Already registered."


class MailQuota(Protocol):
    def allows(self, kind: str, email: str) -> bool:
        """Count one mail of ``kind`` to ``email``; False once the address had its share."""


def forgot_password(users: UserRepository, uow: UnitOfWork, quota: MailQuota, email: object) -> None:
    """Mail a reset link to an active account with this address; nothing tells the caller whether
    there is one (the answer is the same)."""
    email = normalize_email(email)
    user = users.by_email(email)
    if user is not None and user.active and quota.allows("reset", email):
        mails.queue("reset", user.email, account_tokens.reset_token(user))
    uow.commit()


def reset_password(uow: UnitOfWork, revocations: RevocationStore, token: str, password: str) -> None:
    """Set the password a reset link was mailed for, once; every token of the user dies with it."""
    user = account_tokens.user_of_reset_token(token)
    check_password(password, user.email)  # before the claim: a refused password keeps the link usable
    account_tokens.claim_reset_token(token, revocations)
    set_password(user, password)
    uow.commit()


def resend_verification(uow: UnitOfWork, quota: MailQuota, user: User) -> None:
    if user.email_verified:
        raise Conflict("Your email address is already verified.")
    if quota.allows("verify", user.email):
        mails.queue("verify", user.email, account_tokens.verification_token(user))
    uow.commit()


def verify_email(uow: UnitOfWork, verified: EmailVerified, token: str) -> User:
    """Mark the address a verification link was mailed to as verified (again: no change)."""
    user = account_tokens.user_of_verification_token(token)
    if not user.email_verified:
        _verified(user, verified)
    uow.commit()
    return user


def request_email_change(users: UserRepository, uow: UnitOfWork, quota: MailQuota, user: User,
                         new_email: object, password: str) -> None:
    """Mail the new address a link; the account keeps its email until that link is opened."""
    if not verify_and_update_password(password, user):
        raise ValidationFailed("The password is wrong.", errors={"password": ["Wrong password."]})
    new_email = normalize_email(new_email, field="newEmail")
    if new_email == user.email:
        raise ValidationFailed("This is already your address.", errors={"newEmail": ["Already yours."]})
    if users.by_email(new_email) is not None:  # what registration with it would say, no more
        raise Conflict("A user with this email already exists.", errors={"newEmail": [TAKEN]})
    if quota.allows("change", new_email):
        mails.queue("change", new_email, account_tokens.email_change_token(user, new_email))
    uow.commit()


def confirm_email_change(users: UserRepository, uow: UnitOfWork, verified: EmailVerified, token: str) -> User:
    user, new_email = account_tokens.email_change_of_token(token, users.by_uniquifier)
    user.email = new_email
    try:
        users.session.flush()
    except IntegrityError:  # registered by someone else since the link was mailed
        uow.rollback()
        raise Conflict("This address was registered meanwhile by another account.",
                       errors={"token": [TAKEN]}) from None
    _verified(user, verified)
    uow.commit()
    return user


def _verified(user: User, verified: EmailVerified) -> None:
    user.confirmed_at = datetime.now(UTC)
    verified(user.id, user.email)
