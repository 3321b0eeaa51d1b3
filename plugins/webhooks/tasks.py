"""The webhook jobs: fan an outbox batch out to deliveries, deliver one, tell staff of a disabled endpoint."""

from __future__ import annotations

import uuid

from loguru import logger

from kernel.context import commerce
from kernel.domain.ports.mailer import MailMessage
from kernel.jobs import TaskSpec
from plugins.webhooks import bootstrap
from plugins.webhooks.domain import RETRIES, RETRY_DELAY_SECONDS


def fan_out(events: list[dict]) -> None:
    bootstrap.delivery().fan_out(events)


def deliver(delivery_id: str) -> None:
    bootstrap.delivery().deliver(uuid.UUID(delivery_id))


def mail_disabled(endpoint_id: str) -> None:
    endpoint = bootstrap.endpoints().get(uuid.UUID(endpoint_id))
    to = bootstrap.settings()["staff_email"]
    subject = f"Webhook endpoint disabled: {endpoint['url']}"
    if not to:
        logger.warning("no [plugins.webhooks] staff_email: {!r} not mailed", subject)
        return
    text = (f"The webhook endpoint {endpoint['url']} was disabled: {endpoint['disabled_reason']}.\n\n"
            "Its receiver did not answer with a 2xx. Once it is fixed, enable the endpoint again "
            f"(PATCH /api/admin/webhooks/{endpoint_id} with enabled: true) and replay what it missed.\n")
    # one Message-ID per disabling: a retried job's second copy is recognisable as the same mail
    message_id = f"<webhook-disabled-{endpoint_id}-{endpoint['consecutive_failures']}@commerce>"
    commerce().mailer.send(MailMessage(to=(to,), subject=subject, text=text, headers={"Message-ID": message_id}))


def webhook_tasks() -> list[TaskSpec]:
    return [
        TaskSpec("webhooks.fan_out", fan_out),
        TaskSpec("webhooks.deliver", deliver, retries=RETRIES, retry_delay=RETRY_DELAY_SECONDS),
        TaskSpec("webhooks.mail_disabled", mail_disabled),
    ]
