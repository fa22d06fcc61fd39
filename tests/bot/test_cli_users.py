"""Tests of `companion users`: an account added in the shell logs in to the admin; a password
set in the shell ends that account's logins; and the demo's logins work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from bot.app import create_app
from bot.cli import cli
from bot.demo import demo_logins, seed_demo
from bot.runtime import Runtime
from bot.settings import Settings
from tests.admin.conftest import ORIGIN, AdminWorld
from tests.bot.conftest import MovableClock


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMPANION_DATABASE", raising=False)
    return CliRunner()


def invoke(runner: CliRunner, *args: str, stdin: str | None = None) -> str:
    result = runner.invoke(cli, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def world(tmp_path: Path) -> tuple[TestClient, Runtime]:
    settings = Settings.load(
        environ={"COMPANION_DATABASE": str(tmp_path / "var" / "companion.db")}, env_file=None
    )
    runtime = Runtime.build(settings, clock=MovableClock())
    return TestClient(create_app(runtime, background=False), base_url=ORIGIN), runtime


def test_an_admin_added_in_the_shell_logs_in(runner: CliRunner, tmp_path: Path) -> None:
    assert "No accounts yet" in invoke(runner, "users", "list")
    added = invoke(
        runner,
        "users",
        "add",
        "ada",
        "--role",
        "admin",
        "--name",
        "Ada Admin",
        stdin="a long admin password\na long admin password\n",
    )
    assert "Account ada (admin) added." in added
    assert "admin" in invoke(runner, "users", "list")
    client, runtime = world(tmp_path)
    with client:
        admin = AdminWorld(client, runtime, {}, MovableClock())
        assert admin.log_in("ada", "a long admin password").status_code == 303
        assert "Hello, Ada Admin" in admin.get("/admin/").text


def test_a_weak_password_or_missing_catalyst_is_refused_in_plain_words(
    runner: CliRunner,
) -> None:
    weak = runner.invoke(
        cli, ["users", "add", "sam", "--role", "staff", "--password-stdin"], input="short\n"
    )
    assert weak.exit_code == 1
    assert "A password needs at least 10 characters." in weak.output
    no_catalyst = runner.invoke(
        cli, ["users", "add", "abby", "--role", "catalyst", "--password-stdin"], input="x\n"
    )
    assert no_catalyst.exit_code == 2
    assert "needs --catalyst" in no_catalyst.output


def test_a_password_set_in_the_shell_ends_that_accounts_logins(
    runner: CliRunner, tmp_path: Path
) -> None:
    invoke(
        runner,
        "users",
        "add",
        "sam",
        "--role",
        "staff",
        "--password-stdin",
        stdin="first password here\n",
    )
    client, runtime = world(tmp_path)
    with client:
        admin = AdminWorld(client, runtime, {}, MovableClock())
        assert admin.log_in("sam", "first password here").status_code == 303
        invoke(runner, "users", "password", "sam", "--password-stdin", stdin="second password!\n")
        assert admin.get("/admin/").status_code == 303
        assert admin.log_in("sam", "first password here").status_code == 401
        assert admin.log_in("sam", "second password!").status_code == 303


def test_the_demo_has_a_login_for_each_role_with_new_passwords_each_run(tmp_path: Path) -> None:
    client, runtime = world(tmp_path)
    with client:
        assert client.portal is not None
        client.portal.call(seed_demo, runtime)
        first = client.portal.call(demo_logins, runtime)
        second = client.portal.call(demo_logins, runtime)
        assert {login.role for login in second} == {"admin", "staff", "catalyst"}
        admin = AdminWorld(client, runtime, {}, MovableClock())
        for old, new in zip(first, second, strict=True):
            assert re.fullmatch(r"[0-9a-f]{6}-[0-9a-f]{6}-[0-9a-f]{6}", new.password)
            assert admin.log_in(old.username, old.password).status_code == 401
            assert admin.log_in(new.username, new.password).status_code == 303
        assert "You look after 1 resident." in admin.get("/admin/").text  # abby, last
