"""Identity's hook implementations (registered on every site)."""

from __future__ import annotations

from kernel.identity.domain import ADMIN, USERS_MANAGE
from kernel.plugins import hookimpl


@hookimpl
def commerce_tables():
    from kernel.identity.orm import TABLES

    return TABLES


@hookimpl
def commerce_blueprints(site):
    from kernel.identity.account_api import addresses_blp, auth_blp
    from kernel.identity.api import users_blp

    return [users_blp, auth_blp, addresses_blp]


@hookimpl
def commerce_cli_commands():
    from kernel.identity.cli import users_cli

    return [users_cli]


@hookimpl
def commerce_permissions():
    return {USERS_MANAGE: [ADMIN]}


@hookimpl
def commerce_app_created(app, site):
    from kernel.identity.ratelimits import init_login_throttle
    from kernel.identity.wiring import init_identity

    init_identity(app, site)
    init_login_throttle(app, site)
