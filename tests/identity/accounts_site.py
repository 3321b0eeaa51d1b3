"""A site on PostgreSQL and Redis whose mails land in a folder, and how a user reads them."""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask import Flask

PASSWORD = "SecurePassword123!"
NEW_PASSWORD = "an entirely new passphrase"
LINK = re.compile(r"(http://\S+/account/[a-z-]+)\?token=(\S+)")


@dataclass
class AccountsSite:
    app: Flask
    mail_folder: Path

    @property
    def client(self):
        return self.app.test_client()

    def mails(self, to: str | None = None) -> list[str]:
        if not self.mail_folder.exists():
            return []
        mails = [_readable(path.read_bytes()) for path in sorted(self.mail_folder.glob("*.eml"))]
        return [mail for mail in mails if to is None or f"To: {to}" in mail]

    def last_link(self, to: str) -> tuple[str, str]:
        """The page and the token of the newest account mail to ``to``."""
        page, token = LINK.findall(self.mails(to)[-1])[-1]
        return page, unquote(token)

    def register(self, email: str, password: str = PASSWORD, **headers):
        return self.client.post("/api/users/register", json={"email": email, "password": password}, headers=headers)

    def sign_in(self, email: str, password: str = PASSWORD) -> dict:
        answer = self.client.post("/api/users/login", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.json
        return {"Authorization": f"Bearer {answer.json['accessToken']}", "refresh": answer.json["refreshToken"]}

    def verified_customer(self, email: str | None = None) -> dict:
        email = email or f"shopper-{uuid.uuid4().hex[:8]}@example.com"
        assert self.register(email).status_code == 201
        assert self.client.post("/api/auth/email/verify", json={"token": self.last_link(email)[1]}).status_code == 200
        return bearer(self.sign_in(email))


def _readable(raw: bytes) -> str:
    """The headers and the decoded text, as a mail client shows them."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = "".join(f"{name}: {value}\n" for name, value in message.items())
    return headers + "\n" + message.get_body(("plain",)).get_content()


def bearer(signed_in: dict) -> dict:
    return {"Authorization": signed_in["Authorization"]}


def problem_fields(answer) -> set[str]:
    assert answer.mimetype == "application/problem+json", answer.data
    return set(answer.json.get("errors", {}))


@pytest.fixture
def make_accounts_site(make_app, redis_server_url, tmp_path):
    """``make_accounts_site(plugins=(), settings=None)``: limits, token revocations and mail quotas
    on Redis, the database on PostgreSQL."""

    def factory(plugins=(), settings=None) -> AccountsSite:
        folder = tmp_path / f"mail-{uuid.uuid4().hex[:6]}"
        app = make_app(list(plugins), backend="postgres", settings=settings, mail={"url": f"file://{folder}"},
                       rate_limits={"storage_url": redis_server_url})
        return AccountsSite(app, folder)

    return factory
