"""Mail adapters behind the :class:`~kernel.domain.ports.mailer.Mailer` port.

``[mail] url`` chooses the transport:

- ``smtp://user:password@host:port?tls=starttls`` (``tls`` is ``starttls`` by default, or
  ``none``, or ``ssl``; ``smtps://`` means ``ssl``); user and password are percent-encoded;
- ``file://instance/mail`` (relative) or ``file:///var/mail/shop``: every message is written
  as an ``.eml`` file in that folder, for development.

Templates are looked up as ``mail/<name>.txt`` / ``mail/<name>.html`` through the app's
template folders (a plugin's blueprint ``template_folder`` included).
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound, select_autoescape
from loguru import logger

from kernel.domain.ports.mailer import Mailer, MailMessage

DEFAULT_URL = "file://instance/mail"
TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


class Transport(Protocol):
    def deliver(self, message: EmailMessage) -> None: ...


class SmtpTransport:
    def __init__(self, host: str, port: int, tls: str, username: str | None, password: str | None,
                 timeout: float):
        self.host, self.port, self.tls = host, port, tls
        self.username, self.password, self.timeout = username, password, timeout

    def deliver(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        if self.tls == "ssl":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.tls == "starttls":
                client.starttls(context=context)
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)

    def __repr__(self) -> str:  # never the password
        return f"SmtpTransport({self.host}:{self.port}, tls={self.tls}, user={self.username!r})"


class FolderTransport:
    def __init__(self, folder: Path):
        self.folder = folder

    def deliver(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        (self.folder / name).write_bytes(message.as_bytes())


def create_transport(url: str | None, timeout: float = 10) -> Transport:
    """Raises ValueError (one line, without the password) for a URL it cannot use."""
    url = url or DEFAULT_URL
    parts = urlsplit(url)
    if parts.scheme == "file":
        path = (parts.netloc + parts.path) if parts.netloc else parts.path
        if not path:
            raise ValueError("[mail] url: file:// needs a folder, e.g. file://instance/mail")
        return FolderTransport(Path(path))
    if parts.scheme in ("smtp", "smtps"):
        query = parse_qs(parts.query)
        tls = query.get("tls", ["ssl" if parts.scheme == "smtps" else "starttls"])[0]
        if tls not in TLS_MODES:
            raise ValueError(f"[mail] url: tls={tls!r} is not one of {', '.join(TLS_MODES)}")
        if not parts.hostname:
            raise ValueError("[mail] url: smtp:// needs a host, e.g. smtp://user:password@mail.example.com:587")
        try:
            port = parts.port or DEFAULT_PORTS[tls]
        except ValueError:
            raise ValueError("[mail] url: the port is not a number") from None
        return SmtpTransport(parts.hostname, port, tls, unquote(parts.username) if parts.username else None,
                             unquote(parts.password) if parts.password else None, timeout)
    raise ValueError(f"[mail] url: unsupported scheme {parts.scheme!r} (smtp://, smtps:// or file://)")


class TemplateMailer(Mailer):
    def __init__(self, transport: Transport, sender: str, loader: BaseLoader):
        self.transport = transport
        self.sender = sender
        self.environment = Environment(loader=loader, undefined=StrictUndefined, autoescape=select_autoescape(["html"]))
        self._subjects = Environment(undefined=StrictUndefined, autoescape=False)

    def render(self, template: str, *, to, subject: str, context: dict[str, Any]) -> MailMessage:
        text = self.environment.get_template(f"mail/{template}.txt").render(context)
        try:
            html = self.environment.get_template(f"mail/{template}.html").render(context)
        except TemplateNotFound:
            html = None
        subject = self._subjects.from_string(subject).render(context)
        return MailMessage(to=tuple(to), subject=" ".join(subject.split()), text=text, html=html)

    def send(self, message: MailMessage) -> None:
        self.transport.deliver(self._email(message))

    def _email(self, message: MailMessage) -> EmailMessage:
        if not message.to:
            raise ValueError("a message needs at least one recipient")
        email = EmailMessage()
        sender = message.sender or self.sender
        email["From"] = sender
        email["To"] = ", ".join(message.to)
        email["Subject"] = message.subject
        email["Date"] = format_datetime(datetime.now(UTC))
        email["Message-ID"] = message.headers.get("Message-ID") or make_msgid(domain=sender.rpartition("@")[2] or None)
        if message.reply_to:
            email["Reply-To"] = message.reply_to
        for name, value in message.headers.items():
            if name != "Message-ID":
                email[name] = value
        email.set_content(message.text)
        if message.html is not None:
            email.add_alternative(message.html, subtype="html")
        return email


def create_mailer(settings: dict, loader: BaseLoader) -> TemplateMailer:
    """The site's mailer from its ``[mail]`` section."""
    return TemplateMailer(create_transport(settings["url"], settings["timeout"]), settings["sender"], loader)


def mail_staff(mailer: Mailer, address: str | None, subject: str, text: str, *, setting: str) -> None:
    """A report for the site's staff: mailed to ``address``; only logged while ``setting`` is unset."""
    if address:
        mailer.send(MailMessage(to=(address,), subject=subject, text=text))
    else:
        logger.info("no {}: {!r} not mailed", setting, subject)
