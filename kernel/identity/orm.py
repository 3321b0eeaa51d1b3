"""Users, roles, saved addresses and revoked tokens as SQLAlchemy models (Flask-Security's datastore models).

Column names are the API's vocabulary (``password_hash``, ``is_active``); the Python
attribute names are the ones Flask-Security expects (``password``, ``active``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_security import RoleMixin, UserMixin
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kernel.infrastructure.db import Base, UtcDateTime, metadata

user_roles = sa.Table(
    "user_roles",
    metadata,
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role_id", sa.Uuid, sa.ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Role(Base, RoleMixin):
    __tablename__ = "roles"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(sa.String(50), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    # permissions granted to the role in this site's database, on top of the plugins' defaults
    permissions: Mapped[list] = mapped_column(sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                                              default=list)


class User(Base, UserMixin):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(sa.String(255), unique=True)
    password: Mapped[str] = mapped_column("password_hash", sa.Text)
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    active: Mapped[bool] = mapped_column("is_active", sa.Boolean, default=True, server_default=sa.true())
    # set when the owner opened a verification link mailed to ``email`` (Flask-Security's name)
    confirmed_at: Mapped[datetime | None] = mapped_column("email_verified_at", UtcDateTime())
    # the JWT subject: rotating it revokes every token of the user at once
    fs_uniquifier: Mapped[str] = mapped_column(sa.String(64), unique=True, default=lambda: uuid.uuid4().hex)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=sa.func.now())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=sa.func.now(),
                                                 onupdate=sa.func.now())
    # loaded when a permission check asks, not with every signed-in request
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="select", order_by=Role.name)

    @property
    def role_names(self) -> list[str]:
        return [role.name for role in self.roles]

    @property
    def email_verified(self) -> bool:
        return self.confirmed_at is not None


class UserAddress(Base):
    """An address of a user's address book: at most one default for shipping and one for billing
    per user, which the partial unique indexes hold even against concurrent writes."""

    __tablename__ = "user_addresses"
    __table_args__ = (
        sa.Index("uq_user_addresses_default_shipping", "user_id", unique=True,
                 postgresql_where=sa.text("is_default_shipping"), sqlite_where=sa.text("is_default_shipping")),
        sa.Index("uq_user_addresses_default_billing", "user_id", unique=True,
                 postgresql_where=sa.text("is_default_billing"), sqlite_where=sa.text("is_default_billing")),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(200))
    street: Mapped[str] = mapped_column(sa.String(200))
    street2: Mapped[str | None] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(100))
    state: Mapped[str | None] = mapped_column(sa.String(100))
    zip_code: Mapped[str] = mapped_column(sa.String(20))
    country: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(40))
    is_default_shipping: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    is_default_billing: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), server_default=sa.func.now())

    FIELDS = ("name", "street", "street2", "city", "state", "zip_code", "country", "phone")

    def postal(self) -> dict:
        """The address as checkout stores it (the lines that are set)."""
        return {name: getattr(self, name) for name in self.FIELDS if getattr(self, name) is not None}


revoked_tokens = sa.Table(
    "revoked_tokens",
    metadata,
    sa.Column("key", sa.String(80), primary_key=True),
    sa.Column("expires_at", UtcDateTime(), nullable=False, index=True),
    comment="Token revocations and used refresh tokens, for sites without Redis",
)

TABLES = [User.__table__, Role.__table__, user_roles, UserAddress.__table__, revoked_tokens]
