"""This module contains the `companion` command line."""

from __future__ import annotations

import click

from bot import logs
from bot.cli_flows import flows_group
from bot.cli_keys import keys_group
from bot.cli_residents import residents_group, retention_group
from bot.cli_service import backup_command, chat_command, migrate_command, run_command
from bot.cli_tokens import tokens_group
from bot.cli_users import users_group


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log more detail.")
def cli(verbose: bool) -> None:
    """Companion: check-ins, event nudges and digital buddies over SMS and Telegram."""
    logs.configure("debug" if verbose else "warning")


cli.add_command(flows_group)
for command in (
    run_command,
    migrate_command,
    backup_command,
    tokens_group,
    keys_group,
    users_group,
    chat_command,
    residents_group,
    retention_group,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="companion")
