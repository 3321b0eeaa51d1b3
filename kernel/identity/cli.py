"""``commerce users ...``: account administration from the command line."""

from __future__ import annotations

import sys

import click

from kernel.domain.errors import DomainError


@click.group("users")
def users_cli():
    """User accounts."""


@users_cli.command("create-admin")
@click.argument("email")
def create_admin(email):
    """Create an admin account; the password is asked for (or read from stdin when piped)."""
    from kernel.cli import site_app
    from kernel.identity import services
    from kernel.identity.repository import UserRepository
    from kernel.infrastructure.db import SqlAlchemyUnitOfWork

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    app = site_app()
    with app.app_context():
        try:
            user = services.create_admin(UserRepository(app.extensions["commerce"].identity.grants),
                                         SqlAlchemyUnitOfWork(), email, password)
        except DomainError as exc:
            details = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.errors.items())
            raise click.ClickException(f"{exc.detail} {details}".strip()) from None
        click.echo(f"admin {user.email} created (id {user.id})")
