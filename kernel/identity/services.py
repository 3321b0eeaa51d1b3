"""Identity use cases: registration, sign-in, token refresh and revocation, profile, administration.

They take the user repository and the unit of work; HTTP and the CLI only translate.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol

from email_validator import EmailNotValidError, validate_email
from flask_security import hash_password, verify_and_update_password

from kernel.domain.errors import Conflict, NotFound, Unauthorized, ValidationFailed
from kernel.domain.ports.unit_of_work import UnitOfWork
from kernel.identity import account_tokens, mails, tokens
from kernel.identity.domain import ADMIN, CUSTOMER
from kernel.identity.lookalikes import lookalike_parts
from kernel.identity.orm import User
from kernel.identity.passwords import password_problems
from kernel.identity.repository import UserRepository

BAD_CREDENTIALS = "The email or password is wrong."
SignedIn = Callable[[uuid.UUID], None]


class LoginThrottle(Protocol):
    def check(self, email: str) -> None:
        """Raise :class:`kernel.domain.errors.TooManyRequests` when this client may not try now."""

    def failed(self, email: str) -> None:
        """Count a failed sign-in for the account and this client."""


def normalize_email(email: object, field: str = "email") -> str:
    if not isinstance(email, str) or not email.strip():
        raise ValidationFailed("An email address is required.", errors={field: ["Missing."]})
    try:
        valid = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed("The email address is not valid.", errors={field: [str(exc)]}) from None
    mixed = lookalike_parts(valid.local_part, valid.domain)
    if mixed:
        raise ValidationFailed("The email address mixes scripts, so it could pass for another.",
                               errors={field: [f"{mixed[0]!r} mixes letters of different scripts."]})
    return valid.normalized.lower()


def check_password(password: object, email: str | None, field: str = "password") -> str:
    problems = password_problems(password, email)
    if problems:
        raise ValidationFailed("The password is not acceptable.", errors={field: problems})
    return password


def create_user(users: UserRepository, *, email: str, password: str, role: str = CUSTOMER,
                first_name: str | None = None, last_name: str | None = None) -> User:
    """Validate and add a user holding ``role`` (not committed)."""
    email = normalize_email(email)
    check_password(password, email)
    if users.by_email(email) is not None:
        raise Conflict("A user with this email already exists.", errors={"email": ["Already registered."]})
    user = User(email=email, password=hash_password(password), first_name=first_name, last_name=last_name)
    user.roles.append(users.role(role))
    users.add(user)
    return user


def register(users: UserRepository, uow: UnitOfWork, signed_in: SignedIn, **fields) -> User:
    """A shopper signs up: a ``customer`` account, and a mail to verify its address."""
    user = create_user(users, role=CUSTOMER, **fields)
    signed_in(user.id)
    mails.queue("verify", user.email, account_tokens.verification_token(user))
    uow.commit()
    return user


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password(uuid.uuid4().hex)


def log_in(users: UserRepository, uow: UnitOfWork, signed_in: SignedIn, throttle: LoginThrottle, email: object,
           password: object) -> dict:
    """Tokens for the right email and password; one generic 401 otherwise (and the same work,
    so neither the answer nor its timing tells whether the email exists). ``throttle`` refuses
    clients that failed on the account too often, and counts each failure."""
    if not isinstance(email, str) or not isinstance(password, str) or not password:
        raise Unauthorized(BAD_CREDENTIALS)
    email = email.strip().lower()
    throttle.check(email)
    user = users.by_email(email)
    if user is None:
        verify_and_update_password(password, _Decoy())
        throttle.failed(email)
        raise Unauthorized(BAD_CREDENTIALS)
    if not verify_and_update_password(password, user) or not user.active:  # rehashes outdated hashes
        uow.rollback()
        throttle.failed(email)
        raise Unauthorized(BAD_CREDENTIALS)
    signed_in(user.id)
    issued = tokens.issue_tokens(user)
    uow.commit()
    return issued


class _Decoy:
    """Stands in for a missing user so a wrong email costs one password check too."""

    @property
    def password(self) -> str:
        return _decoy_hash()

    @password.setter
    def password(self, _value) -> None:  # a decoy is never rehashed
        pass


def refresh(refresh_token: object) -> dict:
    """Exchange a refresh token (once) for a new pair in the same family."""
    claims = tokens.decode_refresh_token(refresh_token)
    user = tokens.active_user(claims["sub"])
    if user is None:
        raise Unauthorized("The refresh token is invalid or expired.")
    tokens.consume_refresh_token(claims)
    return tokens.issue_tokens(user, family=claims["fam"])


def log_out(access_claims: dict, refresh_token: object = None) -> None:
    """Revoke the presented access token, its login family and a presented refresh token's family."""
    refresh_claims = tokens.decode_refresh_token(refresh_token) if refresh_token else None
    tokens.revoke_token(access_claims)
    tokens.revoke_family(access_claims["fam"])
    if refresh_claims and refresh_claims["sub"] == access_claims["sub"]:
        tokens.revoke_family(refresh_claims["fam"])


def update_profile(uow: UnitOfWork, user: User, changes: dict) -> User:
    for name in ("first_name", "last_name"):
        if name in changes:
            setattr(user, name, changes[name])
    uow.commit()
    return user


def change_password(users: UserRepository, uow: UnitOfWork, user: User, current: str, new: str) -> dict:
    """Set a new password, revoke every token of the user and give the caller a fresh pair."""
    if not verify_and_update_password(current, user):
        raise ValidationFailed("The current password is wrong.", errors={"currentPassword": ["Wrong password."]})
    check_password(new, user.email, field="newPassword")
    set_password(user, new)
    issued = tokens.issue_tokens(user)
    uow.commit()
    return issued


def set_password(user: User, password: str) -> None:
    """Store a new password and revoke every token of the user: access and refresh tokens, and
    reset links, all name the old ``fs_uniquifier``."""
    user.password = hash_password(password)
    user.fs_uniquifier = uuid.uuid4().hex


def get_user(users: UserRepository, user_id: uuid.UUID) -> User:
    user = users.get(user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


def grant_role(users: UserRepository, uow: UnitOfWork, user_id: uuid.UUID, role_name: str) -> User:
    user = get_user(users, user_id)
    role = users.role(role_name)
    if role is None:
        raise NotFound(f"No such role: {role_name}.")
    if role not in user.roles:
        user.roles.append(role)
    uow.commit()
    return user


def revoke_role(users: UserRepository, uow: UnitOfWork, acting: User, user_id: uuid.UUID, role_name: str) -> User:
    user = get_user(users, user_id)
    if user.id == acting.id and role_name == ADMIN:
        raise Conflict("An admin cannot take the admin role from themselves.")
    user.roles = [role for role in user.roles if role.name != role_name]
    uow.commit()
    return user


def set_active(users: UserRepository, uow: UnitOfWork, acting: User, user_id: uuid.UUID, active: bool) -> User:
    """Deactivating refuses the user's tokens at once; reactivating does not revive them."""
    user = get_user(users, user_id)
    if user.id == acting.id and not active:
        raise Conflict("An admin cannot deactivate themselves.")
    if user.active and not active:
        user.fs_uniquifier = uuid.uuid4().hex
    user.active = active
    uow.commit()
    return user


def create_admin(users: UserRepository, uow: UnitOfWork, email: str, password: str) -> User:
    user = create_user(users, email=email, password=password, role=ADMIN)
    uow.commit()
    return user
