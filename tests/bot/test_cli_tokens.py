"""Tests of `companion tokens`: create (with a role), list and revoke, on a real database file,
and that a token revoked in the shell is refused by the API at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from bot.app import create_app
from bot.cli import cli
from bot.runtime import Runtime
from bot.settings import Settings


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # no .env from elsewhere; ./var/companion.db is the default
    for name in ("COMPANION_DATABASE", "TELEGRAM_BOT_TOKEN", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()


def invoke(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_tokens_are_listed_with_role_and_revoked_by_id(runner: CliRunner) -> None:
    assert "No API tokens yet" in invoke(runner, "tokens", "list")
    laptop = invoke(runner, "tokens", "create", "laptop").strip()
    invoke(runner, "tokens", "create", "phone app", "--role", "client")
    listed = invoke(runner, "tokens", "list").splitlines()
    assert len(listed) == 3 and laptop not in "\n".join(listed)
    assert listed[1].split()[:3] == ["1", "laptop", "admin"] and listed[1].endswith("no")
    assert listed[2].split()[:4] == ["2", "phone", "app", "client"]
    assert invoke(runner, "tokens", "revoke", "2") == "Token 2 (phone app) is revoked.\n"
    assert not invoke(runner, "tokens", "list").splitlines()[2].endswith("no")


@pytest.mark.parametrize("wrong", ["１", " 2", "+2", "2_0", "99999999999999999999999"])
def test_revoke_refuses_ids_in_other_forms(runner: CliRunner, wrong: str) -> None:
    invoke(runner, "tokens", "create", "laptop")
    result = runner.invoke(cli, ["tokens", "revoke", wrong])
    assert result.exit_code == 2 and "not a token id" in result.output


def test_revoking_a_token_that_does_not_exist_says_so(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["tokens", "revoke", "7"])
    assert result.exit_code == 1 and "There is no token 7." in result.output


def test_a_bad_role_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["tokens", "create", "x", "--role", "root"])
    assert result.exit_code == 2 and "root" in result.output


def test_a_token_revoked_in_the_shell_is_refused_by_the_running_api_at_once(
    runner: CliRunner, tmp_path: Path
) -> None:
    token = invoke(runner, "tokens", "create", "laptop").strip()
    settings = Settings.load(
        environ={"COMPANION_DATABASE": str(tmp_path / "var" / "companion.db")}, env_file=None
    )
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(Runtime.build(settings), background=False)) as client:
        assert client.get("/api/v1/residents", headers=headers).status_code == 200
        invoke(runner, "tokens", "revoke", "1")
        assert client.get("/api/v1/residents", headers=headers).status_code == 401
