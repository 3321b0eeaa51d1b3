"""Failed sign-ins limited per account, on top of the per-client route limit
(``[rate_limits] "POST /api/users/login"``), without letting strangers lock an owner out.

Each failure counts for the account and for the (client, account) pair. Once an account has
had ``login_per_account`` failures in the window, only the clients that failed on it
themselves are refused (429 with ``Retry-After``); a client that has not failed on it still
gets its password checked, so a correct password goes through (OWASP's advice against
lock-out as a weapon). A wrong one counts, and that client is refused in turn. The counters
live in the site's limiter storage (Redis in production); a storage outage lets sign-ins
through, as the limiter does.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.strategies import RateLimiter
from loguru import logger

from kernel.domain.errors import TooManyRequests
from kernel.infrastructure.ratelimit import limit_key_prefix
from kernel.site import SiteConfig

DEFAULT_PER_ACCOUNT = "5/minute"
DEFAULT_MAILS_PER_ACCOUNT = "3/hour"


class LoginThrottle:
    def __init__(self, strategy: RateLimiter, item: RateLimitItem, prefix: str, client: str):
        self._strategy, self._item, self._prefix, self._client = strategy, item, prefix, client

    def check(self, email: str) -> None:
        """Raise :class:`TooManyRequests` when this client may not try ``email`` now."""
        account, pair = self._keys(email)
        try:
            if self._strategy.test(self._item, *account):
                return
            reset, remaining = self._strategy.get_window_stats(self._item, *pair)
            if remaining == self._item.amount:  # this client has not failed on the account
                return
            reset = self._strategy.get_window_stats(self._item, *account)[0]
        except Exception as exc:  # noqa: BLE001 - the store is down: as the limiter, let it through
            logger.warning("sign-in throttle unavailable: {}", type(exc).__name__)
            return
        raise TooManyRequests("Too many failed sign-ins for this account from here; try again later.",
                              retry_after=max(int(reset - time.time()) + 1, 1))

    def failed(self, email: str) -> None:
        try:
            for identifiers in self._keys(email):
                self._strategy.hit(self._item, *identifiers)
        except Exception as exc:  # noqa: BLE001
            logger.warning("sign-in throttle unavailable: {}", type(exc).__name__)

    def _keys(self, email: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        account = email.strip().lower()[:255]
        return (self._prefix, "login-account", account), (self._prefix, "login-pair", self._client, account)


class MailQuota:
    """How many account mails (reset links, verification links) one address may be sent per window
    (``[rate_limits] mails_per_account``), whoever asks: a stranger cannot flood an inbox. Over
    the quota the mail is silently not sent, so the answer never tells whether the address exists.
    A storage outage lets the mail through, as the limiter does."""

    def __init__(self, strategy: RateLimiter, item: RateLimitItem, prefix: str):
        self._strategy, self._item, self._prefix = strategy, item, prefix

    def allows(self, kind: str, email: str) -> bool:
        try:
            return self._strategy.hit(self._item, self._prefix, f"mail-{kind}", email.strip().lower()[:255])
        except Exception as exc:  # noqa: BLE001
            logger.warning("mail quota unavailable: {}", type(exc).__name__)
            return True


def mail_quota() -> MailQuota:
    strategy, _item, prefix = current_app.extensions["commerce_login_throttle"]
    return MailQuota(strategy, current_app.extensions["commerce_mail_quota"], prefix)


def login_throttle() -> LoginThrottle:
    """The throttle for this request's client (its address, as the limiter sees it)."""
    strategy, item, prefix = current_app.extensions["commerce_login_throttle"]
    return LoginThrottle(strategy, item, prefix, request.remote_addr or "-")


def init_login_throttle(app: Flask, site: SiteConfig) -> None:
    limiter = app.extensions["commerce"].limiter
    item = parse(site.rate_limits.get("login_per_account", DEFAULT_PER_ACCOUNT))
    app.extensions["commerce_login_throttle"] = (limiter.limiter, item, limit_key_prefix(site))
    app.extensions["commerce_mail_quota"] = parse(site.rate_limits.get("mails_per_account", DEFAULT_MAILS_PER_ACCOUNT))
