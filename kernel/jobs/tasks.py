"""The kernel's own jobs: pruning old job records and sending mail after commit."""

from __future__ import annotations

from typing import Any

from loguru import logger

from kernel.context import commerce
from kernel.jobs import TaskSpec
from kernel.jobs.platform import jobs_platform
from kernel.jobs.services import JobMonitor

PRUNE_SCHEDULE = "17 3 * * *"  # daily, 03:17 UTC


def prune_job_runs() -> None:
    platform = jobs_platform()
    removed = JobMonitor(platform.repository, platform.dispatcher).prune(platform.settings["keep_days"])
    logger.info("pruned {} finished job record(s) older than {} days", removed, platform.settings["keep_days"])


def send_mail(to: list[str], template: str, subject: str, context: dict[str, Any] | None = None) -> None:
    """``commerce().jobs.enqueue("mail.send", [email], "orders/confirmation", "Order {{ number }}",
    {"number": ...})``: the mail leaves only if the caller's transaction commits."""
    commerce().mailer.send_template(template, to=to, subject=subject, context=context or {})


def kernel_tasks() -> list[TaskSpec]:
    return [
        TaskSpec("jobs.prune", prune_job_runs, schedule=PRUNE_SCHEDULE),
        TaskSpec("mail.send", send_mail),
    ]
