"""The jobs platform's hook implementations (always enabled)."""

from __future__ import annotations

import click

from kernel.jobs.orm import job_runs
from kernel.plugins import hookimpl


@hookimpl
def commerce_tables():
    return [job_runs]


@hookimpl
def commerce_tasks(site):
    from kernel.jobs.tasks import kernel_tasks

    return kernel_tasks()


@hookimpl
def commerce_blueprints(site):
    from kernel.jobs.api import blp

    return [blp]


@hookimpl
def commerce_permissions():
    return {"jobs:read": ["staff"], "jobs:manage": ["staff"]}


@hookimpl
def commerce_cli_commands():
    return [jobs]


@click.group()
def jobs():
    """Background jobs: state counts, latest failures, sweeping the outbox."""


@jobs.command()
def status():
    """Show the number of jobs in each state and the latest failures."""
    from kernel.jobs.api import monitor

    with _app().app_context():
        overview = monitor().overview()
    click.echo("  ".join(f"{state}: {count}" for state, count in overview.counts.items()))
    for job in overview.latest_failures:
        click.echo(f"failed {job.id} {job.task} ({job.attempts}/{job.max_attempts}): {job.error}")


@jobs.command()
def sweep():
    """Relay due jobs left in the outbox and re-queue jobs whose worker died (what workers do on their own)."""
    from kernel.jobs.platform import jobs_platform

    with _app().app_context():
        report = jobs_platform().sweeper.sweep()
    click.echo(f"relayed {report.relayed}, recovered {report.recovered}, failed {report.failed}")


def _app():
    from kernel.cli import site_app

    return site_app()
