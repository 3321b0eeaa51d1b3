"""The site's payment providers and the payment methods shoppers may name.

Providers come from the ``commerce_payment_providers(site)`` hook; the site's
``[payments] methods`` table is the one list of the ``paymentMethod`` names shoppers may
send, each mapped to a provider name or to ``"offline"`` (paid outside any provider, e.g. a
bank transfer that staff marks paid): ``methods = {credit_card = "stripe",
bank_transfer = "offline"}``. A provider that no method names is still reachable by name
(its webhooks and refunds keep working).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kernel.domain.errors import NotFound, ValidationFailed
from kernel.domain.ports.payments import PaymentProvider
from kernel.site import SiteError

OFFLINE = "offline"  # a method paid outside any provider


class PaymentRegistry:
    def __init__(self, providers: Iterable[PaymentProvider], methods: Mapping[str, str], *, source: str = "site"):
        self._providers: dict[str, PaymentProvider] = {}
        for provider in providers:
            if not isinstance(provider, PaymentProvider):
                raise SiteError(f"{source}: the payment provider hook returned {provider!r}, not a PaymentProvider")
            if provider.name in self._providers:
                raise SiteError(f"{source}: two enabled plugins provide a payment provider named {provider.name!r}")
            self._providers[provider.name] = provider
        for method, name in methods.items():
            if name != OFFLINE and name not in self._providers:
                offered = ", ".join(sorted(self._providers)) or "none"
                raise SiteError(f"{source}: [payments] methods.{method} = {name!r}: no enabled plugin provides "
                                f"that payment provider (enabled providers: {offered})")
        self.methods: dict[str, str] = dict(methods)

    @classmethod
    def from_site(cls, site, pm) -> PaymentRegistry:
        providers = [provider for offered in pm.hook.commerce_payment_providers(site=site) for provider in offered]
        methods = site.sections["payments"]["methods"]
        through = next((name for name in methods.values() if name != OFFLINE), None)
        if site.production and through and not site.sections["site"]["public_url"]:
            raise SiteError(f"{site.source}: [site] public_url: a production site that takes payments through "
                            f"{through} needs the shop's public address for the provider's return and webhook URLs")
        return cls(providers, methods, source=site.source)

    def provider(self, name: str) -> PaymentProvider:
        """The provider called ``name``; :class:`NotFound` when the site has none by that name."""
        try:
            return self._providers[name]
        except KeyError:
            raise NotFound(f"This site has no payment provider {name!r}") from None

    def check_method(self, method: str) -> None:
        """422 naming ``paymentMethod`` when the site does not offer ``method``."""
        if method not in self.methods:
            offered = ", ".join(sorted(self.methods)) or "none"
            message = f"This site does not offer the payment method {method!r} (offered: {offered})"
            raise ValidationFailed(message, errors={"paymentMethod": [message]})

    def provider_for_method(self, method: str) -> PaymentProvider:
        """The provider behind a shopper's ``paymentMethod``; 422 naming the field when the site
        does not offer it or it is paid outside any provider."""
        self.check_method(method)
        if self.methods[method] == OFFLINE:
            message = f"The payment method {method!r} is paid outside any provider: the shop records the payment"
            raise ValidationFailed(message, errors={"paymentMethod": [message]})
        return self._providers[self.methods[method]]

    def __iter__(self):
        return iter(self._providers.values())
