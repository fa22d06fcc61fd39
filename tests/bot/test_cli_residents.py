"""Tests of `companion residents export|erase` and `companion retention run`: an export writes
Pat's data as JSON and as a summary, readable by its owner only; erasing needs --yes and then
leaves nothing of her; the retention run says how many texts it removed."""

from __future__ import annotations

import asyncio
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from dateutil.relativedelta import relativedelta

from bot.cli import cli
from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from storage import identities, messages
from tests.bot.conftest import MovableClock

PAT_NUMBER = "+447700900123"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPANION_DATABASE", raising=False)
    return CliRunner()


def seed(tmp_path: Path, *, old_text_at: datetime | None = None) -> int:
    """The demo programme in ./var/companion.db, Pat with a number; return Pat's id."""

    async def run() -> int:
        settings = Settings.load(
            environ={"COMPANION_DATABASE": str(tmp_path / "var" / "companion.db")}, env_file=None
        )
        clock = MovableClock(old_text_at or datetime.now(UTC))
        runtime = Runtime.build(settings, clock=clock)
        await runtime.start(background=False)
        try:
            pat = (await seed_demo(runtime))["Pat"]
            async with runtime.db.write() as tx:
                await identities.add_identity(tx, "sms", PAT_NUMBER, resident_id=pat)
                await messages.record_inbound(
                    tx,
                    channel="sms",
                    provider_id="SM-old",
                    address=PAT_NUMBER,
                    body="The bus was late again",
                    resident_id=pat,
                )
            return pat
        finally:
            await runtime.stop()

    return asyncio.run(run())


def test_an_export_writes_pats_data_for_her_eyes_only(runner: CliRunner, tmp_path: Path) -> None:
    pat = seed(tmp_path)
    result = runner.invoke(cli, ["residents", "export", str(pat), "--to", "out/pat.json"])
    assert result.exit_code == 0, result.output
    assert "out/pat.json and out/pat.txt" in result.output
    data = json.loads((tmp_path / "out" / "pat.json").read_text(encoding="utf-8"))
    assert data["resident"]["full_name"] == "Patricia Fuller"
    assert PAT_NUMBER in [c["address"] for c in data["channels"]]
    summary = (tmp_path / "out" / "pat.txt").read_text(encoding="utf-8")
    assert "How we reach you" in summary and "The bus was late again" in summary
    for written in ("pat.json", "pat.txt"):
        assert stat.S_IMODE((tmp_path / "out" / written).stat().st_mode) == 0o600

    missing = runner.invoke(cli, ["residents", "export", "999"])
    assert missing.exit_code == 1 and "There is no resident 999." in missing.output


def test_erasing_needs_yes_and_then_leaves_nothing_of_pat(
    runner: CliRunner, tmp_path: Path
) -> None:
    pat = seed(tmp_path)
    refused = runner.invoke(cli, ["residents", "erase", str(pat)])
    assert refused.exit_code == 2 and "--yes" in refused.output
    still = runner.invoke(cli, ["residents", "export", str(pat), "--to", "before"])
    assert still.exit_code == 0
    assert "Patricia" in (tmp_path / "before.json").read_text(encoding="utf-8")

    erased = runner.invoke(cli, ["residents", "erase", str(pat), "--yes"])
    assert erased.exit_code == 0, erased.output
    assert f"now 'Erased resident R{pat}'" in erased.output
    assert "message texts: 1" in erased.output and "safeguarding record is kept" in erased.output

    after = runner.invoke(cli, ["residents", "export", str(pat), "--to", "after"])
    assert after.exit_code == 0
    written = (tmp_path / "after.json").read_text(encoding="utf-8")
    written += (tmp_path / "after.txt").read_text(encoding="utf-8")
    for words in ("Pat ", "Patricia", "Fuller", PAT_NUMBER, "bus was late"):
        assert words not in written, words
    again = runner.invoke(cli, ["residents", "erase", str(pat), "--yes"])
    assert again.exit_code == 1 and "was erased already" in again.output


def test_retention_run_says_how_many_texts_it_removed(runner: CliRunner, tmp_path: Path) -> None:
    seed(tmp_path, old_text_at=datetime.now(UTC) - relativedelta(months=13))
    first = runner.invoke(cli, ["retention", "run"])
    assert first.exit_code == 0, first.output
    assert "Removed 1 message text older than 12 months" in first.output
    second = runner.invoke(cli, ["retention", "run"])
    assert "Removed 0 message texts" in second.output
