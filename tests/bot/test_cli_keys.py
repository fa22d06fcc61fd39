"""Tests of `companion keys` and of the data key at start: a new key, a rotation after which the
old key can go, a wrong key or a mistyped one told plainly, and the key file of a fresh clone."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.demo import seed_demo
from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.settings import Settings
from storage import identities, messages, sealing
from tests.bot.conftest import MovableClock

PAT_NUMBER = "+447700900123"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no .env from elsewhere; ./var/companion.db is the default
    for name in ("COMPANION_DATABASE", "COMPANION_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def runtime_with(tmp_path: Path, keys: str) -> Runtime:
    environ = {"COMPANION_DATABASE": str(tmp_path / "companion.db"), "COMPANION_DATA_KEY": keys}
    return Runtime.build(Settings.load(environ=environ, env_file=None), clock=MovableClock())


async def seed_pat(tmp_path: Path, keys: str) -> int:
    runtime = runtime_with(tmp_path, keys)
    await runtime.start(background=False)
    try:
        pat = (await seed_demo(runtime))["Pat"]
        async with runtime.db.write() as tx:
            await identities.add_identity(tx, "sms", PAT_NUMBER, resident_id=pat)
        return pat
    finally:
        await runtime.stop()


async def inbound_finds(tmp_path: Path, keys: str) -> int | None:
    """Whose an SMS from Pat's number is taken to be, with only `keys`."""
    runtime = runtime_with(tmp_path, keys)
    await runtime.start(background=False)
    try:
        handled = await runtime.pipeline.handle(
            InboundMessage("sms", PAT_NUMBER, "hello again", "SM-after")
        )
        async with runtime.db.read() as conn:
            message = await messages.get_message(conn, handled.message_id)
        assert message is not None and message.body == "hello again"
        return message.resident_id
    finally:
        await runtime.stop()


def test_keys_new_prints_a_fresh_key_each_time(runner: CliRunner) -> None:
    first, second = (runner.invoke(cli, ["keys", "new"]) for _ in range(2))
    assert first.exit_code == 0 and second.exit_code == 0
    assert sealing.check_key(first.output.strip()) != second.output.strip()


def test_rotation_reseals_everything_so_the_old_key_can_be_removed(
    runner: CliRunner, tmp_path: Path
) -> None:
    old, new = sealing.new_key(), sealing.new_key()
    pat = asyncio.run(seed_pat(tmp_path, old))
    env = {"COMPANION_DATABASE": str(tmp_path / "companion.db")}
    rotated = runner.invoke(
        cli, ["keys", "rotate"], env={**env, "COMPANION_DATA_KEY": f"{new},{old}"}
    )
    assert rotated.exit_code == 0, rotated.output
    assert "Resealed" in rotated.output and "can now be removed" in rotated.output
    assert int(rotated.output.split()[1]) > 20  # names, addresses, sessions, messages...
    # With the new key alone, everything opens and Pat's number still finds her.
    assert asyncio.run(inbound_finds(tmp_path, new)) == pat
    refused = runner.invoke(cli, ["migrate"], env={**env, "COMPANION_DATA_KEY": old})
    assert refused.exit_code == 1
    assert "COMPANION_DATA_KEY does not open the database" in refused.output


def test_rotating_without_a_key_set_says_how_to_start(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["keys", "rotate"])
    assert result.exit_code == 1
    assert "companion keys new" in result.output and "Traceback" not in result.output


def test_a_wrong_key_is_told_plainly_not_as_a_traceback(runner: CliRunner) -> None:
    made = runner.invoke(
        cli, ["tokens", "create", "laptop"], env={"COMPANION_DATA_KEY": sealing.new_key()}
    )
    assert made.exit_code == 0, made.output
    other = {"COMPANION_DATA_KEY": sealing.new_key()}
    for command in (["migrate"], ["backup", "copy.db"], ["tokens", "list"]):
        result = runner.invoke(cli, command, env=other)
        assert result.exit_code == 1, (command, result.output)
        assert "COMPANION_DATA_KEY does not open the database" in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_forgotten_data_key_is_not_mistaken_for_a_wrong_one(runner: CliRunner) -> None:
    key = sealing.new_key()
    assert runner.invoke(cli, ["migrate"], env={"COMPANION_DATA_KEY": key}).exit_code == 0
    result = runner.invoke(cli, ["tokens", "list"])
    assert result.exit_code == 1
    assert "COMPANION_DATA_KEY is not set" in result.output and "key file" in result.output
    assert key not in result.output


def test_a_mistyped_key_says_what_a_key_looks_like_and_never_shows_it(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["migrate"], env={"COMPANION_DATA_KEY": "my-secret-passphrase"})
    assert result.exit_code == 1
    assert "companion keys new" in result.output and "44" in result.output
    assert "my-secret-passphrase" not in result.output


def test_with_no_key_set_a_private_key_file_is_made_once_beside_the_database(
    runner: CliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    key_file = tmp_path / "var" / "companion.db.key"
    key = key_file.read_text()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert runner.invoke(cli, ["tokens", "create", "laptop"]).exit_code == 0
    assert key_file.read_text() == key  # used again, never replaced


def test_the_service_warns_at_start_when_no_data_key_is_set(
    caplog: pytest.LogCaptureFixture,
) -> None:
    Settings.load(environ={}, env_file=None).warn_about_defaults()
    assert "COMPANION_DATA_KEY is not set" in caplog.text
    caplog.clear()
    Settings.load(
        environ={"COMPANION_DATA_KEY": sealing.new_key()}, env_file=None
    ).warn_about_defaults()
    assert "COMPANION_DATA_KEY" not in caplog.text


def test_a_backup_stays_sealed(runner: CliRunner, tmp_path: Path) -> None:
    key = sealing.new_key()
    asyncio.run(seed_pat(tmp_path, key))
    env = {"COMPANION_DATABASE": str(tmp_path / "companion.db"), "COMPANION_DATA_KEY": key}
    result = runner.invoke(cli, ["backup", "copy.db"], env=env)
    assert result.exit_code == 0, result.output
    data = (tmp_path / "copy.db").read_bytes()
    for secret in ("Patricia Fuller", "Abby Clarke", PAT_NUMBER):
        assert secret.encode() not in data
