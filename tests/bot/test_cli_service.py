"""Tests of the operator's commands: tokens, backup, migrate and chat, on real database files."""

from __future__ import annotations

import os
import socket
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no .env from elsewhere; ./var/companion.db is the default
    for name in ("COMPANION_DATABASE", "TELEGRAM_BOT_TOKEN", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def test_migrate_creates_the_default_database(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "var/companion.db is up to date." in result.output
    with closing(sqlite3.connect(tmp_path / "var" / "companion.db")) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 1


def test_a_token_is_printed_once_and_stored_only_as_a_hash(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(cli, ["tokens", "create", "laptop"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("cmp_") and len(token) > 40
    with closing(sqlite3.connect(tmp_path / "var" / "companion.db")) as db:
        stored = db.execute("SELECT name, token_hash FROM api_tokens").fetchall()
    assert stored[0][0] == "laptop" and token not in stored[0][1]


def test_backup_copies_the_database_and_refuses_to_overwrite_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(cli, ["tokens", "create", "laptop"])
    result = runner.invoke(cli, ["backup", "copies/monday.db"])
    assert result.exit_code == 0, result.output
    with closing(sqlite3.connect(tmp_path / "copies" / "monday.db")) as copy:
        assert copy.execute("SELECT COUNT(*) FROM api_tokens").fetchone()[0] == 1
    same = runner.invoke(cli, ["backup", "var/companion.db"])
    assert same.exit_code != 0 and "another file" in same.output


def test_chat_lets_someone_be_pat_and_get_a_check_in(runner: CliRunner) -> None:
    import asyncio

    from bot.cli_service import _seed
    from bot.settings import Settings

    asyncio.run(_seed(Settings.load(environ={}, env_file=None)))
    result = runner.invoke(cli, ["chat", "pat"], input="/checkin\n3\nno\n")
    assert result.exit_code == 0, result.output
    assert "bot> Hi Pat, it's Abby. How are you this week?" in result.output
    assert "Would you like me to give you a call?" in result.output
    assert "bot> That's OK. I'm here if you change your mind." in result.output


def test_chat_with_someone_unknown_says_how_to_get_the_demo(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["chat", "Nobody"])
    assert result.exit_code != 0
    assert "companion run --demo" in result.output


def test_a_bad_setting_is_explained_not_traced(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANION_PORT", "eighty")
    result = runner.invoke(cli, ["migrate"])
    assert result.exit_code != 0
    assert "Setting 'COMPANION_PORT' has value 'eighty'." in result.output
    assert "Traceback" not in result.output


def test_backup_is_owner_only_and_refuses_to_overwrite_a_file_without_force(
    runner: CliRunner, tmp_path: Path
) -> None:
    runner.invoke(cli, ["migrate"])
    assert runner.invoke(cli, ["backup", "monday.db"]).exit_code == 0
    assert stat.S_IMODE(os.stat(tmp_path / "monday.db").st_mode) == 0o600
    (tmp_path / "notes.txt").write_text("keep me")
    refused = runner.invoke(cli, ["backup", "notes.txt"])
    assert refused.exit_code == 1
    assert "notes.txt already exists" in refused.output and "--force" in refused.output
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    forced = runner.invoke(cli, ["backup", "notes.txt", "--force"])
    assert forced.exit_code == 0, forced.output
    with closing(sqlite3.connect(tmp_path / "notes.txt")) as copy:
        assert copy.execute("PRAGMA user_version").fetchone()[0] >= 1


@pytest.fixture
def port_in_use() -> Iterator[int]:
    """A port on 127.0.0.1 that another program is listening on."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


@pytest.mark.parametrize("options", [[], ["--demo"]])
def test_run_on_a_port_in_use_stops_at_once_without_touching_the_database(
    runner: CliRunner, tmp_path: Path, port_in_use: int, options: list[str]
) -> None:
    result = runner.invoke(cli, ["run", *options, "--port", str(port_in_use)])
    assert result.exit_code == 1
    assert (
        f"port {port_in_use} on 127.0.0.1 is in use: is Companion already running? Use --port"
        in result.output
    )
    assert not (tmp_path / "var").exists()


def test_run_takes_its_port_from_companion_port_when_not_given(
    runner: CliRunner, tmp_path: Path, port_in_use: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANION_PORT", str(port_in_use))
    result = runner.invoke(cli, ["run"])
    assert result.exit_code == 1 and f"port {port_in_use} on 127.0.0.1" in result.output
