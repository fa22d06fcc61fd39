"""This module contains `companion residents` (export a resident's data, erase a resident) and
`companion retention run` (remove old message texts now).

An export writes two files beside each other, the JSON and the summary in plain words
(PATH.json and PATH.txt), readable by their owner only: they hold everything about a person.
Erasing cannot be undone, so it asks for `--yes`.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from bot.cli_support import with_services
from bot.services.bundle import Services
from bot.services.privacy import SAFEGUARDING_KEPT, Erasure, ResidentExport
from bot.services.retention import RetentionRun


@click.group("residents")
def residents_group() -> None:
    """A resident's data: export it, or erase it."""


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    path.chmod(0o600)


@residents_group.command("export")
@click.argument("resident_id", type=click.IntRange(min=1))
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write PATH.json and PATH.txt (default: resident-ID-data in this folder).",
)
def residents_export(resident_id: int, target: Path | None) -> None:
    """Export everything held about resident RESIDENT_ID, as JSON and as a summary."""

    async def export(services: Services) -> ResidentExport:
        return await services.privacy.export_from_shell(resident_id)

    found = with_services(export)
    base = target if target is not None else Path(found.filename)
    base = base.with_suffix("") if base.suffix in (".json", ".txt") else base
    json_path, text_path = Path(f"{base}.json"), Path(f"{base}.txt")
    _write_private(json_path, found.as_json())
    _write_private(text_path, found.summary_text())
    click.echo(f"Resident {resident_id}'s data written to {json_path} and {text_path}.")
    click.echo("They hold personal data: give them only to the resident, and delete them after.")


@residents_group.command("erase")
@click.argument("resident_id", type=click.IntRange(min=1))
@click.option("--yes", is_flag=True, help="Yes, erase them: this cannot be undone.")
def residents_erase(resident_id: int, yes: bool) -> None:
    """Erase resident RESIDENT_ID's personal data, keeping the programme's figures."""
    if not yes:
        raise click.UsageError(
            "Erasing cannot be undone. Export their data first if they asked for it, then run "
            f"again with --yes: companion residents erase {resident_id} --yes"
        )

    async def erase(services: Services) -> Erasure:
        return await services.privacy.erase_from_shell(resident_id)

    done = with_services(erase)
    click.echo(f"Resident {resident_id} erased; they are now '{done.name}'. Removed:")
    for what, count in done.removed.items():
        click.echo(f"  {what}: {count}")
    click.echo(SAFEGUARDING_KEPT)


@click.group("retention")
def retention_group() -> None:
    """Old message texts: the daily job that removes them."""


@retention_group.command("run")
def retention_run() -> None:
    """Remove message texts older than COMPANION_RETENTION_MONTHS now."""

    async def run(services: Services) -> RetentionRun:
        return await services.retention.run()

    done = with_services(run)
    texts = "text" if done.removed == 1 else "texts"
    click.echo(
        f"Removed {done.removed} message {texts} older than {done.months} months "
        f"(written before {done.cutoff:%d %b %Y %H:%M} UTC)."
    )
