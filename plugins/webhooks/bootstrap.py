"""Builds the webhook use cases from the running site (the plugin's composition root)."""

from __future__ import annotations

from functools import partial

from kernel.context import commerce
from kernel.infrastructure.db import SqlAlchemyUnitOfWork
from plugins.webhooks.domain import check_url
from plugins.webhooks.repository import SqlWebhookRepository
from plugins.webhooks.sender import SignedSender, resolve
from plugins.webhooks.services import Collaborators, WebhookDelivery, WebhookEndpoints


def settings() -> dict:
    return commerce().site.settings("webhooks")


def _collaborators() -> Collaborators:
    uow = SqlAlchemyUnitOfWork()
    url_rule = partial(check_url, resolve=resolve, allow_private=settings()["allow_private_addresses"])
    return Collaborators(uow=uow, repository=SqlWebhookRepository(uow.session), check_url=url_rule,
                         enqueue=commerce().jobs.enqueue)


def endpoints() -> WebhookEndpoints:
    return WebhookEndpoints(_collaborators())


def delivery() -> WebhookDelivery:
    collaborators = _collaborators()
    return WebhookDelivery(collaborators, SignedSender(collaborators.check_url, settings()["timeout_seconds"]),
                           settings()["disable_after_failures"])
