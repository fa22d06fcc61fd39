"""This module contains `companion keys`: make a data key, and rotate to a new one.

Rotating: make a key (`companion keys new`), set COMPANION_DATA_KEY to the new key, a comma,
and the current key, restart the service, and run `companion keys rotate`. It reseals every
value with the new key and rewrites every lookup hash, a batch at a time so that the service
keeps running; afterwards the old key can be removed from COMPANION_DATA_KEY.
"""

from __future__ import annotations

import click

from bot.cli_service import load_settings, run_checked
from bot.data_key import key_file, key_ring
from storage import resealing, sealing
from storage.database import Database


@click.group("keys")
def keys_group() -> None:
    """Make and rotate the key personal data is encrypted with (COMPANION_DATA_KEY)."""


@keys_group.command("new")
def new_command() -> None:
    """Print a fresh data key (keep it safe: nothing sealed with it can be read without it)."""
    click.echo(sealing.new_key())


@keys_group.command("rotate")
def rotate_command() -> None:
    """Reseal everything with the first key in COMPANION_DATA_KEY; then the others can go."""
    settings = load_settings()
    if not settings.data_key:
        raise click.ClickException(
            "COMPANION_DATA_KEY is not set. Make a key with `companion keys new`, then set "
            "COMPANION_DATA_KEY to the new key, a comma, and the current one (the key file "
            f"{key_file(settings.database)} holds it), and run this again."
        )
    progress = resealing.Progress()

    async def rotate() -> None:
        nonlocal progress
        keys = key_ring(settings)
        async with Database(settings.database, keys) as db:
            with sealing.in_force(keys):
                progress = await resealing.reseal_all(db.write)

    run_checked(rotate(), settings)
    click.echo(
        f"Resealed {progress.values} values and rewrote {progress.hashes} lookup hashes with "
        "the first key in COMPANION_DATA_KEY. The other keys can now be removed from it."
    )
