"""The tokens mailed to a user, made and checked by Flask-Security-Too's serializers.

- reset: names the user's ``fs_uniquifier`` and a hash of the password hash; setting the new
  password rotates the uniquifier, so the token dies once used. A claim in the revocation store
  also makes it single-use when two requests race with it.
- verification: names the uniquifier and a hash of the email it was mailed to, so it verifies
  only that address.
- email change: as verification, plus the new address (Flask-Security's own layout).

Lifetimes: ``RESET_WITHIN``, ``VERIFY_WITHIN``, ``CHANGE_EMAIL_WITHIN``. Every refusal is a 422
problem naming ``token``.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_security.confirmable import confirm_email_token_status, generate_confirmation_token
from flask_security.recoverable import generate_reset_password_token, reset_password_token_status
from flask_security.utils import check_and_get_token_status, hash_data, verify_hash

from kernel.domain.errors import ValidationFailed
from kernel.identity.orm import User
from kernel.identity.revocation import RevocationStore

RESET_WITHIN = timedelta(hours=1)
VERIFY_WITHIN = timedelta(days=3)
CHANGE_EMAIL_WITHIN = timedelta(days=1)
EXPIRED = "This link has expired; ask for a new one."
INVALID = "This link is not valid, or was already used."


def security_config() -> dict:
    return {"SECURITY_RESET_PASSWORD_WITHIN": RESET_WITHIN, "SECURITY_CONFIRM_EMAIL_WITHIN": VERIFY_WITHIN,
            "SECURITY_CHANGE_EMAIL_WITHIN": CHANGE_EMAIL_WITHIN}


def _refuse(expired: bool) -> ValidationFailed:
    return ValidationFailed(EXPIRED if expired else INVALID, errors={"token": [EXPIRED if expired else INVALID]})


def reset_token(user: User) -> str:
    return generate_reset_password_token(user)


def user_of_reset_token(token: str) -> User:
    """The active user a valid reset token names (one whose password has not changed since)."""
    expired, invalid, user = reset_password_token_status(token)
    if expired or invalid or user is None or not user.active:
        raise _refuse(expired and not invalid)
    return user


def claim_reset_token(token: str, revocations: RevocationStore) -> None:
    """Use a reset token up: of two requests racing with it, one gets through."""
    digest = hashlib.sha256(token.encode()).hexdigest()[:40]
    if not revocations.claim(f"used:reset:{digest}", datetime.now(UTC) + RESET_WITHIN):
        raise _refuse(False)


def verification_token(user: User) -> str:
    return generate_confirmation_token(user)


def user_of_verification_token(token: str) -> User:
    expired, invalid, user = confirm_email_token_status(token)
    if expired or invalid or user is None:
        raise _refuse(expired and not invalid)
    return user


def email_change_token(user: User, new_email: str) -> str:
    serializer = current_app.extensions["security"].change_email_serializer
    return serializer.dumps([user.fs_uniquifier, hash_data(user.email), new_email])


def email_change_of_token(token: str, find_user) -> tuple[User, str]:
    """The user and the new address an email-change token names (``find_user(uniquifier)``); refused
    once the user's email changed since it was mailed."""
    expired, invalid, data = check_and_get_token_status(token, "change_email", CHANGE_EMAIL_WITHIN)
    if expired or invalid or not isinstance(data, list) or len(data) != 3:
        raise _refuse(expired and not invalid)
    uniquifier, email_hash, new_email = data
    user = find_user(uniquifier)
    if user is None or not verify_hash(email_hash, user.email):
        raise _refuse(False)
    return user, new_email
