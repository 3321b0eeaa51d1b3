"""The password policy: long enough, not too long, not a common password, not the email."""

from __future__ import annotations

from functools import lru_cache

MIN_LENGTH = 10
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """zxcvbn's list of the 30,000 most common passwords (from real leaks)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problems(password: object, email: str | None = None) -> list[str]:
    """What is wrong with ``password`` (empty when it is acceptable)."""
    if not isinstance(password, str) or not password:
        return ["A password is required."]
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return ["This password is too common; choose another."]
    if email and lowered in {email.lower(), email.lower().split("@")[0]}:
        return ["The password must not be your email address."]
    return []
