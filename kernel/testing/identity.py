"""Signed-in test users: create a user with a role in a site's database and mint its access token."""

from __future__ import annotations

import uuid
from functools import lru_cache

from flask import Flask
from flask_jwt_extended import create_access_token
from flask_security import hash_password

from kernel.identity.orm import User
from kernel.identity.repository import UserRepository
from kernel.infrastructure.db import db

TEST_PASSWORD = "correct horse battery staple"


class AuthHeaders(dict):
    """``{"Authorization": "Bearer ..."}``, usable as ``headers=``; also carries the user:
    ``.user_id`` (a UUID), ``.email``, ``.password`` and ``.headers`` (a plain dict copy)."""

    def __init__(self, token: str, user_id: uuid.UUID, email: str):
        super().__init__({"Authorization": f"Bearer {token}"})
        self.user_id = user_id
        self.email = email
        self.password = TEST_PASSWORD

    @property
    def headers(self) -> dict:
        return dict(self)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return hash_password(TEST_PASSWORD)  # hashed once per test run: argon2id is slow on purpose


def sign_in_test_user(app: Flask, role: str = "customer", email: str | None = None) -> AuthHeaders:
    email = (email or f"{role}-{uuid.uuid4().hex[:10]}@example.com").lower()
    with app.app_context():
        users = UserRepository(app.extensions["commerce"].identity.grants)
        found = users.role(role)
        if found is None:
            raise ValueError(f"no such role {role!r} on this site (known: {', '.join(users.grants.roles)})")
        user = User(email=email, password=_password_hash(), first_name="Test", last_name=role.title())
        user.roles.append(found)
        users.add(user)
        db.session.commit()
        token = create_access_token(identity=user.fs_uniquifier, additional_claims={"fam": uuid.uuid4().hex})
        return AuthHeaders(token, user.id, email)
