"""The mailer port: send e-mail, written by hand or rendered from templates."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class MailMessage:
    """One message. ``text`` is required (every client can read it); ``html`` is the optional
    alternative. ``sender`` defaults to the site's ``[mail] sender``. A ``Message-ID`` in
    ``headers`` replaces the generated one (keep it stable when a mail may be sent again)."""

    to: tuple[str, ...]
    subject: str
    text: str
    html: str | None = None
    sender: str | None = None
    reply_to: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class Mailer(ABC):
    @abstractmethod
    def send(self, message: MailMessage) -> None:
        """Deliver ``message`` now (raises when the mail server refuses it). Send from a job,
        not from a request: ``commerce().jobs.enqueue("mail.send", ...)``."""

    @abstractmethod
    def render(self, template: str, *, to: list[str] | tuple[str, ...], subject: str,
               context: dict[str, Any]) -> MailMessage:
        """Build a message from ``mail/<template>.txt`` and, when it exists, ``mail/<template>.html``;
        ``subject`` is itself a template rendered with ``context``."""

    def send_template(self, template: str, *, to: list[str] | tuple[str, ...], subject: str,
                      context: dict[str, Any]) -> MailMessage:
        message = self.render(template, to=to, subject=subject, context=context)
        self.send(message)
        return message
