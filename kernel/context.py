"""The running site's services, reachable from a request, a job or a CLI command.

``create_app`` is the composition root: it builds one :class:`Commerce` per site and keeps
it in ``app.extensions["commerce"]``. Use cases receive what they need from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pluggy
from flask import current_app

from kernel.domain.ports.cache import CachePort
from kernel.domain.ports.cart import CartPort
from kernel.domain.ports.catalog import CatalogPort
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.mailer import Mailer
from kernel.payments import PaymentRegistry
from kernel.site import SiteConfig


@dataclass
class Commerce:
    site: SiteConfig
    pm: pluggy.PluginManager
    cache: CachePort
    jobs: JobQueue
    huey: Any
    tasks: dict = field(default_factory=dict)
    mailer: Mailer | None = None
    events: Any = None  # kernel.events.log.EventLog

    @cached_property
    def catalog(self) -> CatalogPort:
        return self._port("commerce_catalog_port", "catalog")

    @cached_property
    def cart(self) -> CartPort:
        return self._port("commerce_cart_port", "cart")

    @cached_property
    def payments(self) -> PaymentRegistry:
        """The site's payment providers, and the one behind each payment method shoppers may name."""
        return PaymentRegistry.from_site(self.site, self.pm)

    def _port(self, hook: str, what: str):
        port = getattr(self.pm.hook, hook)(site=self.site)
        if port is None:
            raise RuntimeError(f"site {self.site.name!r} has no plugin providing the {what} port")
        return port


def commerce() -> Commerce:
    """The current site's services (inside an app context)."""
    return current_app.extensions["commerce"]
