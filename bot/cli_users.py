"""This module contains `companion users`: add admin accounts, set a password, list them.

A password is asked for twice at the prompt (never as an argument, where it would be kept in
the shell's history); `--password-stdin` reads it from a pipe instead, for scripts.
"""

from __future__ import annotations

import sys

import click

from bot.cli_support import with_services
from bot.services.accounts import ROLES
from bot.services.bundle import Services


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group("users")
def users_group() -> None:
    """Admin accounts: add one, set a password, list them."""


@users_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--name", "display_name", default=None, help="The name to show (default USERNAME).")
@click.option(
    "--catalyst",
    default=None,
    help="For a catalyst account: the catalyst it is for, by first name or id.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_add(
    username: str, role: str, display_name: str | None, catalyst: str | None, password_stdin: bool
) -> None:
    """Add an admin account called USERNAME; the password is asked for twice."""
    if role == "catalyst" and not catalyst:
        raise click.UsageError("A catalyst account needs --catalyst (their first name or id).")
    password = _password(password_stdin)

    async def add(services: Services) -> str:
        person_id = None
        if catalyst:
            found = [
                c
                for c in await services.catalysts.list_catalysts()
                if str(c.id) == catalyst or c.first_name.lower() == catalyst.lower()
            ]
            if len(found) != 1:
                raise click.ClickException(
                    f"There is no catalyst '{catalyst}' (give their first name or id)."
                )
            person_id = found[0].id
        made = await services.accounts.add(
            username, display_name or username, role, password, person_id=person_id, by="shell"
        )
        return made.username

    added = with_services(add)
    click.echo(f"Account {added} ({role}) added. Log in at /admin/login.")


@users_group.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_password(username: str, password_stdin: bool) -> None:
    """Set USERNAME's password; their logins in use end at once."""
    password = _password(password_stdin)
    done = with_services(lambda services: services.accounts.set_password(username, password))
    click.echo(f"Password for {done.username} set; their other logins have ended.")


@users_group.command("list")
def users_list() -> None:
    """List accounts: username, role, name, and whether switched off."""
    found = with_services(lambda services: services.accounts.list_accounts())
    if not found:
        click.echo("No accounts yet: companion users add USERNAME --role admin")
        return
    for account in found:
        state = "switched off" if account.disabled_at else ""
        click.echo(f"{account.username:<20} {account.role:<9} {account.display_name} {state}")
