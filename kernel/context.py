"""The running site's services, reachable from a request, a job or a CLI command.

``create_app`` is the composition root: it builds one :class:`Commerce` per site, with every
service typed, and keeps it in ``app.extensions["commerce"]``. Use cases receive what they
need from here; the catalog and cart ports come from the plugins that provide them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pluggy
from flask import current_app
from flask_limiter import Limiter
from huey.api import Huey

from kernel.domain.ports.accounts import Accounts
from kernel.domain.ports.cache import CachePort
from kernel.domain.ports.cart import CartPort
from kernel.domain.ports.catalog import CatalogPort
from kernel.domain.ports.jobs import JobQueue
from kernel.domain.ports.mailer import Mailer
from kernel.domain.pricing import PricingPipeline
from kernel.events.log import EventLog
from kernel.identity.accounts import SqlAccounts
from kernel.identity.wiring import IdentityServices
from kernel.jobs import TaskSpec
from kernel.jobs.platform import JobsPlatform
from kernel.payment_registry import PaymentRegistry
from kernel.site import SiteConfig
from kernel.web.api import CommerceApi


@dataclass
class Commerce:
    site: SiteConfig
    pm: pluggy.PluginManager
    cache: CachePort
    jobs_platform: JobsPlatform
    payments: PaymentRegistry  # the site's providers, and the one behind each payment method
    identity: IdentityServices
    mailer: Mailer | None = None
    limiter: Limiter | None = None  # set by create_app once Flask is configured
    api: CommerceApi | None = None  # likewise: the OpenAPI document and its blueprints
    events: EventLog | None = None  # the outbox and the broadcast (None outside create_app)

    @property
    def jobs(self) -> JobQueue:
        return self.jobs_platform.queue

    @property
    def huey(self) -> Huey:
        return self.jobs_platform.huey

    @property
    def tasks(self) -> dict[str, TaskSpec]:
        return self.jobs_platform.specs

    @cached_property
    def accounts(self) -> Accounts:
        """Customers' accounts as plugins may see them (verified email, saved addresses)."""
        return SqlAccounts()

    @cached_property
    def catalog(self) -> CatalogPort:
        return self._port("commerce_catalog_port", "catalog")

    @cached_property
    def cart(self) -> CartPort | None:
        """The cart port, or None on a site without a cart plugin (checkout from items only)."""
        return self.pm.hook.commerce_cart_port(site=self.site)

    @cached_property
    def pricing(self) -> PricingPipeline:
        """The site's pricing steps in stage order (none: a total is its subtotal)."""
        return PricingPipeline(step for steps in reversed(self.pm.hook.commerce_pricing_steps(site=self.site))
                               for step in steps)

    def _port(self, hook: str, what: str):
        port = getattr(self.pm.hook, hook)(site=self.site)
        if port is None:
            raise RuntimeError(f"site {self.site.name!r} has no plugin providing the {what} port")
        return port


def commerce() -> Commerce:
    """The current site's services (inside an app context)."""
    return current_app.extensions["commerce"]
