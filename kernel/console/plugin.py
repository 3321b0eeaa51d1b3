"""The console's hook implementations (always enabled)."""

from __future__ import annotations

from kernel.console.domain import CONSOLE_OPEN
from kernel.plugins import hookimpl


@hookimpl
def commerce_blueprints(site):
    from kernel.console.api import blp

    return [blp]


@hookimpl
def commerce_permissions():
    return {CONSOLE_OPEN: ["staff"]}
