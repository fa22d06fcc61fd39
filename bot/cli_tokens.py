"""This module contains `companion tokens`: make, list and revoke the JSON API's tokens.

A token made here is an admin token (it may also list and revoke tokens) unless `--role client`
is given; a client token may use every other route. A token is printed once and kept hashed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import click

from bot.cli_support import with_services
from bot.services.ids import parse_id
from bot.services.tokens import ROLES, ApiToken, Tokens

T = TypeVar("T")


def _with_tokens(use: Callable[[Tokens], Awaitable[T]]) -> T:
    return with_services(lambda services: use(services.tokens))


@click.group("tokens")
def tokens_group() -> None:
    """API tokens for the JSON API: create, list, revoke."""


@tokens_group.command("create")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="admin",
    show_default=True,
    help="admin: every route, including managing tokens; client: every other route.",
)
def tokens_create(name: str, role: str) -> None:
    """Create an API token called NAME; it is printed once and stored only as a hash."""
    made = _with_tokens(lambda tokens: tokens.create(name, role))
    click.echo(made.secret)


@tokens_group.command("list")
def tokens_list() -> None:
    """List tokens: id, name, role, when made, last used, and whether revoked."""
    found = _with_tokens(lambda tokens: tokens.list_tokens())
    if not found:
        click.echo("No API tokens yet: companion tokens create NAME")
        return
    click.echo(
        f"{'id':>4}  {'name':<20} {'role':<7} {'created (UTC)':<20} {'last used':<20} revoked"
    )
    for token in found:
        click.echo(_line(token))


@tokens_group.command("revoke")
@click.argument("token_id", metavar="ID")
def tokens_revoke(token_id: str) -> None:
    """Revoke the token with this ID (see `companion tokens list`); it stops working at once."""
    number = parse_id(token_id)
    if number is None:
        raise click.BadParameter(f"'{token_id}' is not a token id (digits 0-9).", param_hint="ID")
    revoked = _with_tokens(lambda tokens: tokens.revoke(number))
    click.echo(f"Token {revoked.id} ({revoked.name}) is revoked.")


def _line(token: ApiToken) -> str:
    return (
        f"{token.id:>4}  {token.name[:20]:<20} {token.role:<7} {_minute(token.created_at):<20} "
        f"{_minute(token.last_used_at):<20} {_minute(token.revoked_at) or 'no'}"
    )


def _minute(stamp: str | None) -> str:
    """A stored time to the minute, in UTC as stored ("2026-11-24 10:00")."""
    return stamp[:16].replace("T", " ") if stamp else ""
