"""Users and roles in the site's database (the Flask-SQLAlchemy session of the request or job)."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from kernel.identity.domain import BUILT_IN_ROLES, PermissionGrants
from kernel.identity.orm import Role, User
from kernel.infrastructure.db import db


class UserRepository:
    def __init__(self, grants: PermissionGrants, session=None):
        self.grants = grants
        self.session = session or db.session

    def get(self, user_id: uuid.UUID) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(sa.select(User).where(User.email == email))

    def by_uniquifier(self, uniquifier: str) -> User | None:
        return self.session.scalar(sa.select(User).where(User.fs_uniquifier == uniquifier))

    def add(self, user: User) -> None:
        self.session.add(user)
        self.session.flush()

    def page(self, page: int, page_size: int, email_contains: str | None = None) -> tuple[list[User], int]:
        query = sa.select(User)
        if email_contains:
            query = query.where(User.email.contains(email_contains.lower(), autoescape=True))
        total = self.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
        items = self.session.scalars(query.order_by(User.created_at, User.id)
                                     .offset((page - 1) * page_size).limit(page_size)).all()
        return list(items), total

    def role(self, name: str) -> Role | None:
        """The role named ``name``; the site's known roles are created on first use."""
        role = self.session.scalar(sa.select(Role).where(Role.name == name))
        if role is None and name in self.grants.roles:
            self.ensure_roles()
            role = self.session.scalar(sa.select(Role).where(Role.name == name))
        return role

    def ensure_roles(self) -> None:
        """Insert the known roles with their default permissions; rows that exist are kept
        (safe when several workers do it at once)."""
        rows = [{"id": uuid.uuid4(), "name": name, "description": BUILT_IN_ROLES.get(name),
                 "permissions": sorted(self.grants.defaults_for(name))} for name in self.grants.roles]
        dialect = {"postgresql": postgresql, "sqlite": sqlite}[self.session.get_bind().dialect.name]
        self.session.execute(dialect.insert(Role).values(rows).on_conflict_do_nothing(index_elements=["name"]))
