"""Loguru for everything: stdlib logging routed in, JSON lines when the site asks, a request id
on every line of a request (and of the jobs it starts)."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

from loguru import logger

request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Values that must never reach a log line, whatever logged them: bearer tokens, JWTs, the
# value after a secret-looking key (``password=``, ``"apiKey": "..."``, ``'secret_key': '...'``)
# and the password of a URL (``redis://:pw@host``).
_SECRET_KEY = r"\w*(?:password|passwd|secret|token|api_?key|authorization)\w*"
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(rf"(?i)([\"']?{_SECRET_KEY}[\"']?\s*[:=]\s*[\"']?)[^\s\"',;&}}]+"),
    re.compile(r"(eyJ[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"),
    re.compile(r"(://[^:/@\s]*:)[^@\s/]+(?=@)"),
]
# C0 and C1 controls and the Unicode line separators: a logged value holding one could end the
# line and write a forged one in the genuine format. Written as escapes (``\n``, ``\x1b``).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_secret_values: set[str] = set()
MIN_SECRET_LENGTH = 8  # shorter configured values are too likely to be ordinary words


def register_secrets(values) -> None:
    """Redact these exact values (a site's configured secrets) wherever they appear."""
    _secret_values.update(value for value in values if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH)


def redact(text: str) -> str:
    for value in _secret_values:
        text = text.replace(value, "[REDACTED]")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "[REDACTED]", text)
    return text


def escape_controls(text: str) -> str:
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class InterceptHandler(logging.Handler):
    """Send stdlib log records (Flask, werkzeug, SQLAlchemy, huey) to loguru."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            level = logger.level(record.levelname).name
        except ValueError:
            level = record.levelno
        logger.opt(depth=6, exception=record.exc_info).log(level, "{}", record.getMessage())


def _patch(record) -> None:
    record["extra"].setdefault("request_id", request_id.get())
    record["message"] = escape_controls(redact(record["message"]))


_configured: tuple | None = None


def configure_logging(level: str = "INFO", json: bool = False) -> None:
    """Configure the process's loguru sink once per distinct setting (idempotent)."""
    global _configured
    if _configured == (level, json):
        return
    _configured = (level, json)
    logger.remove()
    logger.configure(patcher=_patch)
    if json:
        logger.add(sys.stderr, level=level, serialize=True, backtrace=False, diagnose=False)
    else:
        logger.add(
            sys.stderr,
            level=level,
            backtrace=False,
            diagnose=False,
            format="<green>{time:HH:mm:ss.SSS}</green> <level>{level: <7}</level> [{extra[request_id]}] {message}",
        )
    logging.basicConfig(handlers=[InterceptHandler()], level=0, force=True)
    for noisy in ("werkzeug", "huey", "sqlalchemy.engine"):
        logging.getLogger(noisy).handlers = []
        logging.getLogger(noisy).propagate = True
