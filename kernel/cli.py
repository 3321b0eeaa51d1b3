"""The ``commerce`` command: ``commerce [--site PATH] COMMAND``.

Every command runs against one site (``--site``, else ``$COMMERCE_SITE``, else the demo
site). Plugins add their own commands through ``commerce_cli_commands``.
"""

from __future__ import annotations

import signal
import sys
from contextlib import nullcontext
from pathlib import Path

import click
from flask import Flask

from kernel import __version__
from kernel.site import SiteError


class SiteGroup(click.Group):
    """A group whose commands also include the site's app-level (plugin) commands."""

    def list_commands(self, ctx):
        try:
            extra = list(load_app(ctx.find_root()).cli.commands)
        except SiteError as exc:  # still list the kernel's commands, and say why the others are missing
            click.echo(f"Warning: {exc} (the site's plugin commands are not listed)", err=True)
            extra = []
        return sorted(set(super().list_commands(ctx)) | set(extra))

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is None:
            root = ctx.find_root()
            app = load_app(root)
            command = app.cli.get_command(ctx, name)
        return command


def load_app(ctx: click.Context) -> Flask:
    """The site's app, built once per command line."""
    ctx.ensure_object(dict)
    if "app" not in ctx.obj:
        from kernel.app import create_app

        ctx.obj["app"] = create_app(ctx.params.get("site"))
    return ctx.obj["app"]


class DatabaseNotMigrated(SiteError):
    def __init__(self):
        super().__init__("the database is not migrated: run `commerce db upgrade`")


def site_app(migrated: bool = True) -> Flask:
    """The site's app; with ``migrated`` (every command but the ones that set up the database)
    a database without the site's migrations stops the command with one line."""
    app = load_app(click.get_current_context().find_root())
    if migrated:
        from kernel.infrastructure.migrations import missing_tables

        if missing_tables(app):
            raise DatabaseNotMigrated()
    return app


@click.group(cls=SiteGroup)
@click.option("--site", "site", envvar="COMMERCE_SITE", type=click.Path(dir_okay=False),
              help="Site config (TOML). Default: $COMMERCE_SITE, else the demo site.")
@click.version_option(__version__, prog_name="commerce")
def cli(site):
    """Run and manage a commerce storefront site."""


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--jobs/--no-jobs", "run_jobs", default=True, show_default=True,
              help="Also run the site's jobs in this process (production runs `commerce worker` instead).")
def serve(host, port, run_jobs):
    """Serve the site with the development server (use gunicorn in production), with its jobs.

    Ctrl-C or SIGTERM stops it: the running jobs finish first."""
    from kernel.jobs.worker import jobs_in_process
    from kernel.web.compression import CompressedAnswers

    app = site_app()
    services = app.extensions["commerce"]
    app.wsgi_app = CompressedAnswers(app.wsgi_app)  # what nginx's gzip does in production
    click.echo(f"Serving site {services.site.name!r} on http://{host}:{port}  "
               f"(API docs: http://{host}:{port}/api/docs)")
    run_jobs = run_jobs and not services.huey.immediate
    if run_jobs:
        click.echo(f"running jobs in this process ({services.site.jobs['workers']} worker threads)", err=True)
    signal.signal(signal.SIGTERM, _stop_like_ctrl_c)
    with jobs_in_process(services.jobs_platform, services.site.jobs["workers"]) if run_jobs else nullcontext():
        app.run(host=host, port=port, debug=False, threaded=True, use_reloader=False)
    click.echo("stopped", err=True)


def _stop_like_ctrl_c(signum, frame):
    raise KeyboardInterrupt  # the development server stops on it, then the jobs finish


@cli.command()
@click.option("--workers", type=int, help="Worker threads (default: [jobs] workers).")
def worker(workers):
    """Run the site's background job consumer (Huey), the outbox sweeper and the periodic jobs.

    Start as many as you like: a periodic job is created once per due minute whichever
    worker gets there first, and a job whose worker dies is taken over after its lease."""
    from kernel.jobs.worker import run_worker

    app = site_app()
    services = app.extensions["commerce"]
    if services.huey.immediate:
        raise click.ClickException("[jobs] url is 'immediate': jobs run in the web process, no worker is needed")
    click.echo(f"worker for site {services.site.name!r}: {len(services.tasks)} task(s)", err=True)
    run_worker(services.jobs_platform, workers or services.site.jobs["workers"])


@cli.group()
def db():
    """Database migrations."""


@db.command()
def upgrade():
    """Apply the kernel's and the enabled plugins' migrations (every head)."""
    from kernel.infrastructure.migrations import upgrade_database

    upgrade_database(site_app(migrated=False))
    click.echo("database is up to date")


@db.command()
@click.argument("branch")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True, show_default=True)
def revision(branch, message, autogenerate):
    """Create a migration on BRANCH (``kernel`` or an enabled plugin's name).

    A plugin's first migration starts its branch, based on the kernel's current head."""
    from alembic.util import CommandError

    from kernel.infrastructure.migrations import new_revision

    app = site_app(migrated=False)
    with app.app_context():
        try:
            new_revision(app, branch, message, autogenerate)
        except (CommandError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None


@db.command()
def check():
    """Fail when the models and the database differ (a migration is missing)."""
    from kernel.infrastructure.migrations import pending_schema_changes

    app = site_app(migrated=False)
    with app.app_context():
        diff = pending_schema_changes(app)
    if diff:
        for change in diff:
            click.echo(f"  {change}")
        raise click.ClickException(f"{len(diff)} schema difference(s): write a migration")
    click.echo("models and database agree")


@cli.group()
def openapi():
    """The site's OpenAPI document (what /api/openapi.json serves)."""


def _openapi_json() -> str:
    import json

    app = site_app(migrated=False)
    with app.test_request_context():
        return json.dumps(app.extensions["commerce"].api.spec.to_dict(), indent=2, sort_keys=True) + "\n"


@openapi.command("print")
def openapi_print():
    """Print the document as JSON."""
    click.echo(_openapi_json(), nl=False)


@openapi.command("write")
@click.argument("output", type=click.File("w"))
def openapi_write(output):
    """Write the document as JSON to OUTPUT (a file, or - for standard output)."""
    output.write(_openapi_json())


@cli.group()
def docs():
    """Generated documentation."""


@docs.command("erd")
@click.option("--check", is_flag=True, help="Only compare: fail when docs/schema.md is stale.")
def erd(check):
    """Write docs/schema.md, the ER diagram of the kernel's and every built-in plugin's tables."""
    from kernel.tools.erd import main as erd_main

    sys.exit(erd_main(["--check"] if check else []))


@cli.group("plugins", invoke_without_command=True)
@click.option("--installed", is_flag=True, help="Every installed plugin and its manifest; needs no site.")
@click.pass_context
def plugins(ctx, installed):
    """Show the site's plugins, their versions and the hooks they implement."""
    if ctx.invoked_subcommand is not None:
        return
    if installed:
        return list_installed()
    from kernel.plugins import plugin_manifests

    app = site_app(migrated=False)
    pm = app.extensions["commerce"].pm
    site = app.extensions["commerce"].site
    click.echo(f"site {site.name} ({site.source}), kernel {__version__}")
    for manifest in plugin_manifests(pm):
        module = pm.get_plugin(manifest.name)
        hooks = sorted(impl.name for impl in pm.get_hookcallers(module) or [])
        click.echo(f"  {manifest.name} {manifest.version} (kernel {manifest.kernel})"
                   + (f", requires {', '.join(manifest.requires)}" if manifest.requires else ""))
        click.echo(f"      hooks: {', '.join(hooks) or 'none'}")


def list_installed() -> None:
    from kernel.plugins import discover
    from kernel.tools.plugin_kit import check_plugin

    click.echo(f"kernel {__version__}; installed plugins (entry-point group commerce.plugins):")
    for name in sorted(discover()):
        found = check_plugin(name)
        manifest = found.manifest
        about = (f"{manifest.version} (kernel {manifest.kernel}) {manifest.description}".rstrip()
                 if manifest else "; ".join(found.problems))
        click.echo(f"  {name:<12} {about}" + (f"  [{found.distribution}]" if found.distribution else ""))


@plugins.command("check")
@click.argument("name")
def check_plugin_command(name):
    """Check an installed plugin as a site would at start-up, without a site: its manifest,
    kernel range, required plugins, settings schema and hooks. Exits 1 on a problem."""
    from kernel.tools.plugin_kit import check_plugin, settings_summary

    found = check_plugin(name)
    if found.manifest is not None:
        manifest = found.manifest
        click.echo(f"{name} {manifest.version} from {found.distribution or 'an unknown distribution'}: "
                   f"kernel {manifest.kernel} (this is {__version__})")
        click.echo(f"  requires: {', '.join(manifest.requires) or 'no other plugin'}")
        for line in settings_summary(manifest) or ["none"]:
            click.echo(f"  setting: {line}")
        if found.hooks:
            click.echo(f"  hooks: {', '.join(found.hooks)}")
    for problem in found.problems:
        click.echo(f"  problem: {problem}", err=True)
    if found.problems:
        raise SystemExit(1)
    click.echo("ok: it can be enabled on a site")


@plugins.command("new")
@click.argument("kind", type=click.Choice(["payment"]))
@click.argument("name")
@click.option("--into", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The folder to write commerce-NAME/ in.")
def new_plugin_command(kind, name, into):
    """Start a plugin: write commerce-NAME/ with the documented layout, a provider talking to a
    local emulator of its API, the payment kit subclassed and a site-level test (run pytest in it)."""
    from kernel.tools.plugin_kit import new_plugin

    try:
        target = new_plugin(kind, name, into)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {target}/: cd {target} && pytest")


def main() -> None:
    try:
        cli.main(prog_name="commerce", standalone_mode=True)
    except SiteError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
