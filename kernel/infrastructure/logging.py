"""Loguru for everything: stdlib logging routed in, JSON lines when the site asks, a request id
on every line of a request (and of the jobs it starts)."""

from __future__ import annotations

import logging
import re
import sys
from contextvars import ContextVar

from loguru import logger

request_id: ContextVar[str] = ContextVar("request_id", default="-")

# Values that must never reach a log line, whatever logged them.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(\"?(?:password|secret|token|access_token|refresh_token|accessToken|refreshToken|authorization)\"?\s*[:=]\s*\"?)[^\s\",}]+"),
    re.compile(r"(eyJ[A-Za-z0-9_-]+\.)[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"),
]


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "[REDACTED]", text)
    return text


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
    record["message"] = redact(record["message"])


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
