"""Roles and permissions as plain Python: who may do what, by permission name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CUSTOMER, STAFF, ADMIN = "customer", "staff", "admin"
BUILT_IN_ROLES = {
    CUSTOMER: "A shopper; given at registration.",
    STAFF: "The merchant's people: catalog, orders and jobs.",
    ADMIN: "Everything, including users and roles.",
}
USERS_MANAGE = "users:manage"


@dataclass
class PermissionGrants:
    """Every permission the site's plugins declared, and the roles each is granted to by default.

    ``admin`` holds every permission, declared or not.
    """

    declared: set[str] = field(default_factory=set)
    by_role: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_declarations(cls, declarations: Iterable[list[str] | Mapping[str, list[str]] | None]) -> PermissionGrants:
        """Merge the ``commerce_permissions`` hook results (lists of names, or ``{name: [role, ...]}``)."""
        grants = cls()
        for declaration in declarations:
            if not declaration:
                continue
            items = declaration.items() if isinstance(declaration, Mapping) else ((name, ()) for name in declaration)
            for name, roles in items:
                grants.declared.add(name)
                for role in roles:
                    grants.by_role.setdefault(role, set()).add(name)
        return grants

    @property
    def roles(self) -> list[str]:
        """The built-in roles plus any role a plugin grants a permission to."""
        return list(dict.fromkeys([*BUILT_IN_ROLES, *self.by_role]))

    def defaults_for(self, role: str) -> set[str]:
        return set(self.declared) if role == ADMIN else set(self.by_role.get(role, ()))

    def allows(self, roles: Mapping[str, Iterable[str]], permission: str) -> bool:
        """Whether a user with ``roles`` (name -> permissions stored on the role) holds ``permission``."""
        return any(role == ADMIN or permission in self.defaults_for(role) or permission in stored
                   for role, stored in roles.items())
