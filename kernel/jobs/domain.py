"""The rules of a job's life, in plain Python: its states, the retry back-off and how its
arguments are summarised for people."""

from __future__ import annotations

import json
from datetime import timedelta

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
RETRYING = "retrying"
STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED, RETRYING)
WAITING = (QUEUED, RETRYING)  # a worker may claim a job in these states

MAX_RETRY_DELAY = timedelta(hours=1)
SUMMARY_LENGTH = 120


def retry_delay(attempt: int, base_seconds: int) -> timedelta:
    """Wait before the retry that follows failed attempt ``attempt`` (1-based): doubling, capped."""
    return min(timedelta(seconds=base_seconds * 2 ** (attempt - 1)), MAX_RETRY_DELAY)


def should_retry(attempts: int, max_attempts: int) -> bool:
    return attempts < max_attempts


def arguments_summary(args: list, kwargs: dict) -> str:
    """A short one-line rendering of a job's arguments for lists and dashboards."""
    parts = [json.dumps(value, default=str) for value in args]
    parts += [f"{key}={json.dumps(value, default=str)}" for key, value in kwargs.items()]
    text = ", ".join(parts)
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"
