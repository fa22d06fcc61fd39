"""Tests for bot.settings: defaults, precedence, checking, the .env reader, secrets and the docs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import fields
from datetime import time
from pathlib import Path
from typing import get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import (
    BOOL,
    REGENERATE,
    SETTINGS,
    EnvFileError,
    Secret,
    Setting,
    Settings,
    SettingsError,
    UnknownSettingError,
    settings_reference,
)

TOKEN = "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
AUTH = "f3c1b2a9d8e7f6a5b4c3d2e1f0a9b8c7"
KEY = "correct-horse-battery-staple"
HOOK = "hook_secret-42"
DATA_KEY = "0Nx8rVs2YFQn6xH1o0Yk3qQb9fK2Yb3mJr7c1dG8eZk="
ALL_SECRETS = (TOKEN, AUTH, KEY, HOOK, DATA_KEY)

TWILIO = {
    "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
    "TWILIO_AUTH_TOKEN": AUTH,
    "TWILIO_FROM_NUMBER": "+447700900123",
}


def load(environ: dict[str, str], env_file: Path | None = None) -> Settings:
    # Always explicit, so neither the real environment nor a developer's .env leaks in.
    return Settings.load(environ=environ, env_file=env_file)


def write_env(tmp_path: Path, text: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_empty_environment_and_no_env_file_give_the_documented_defaults() -> None:
    settings = load({"COMPANION_SECRET_KEY": KEY})

    assert settings.database == Path("./var/companion.db")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.public_url == ""
    assert settings.secret_key == Secret(KEY)
    assert settings.timezone == "Europe/London"
    assert settings.zone.key == "Europe/London"
    assert settings.log_level == "info"
    assert (settings.quiet_start, settings.quiet_end) == (time(20, 0), time(9, 0))
    assert (settings.sms_per_second, settings.telegram_per_second) == (1.0, 25.0)
    assert not settings.telegram_bot_token
    assert not settings.telegram_webhook_secret
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.twilio_account_sid == ""
    assert not settings.twilio_auth_token
    assert (settings.twilio_from_number, settings.twilio_messaging_service_sid) == ("", "")
    assert settings.twilio_api_url == "https://api.twilio.com"


def test_a_missing_env_file_is_the_same_as_none(tmp_path: Path) -> None:
    environ = {"COMPANION_SECRET_KEY": KEY}
    assert load(environ, tmp_path / ".env") == load(environ)


def test_without_a_secret_key_a_random_one_is_made_for_the_run_and_a_warning_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        first, second = load({}), load({})
        assert caplog.records == []  # loading is quiet; the running service warns
        first.warn_about_defaults()

    assert first.secret_key_generated
    assert first.secret_key and second.secret_key
    assert first.secret_key != second.secret_key
    assert "COMPANION_SECRET_KEY is not set" in caplog.text
    assert "will not survive a restart" in caplog.text
    assert first.secret_key.reveal() not in caplog.text


def test_a_set_secret_key_logs_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.settings"):
        # A data key is set too: without one, the service warns about that (test_cli_keys).
        load({"COMPANION_SECRET_KEY": KEY, "COMPANION_DATA_KEY": DATA_KEY}).warn_about_defaults()
    assert caplog.records == []


def test_the_environment_beats_the_env_file_which_beats_the_defaults(tmp_path: Path) -> None:
    env_file = write_env(
        tmp_path,
        "COMPANION_PORT=9000\nCOMPANION_HOST=0.0.0.0\nCOMPANION_SECRET_KEY=from-file\n",
    )

    settings = load({"COMPANION_PORT": "9100", "COMPANION_SECRET_KEY": KEY}, env_file)

    assert settings.port == 9100  # environment
    assert settings.host == "0.0.0.0"  # .env
    assert settings.secret_key == Secret(KEY)  # environment
    assert settings.timezone == "Europe/London"  # default


def test_an_empty_value_counts_as_unset_even_over_the_env_file(tmp_path: Path) -> None:
    env_file = write_env(tmp_path, f"TELEGRAM_BOT_TOKEN={TOKEN}\nCOMPANION_PORT=\n")

    settings = load({"TELEGRAM_BOT_TOKEN": "", "COMPANION_SECRET_KEY": KEY}, env_file)

    assert settings.port == 8000
    assert not settings.telegram_enabled


def test_surrounding_spaces_are_ignored_and_values_are_normalised() -> None:
    settings = load(
        {
            "COMPANION_SECRET_KEY": f" {KEY}\n",
            "COMPANION_PORT": " 8080 ",
            "COMPANION_LOG_LEVEL": "WARNING",
            "COMPANION_QUIET_START": "9:30",
            "COMPANION_TELEGRAM_PER_SECOND": "0.5",
            "COMPANION_TIMEZONE": "America/New_York",
        }
    )

    assert settings.secret_key.reveal() == KEY
    assert settings.port == 8080
    assert settings.log_level == "warning"
    assert settings.quiet_start == time(9, 30)
    assert settings.telegram_per_second == 0.5
    assert settings.timezone == "America/New_York"


def test_a_database_path_starting_with_a_tilde_is_in_the_home_folder() -> None:
    settings = load({"COMPANION_SECRET_KEY": KEY, "COMPANION_DATABASE": "~/companion.db"})
    assert settings.database == Path.home() / "companion.db"


def test_the_public_url_loses_its_trailing_slash() -> None:
    settings = load(
        {"COMPANION_SECRET_KEY": KEY, "COMPANION_PUBLIC_URL": "https://companion.example.org/"}
    )
    assert settings.public_url == "https://companion.example.org"


def test_a_public_url_may_have_a_path_and_a_port() -> None:
    url = "http://localhost:8443/companion"
    assert load({"COMPANION_SECRET_KEY": KEY, "COMPANION_PUBLIC_URL": url + "/"}).public_url == url


PORT = "Not a valid port number (1 to 65535)."
URL = "Not a valid URL (http:// or https://, with no query or fragment)."
ZONE = "Not a valid time zone (an IANA name such as Europe/London)."
TIME = "Not a valid time (HH:MM, 24-hour clock)."
NUMBER = "Not a valid positive number."
LEVEL = "Not a valid log level (debug, info, warning, error or critical)."


@pytest.mark.parametrize(
    ("name", "value", "reason"),
    [
        ("COMPANION_PORT", "abc", PORT),
        ("COMPANION_PORT", "0", PORT),
        ("COMPANION_PORT", "65536", PORT),
        ("COMPANION_PORT", "80.0", PORT),
        ("COMPANION_PORT", "-1", PORT),
        ("COMPANION_PUBLIC_URL", "companion.example.org", URL),
        ("COMPANION_PUBLIC_URL", "ftp://companion.example.org", URL),
        ("COMPANION_PUBLIC_URL", "https://companion.example.org/?x=1", URL),
        ("COMPANION_PUBLIC_URL", "https://companion.example.org/#top", URL),
        ("COMPANION_PUBLIC_URL", "https://companion.example.org:99999", URL),
        ("TWILIO_API_URL", "http://", URL),
        ("COMPANION_TIMEZONE", "Mars/Olympus_Mons", ZONE),
        ("COMPANION_TIMEZONE", "Europe", ZONE),
        ("COMPANION_TIMEZONE", "../etc/passwd", ZONE),
        ("COMPANION_QUIET_START", "8pm", TIME),
        ("COMPANION_QUIET_END", "24:00", TIME),
        ("COMPANION_QUIET_END", "09:60", TIME),
        ("COMPANION_SMS_PER_SECOND", "fast", NUMBER),
        ("COMPANION_SMS_PER_SECOND", "0", NUMBER),
        ("COMPANION_TELEGRAM_PER_SECOND", "-5", NUMBER),
        ("COMPANION_TELEGRAM_PER_SECOND", "nan", NUMBER),
        ("COMPANION_TELEGRAM_PER_SECOND", "inf", NUMBER),
        ("COMPANION_LOG_LEVEL", "loud", LEVEL),
        ("COMPANION_DATABASE", "var/\x00.db", "Not a valid file path."),
    ],
)
def test_a_bad_value_names_the_setting_the_value_and_what_is_accepted(
    name: str, value: str, reason: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load({"COMPANION_SECRET_KEY": KEY, name: value})

    assert str(caught.value) == f"Setting '{name}' has value '{value}'. {reason}"
    assert (caught.value.name, caught.value.value, caught.value.reason) == (name, value, reason)


def test_a_secret_with_a_control_character_is_refused_without_showing_it() -> None:
    with pytest.raises(SettingsError) as caught:
        load({"COMPANION_SECRET_KEY": KEY, "TELEGRAM_BOT_TOKEN": f"{TOKEN}\n{TOKEN}"})

    assert str(caught.value) == (
        "Setting 'TELEGRAM_BOT_TOKEN' has value '**********'. "
        "Not a valid secret (printable characters only)."
    )
    assert isinstance(caught.value.value, Secret)
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value.__cause__)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("true", True), ("Yes", True), ("ON", True), ("1", True), ("false", False), ("no", False)],
)
def test_a_bool_setting_accepts_the_usual_words(text: str, expected: bool) -> None:
    assert Setting("COMPANION_EXAMPLE", "false", "An example.", BOOL).parse(text) is expected


def test_a_bool_setting_refuses_anything_else_with_a_starlette_style_message() -> None:
    setting = Setting("COMPANION_EXAMPLE", "false", "An example.", BOOL)
    with pytest.raises(SettingsError) as caught:
        setting.parse("maybe")
    assert str(caught.value) == (
        "Setting 'COMPANION_EXAMPLE' has value 'maybe'. "
        "Not a valid bool (true or false, yes or no, on or off, 1 or 0)."
    )


def test_secret_prints_as_stars_but_keeps_its_value() -> None:
    secret = Secret(TOKEN)

    assert str(secret) == "**********"
    assert repr(secret) == "'**********'"
    assert f"{secret}" == "**********"
    assert secret.reveal() == TOKEN
    assert secret == Secret(TOKEN)
    assert secret != Secret(AUTH)
    assert secret != TOKEN
    assert hash(secret) == hash(Secret(TOKEN))
    assert secret
    assert not Secret("")
    assert str(Secret("")) == ""  # an unset secret may say so: that leaks nothing


def test_secrets_never_appear_in_the_settings_repr_or_str() -> None:
    settings = load(
        {
            "COMPANION_SECRET_KEY": KEY,
            "COMPANION_DATA_KEY": DATA_KEY,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": HOOK,
            **TWILIO,
        }
    )

    for text in (repr(settings), str(settings)):
        assert "'**********'" in text
        for secret in ALL_SECRETS:
            assert secret not in text
    assert settings.telegram_bot_token.reveal() == TOKEN


def test_secrets_never_appear_in_unknown_name_or_env_file_errors(tmp_path: Path) -> None:
    with pytest.raises(UnknownSettingError) as unknown:
        load({"COMPANION_TELEGRAM_TOKEN": TOKEN})
    with pytest.raises(EnvFileError) as malformed:
        load({}, write_env(tmp_path, f"TWILIO_AUTH_TOKEN {AUTH}\n"))

    assert TOKEN not in str(unknown.value)
    assert str(unknown.value.value) == "**********"
    assert AUTH not in str(malformed.value)


def test_a_misspelt_companion_name_suggests_the_closest_setting() -> None:
    with pytest.raises(UnknownSettingError) as caught:
        load({"COMPANION_SECRET_KEY": KEY, "COMPANION_PROT": "8000"})

    assert str(caught.value) == (
        "Setting 'COMPANION_PROT' (from the environment) is not known. "
        "Did you mean 'COMPANION_PORT'? See bot/SETTINGS.md."
    )
    assert caught.value.suggestion == "COMPANION_PORT"
    assert isinstance(caught.value, SettingsError)


@pytest.mark.parametrize(
    ("misspelt", "suggestion"),
    [
        ("COMPANION_LOGLEVEL", "COMPANION_LOG_LEVEL"),
        ("COMPANION_SECRET", "COMPANION_SECRET_KEY"),
        ("COMPANION_DATABASE_PATH", "COMPANION_DATABASE"),
        ("COMPANION_TWILIO_AUTH_TOKEN", "TWILIO_AUTH_TOKEN"),
        ("COMPANION_QUIET_STARTS", "COMPANION_QUIET_START"),
        ("COMPANION_XYZZY", None),
    ],
)
def test_the_suggestion_is_the_setting_the_operator_meant(
    misspelt: str, suggestion: str | None
) -> None:
    with pytest.raises(UnknownSettingError) as caught:
        load({"COMPANION_SECRET_KEY": KEY, misspelt: "x"})
    assert caught.value.suggestion == suggestion


def test_a_misspelt_name_in_the_env_file_names_the_file_and_line(tmp_path: Path) -> None:
    env_file = write_env(tmp_path, "# local settings\nCOMPANION_TIMEZOEN=Europe/Paris\n")

    with pytest.raises(UnknownSettingError) as caught:
        load({"COMPANION_SECRET_KEY": KEY}, env_file)

    assert str(caught.value) == (
        f"Setting 'COMPANION_TIMEZOEN' (from {env_file}, line 2) is not known. "
        "Did you mean 'COMPANION_TIMEZONE'? See bot/SETTINGS.md."
    )


def test_names_without_the_companion_prefix_are_not_ours_to_check(tmp_path: Path) -> None:
    env_file = write_env(tmp_path, "DEBUG=1\nTWILIO_REGION=ie1\n")
    environ = {"COMPANION_SECRET_KEY": KEY, "PATH": "/usr/bin", "TELEGRAM_BOT_TOKN": "x"}

    assert load(environ, env_file).port == 8000


def test_the_env_file_accepts_comments_quotes_export_and_inline_comments(tmp_path: Path) -> None:
    env_file = write_env(
        tmp_path,
        "\ufeff# Companion on the community centre's server\n"
        "\n"
        "export COMPANION_HOST=0.0.0.0\n"
        "COMPANION_PORT = 9000   # behind the proxy\n"
        f"TELEGRAM_BOT_TOKEN='{TOKEN}'\n"
        'TWILIO_FROM_NUMBER="+447700900123"  # the office mobile\n'
        "COMPANION_SECRET_KEY=abc#def\n"
        "COMPANION_TIMEZONE=Europe/Paris\n"
        "COMPANION_TIMEZONE=Europe/Dublin\n",
    )

    settings = load({}, env_file)

    assert settings.host == "0.0.0.0"
    assert settings.port == 9000
    assert settings.telegram_bot_token.reveal() == TOKEN
    assert settings.twilio_from_number == "+447700900123"
    assert settings.secret_key.reveal() == "abc#def"
    assert settings.timezone == "Europe/Dublin"  # a later line wins


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        (
            "COMPANION_PORT 8000",
            "expected NAME=value, where NAME is letters, digits and underscores",
        ),
        (
            "COMPANION PORT=8000",
            "expected NAME=value, where NAME is letters, digits and underscores",
        ),
        ("=8000", "expected NAME=value, where NAME is letters, digits and underscores"),
        ("TELEGRAM_BOT_TOKEN='123:abc", "the quoted value has no closing quote"),
        ('TWILIO_FROM_NUMBER="+44" 7700', "there is text after the closing quote"),
    ],
)
def test_a_malformed_env_file_line_names_the_file_and_line(
    tmp_path: Path, line: str, problem: str
) -> None:
    env_file = write_env(tmp_path, f"# Companion\nCOMPANION_HOST=0.0.0.0\n{line}\n")

    with pytest.raises(EnvFileError) as caught:
        load({}, env_file)

    assert str(caught.value) == f"{env_file}, line 3: {problem}."
    assert (caught.value.path, caught.value.line) == (env_file, 3)


def test_an_env_file_that_cannot_be_read_is_a_settings_error(tmp_path: Path) -> None:
    with pytest.raises(EnvFileError) as caught:
        load({}, tmp_path)  # a folder, not a file

    assert str(caught.value).startswith(f"{tmp_path}: cannot be read (")
    assert caught.value.line is None


@pytest.mark.parametrize(
    ("environ", "sms", "telegram"),
    [
        (
            {},
            "off: TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set; "
            "set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID",
            "off: TELEGRAM_BOT_TOKEN is not set",
        ),
        (
            {"TWILIO_ACCOUNT_SID": TWILIO["TWILIO_ACCOUNT_SID"], "TWILIO_AUTH_TOKEN": AUTH},
            "off: set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID",
            "off: TELEGRAM_BOT_TOKEN is not set",
        ),
        (
            {**TWILIO, "TWILIO_AUTH_TOKEN": ""},
            "off: TWILIO_AUTH_TOKEN is not set",
            "off: TELEGRAM_BOT_TOKEN is not set",
        ),
        ({**TWILIO, "TELEGRAM_BOT_TOKEN": TOKEN}, "on", "on"),
        (
            {
                "TWILIO_ACCOUNT_SID": TWILIO["TWILIO_ACCOUNT_SID"],
                "TWILIO_AUTH_TOKEN": AUTH,
                "TWILIO_MESSAGING_SERVICE_SID": "MG0123456789abcdef0123456789abcdef",
            },
            "on",
            "off: TELEGRAM_BOT_TOKEN is not set",
        ),
    ],
)
def test_channel_status_says_on_or_what_to_set(
    environ: dict[str, str], sms: str, telegram: str
) -> None:
    settings = load({"COMPANION_SECRET_KEY": KEY, **environ})

    assert settings.channel_status() == {"sms": sms, "telegram": telegram, "webchat": "on"}
    assert settings.twilio_enabled is (sms == "on")
    assert settings.telegram_enabled is (telegram == "on")


def test_telegram_uses_a_webhook_only_when_there_is_a_public_url() -> None:
    polling = load({"COMPANION_SECRET_KEY": KEY, "TELEGRAM_BOT_TOKEN": TOKEN})
    webhook = load(
        {
            "COMPANION_SECRET_KEY": KEY,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "COMPANION_PUBLIC_URL": "https://companion.example.org",
        }
    )

    assert (polling.telegram_mode, webhook.telegram_mode) == ("polling", "webhook")


def test_the_settings_table_and_the_settings_class_list_the_same_things_in_order() -> None:
    derived = {"secret_key_generated"}  # worked out while loading, not a setting of its own
    names = [field.name for field in fields(Settings) if field.name not in derived]
    assert [setting.attribute for setting in SETTINGS] == names
    assert len({setting.name for setting in SETTINGS}) == len(SETTINGS)


def test_every_default_parses_to_the_type_its_attribute_declares() -> None:
    settings = load({"COMPANION_SECRET_KEY": KEY})
    hints = get_type_hints(Settings)

    for field in fields(Settings):
        assert isinstance(getattr(settings, field.name), hints[field.name]), field.name


def test_the_checked_in_settings_reference_is_what_the_table_generates() -> None:
    checked_in = (Path(__file__).parents[2] / "bot" / "SETTINGS.md").read_text(encoding="utf-8")
    assert checked_in == settings_reference(), f"bot/SETTINGS.md is out of date; run: {REGENERATE}"


def test_the_settings_reference_has_a_row_for_every_setting() -> None:
    reference = settings_reference()
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in reference


@given(st.text())
def test_any_port_text_loads_as_a_port_number_or_raises_a_settings_error(text: str) -> None:
    try:
        port = load({"COMPANION_SECRET_KEY": KEY, "COMPANION_PORT": text}).port
    except SettingsError:
        return
    assert 1 <= port <= 65535


# Each documented setting takes effect. The channel settings (TELEGRAM_*, TWILIO_*,
# COMPANION_PUBLIC_URL) are shown by tests/bot/channels/, against fake provider servers.


def test_companion_database_is_the_file_the_service_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from bot.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPANION_DATABASE", str(tmp_path / "elsewhere" / "programme.db"))
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "elsewhere" / "programme.db").is_file()
    assert not (tmp_path / "var").exists()


def test_companion_host_and_port_are_where_run_listens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from click.testing import CliRunner

    from bot.cli import cli

    monkeypatch.chdir(tmp_path)
    with socket.socket() as other:
        # Another program on 127.0.0.2 only: Companion must try that address, not 127.0.0.1.
        other.bind(("127.0.0.2", 0))
        other.listen()
        port = other.getsockname()[1]
        monkeypatch.setenv("COMPANION_HOST", "127.0.0.2")
        monkeypatch.setenv("COMPANION_PORT", str(port))
        result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 1
    assert f"port {port} on 127.0.0.2 is in use" in result.output


def test_the_per_second_settings_are_the_channels_send_rates(tmp_path: Path) -> None:
    from bot.runtime import Runtime

    settings = load(
        {
            "COMPANION_DATABASE": str(tmp_path / "c.db"),
            "COMPANION_SMS_PER_SECOND": "0.5",
            "COMPANION_TELEGRAM_PER_SECOND": "12",
        }
    )
    limiters = Runtime.build(settings).dispatcher.limiters
    assert limiters["sms"].interval == 2.0  # one text every two seconds
    assert limiters["telegram"].per_second == 12


def test_the_telegram_webhook_secret_is_the_one_set_or_one_derived_from_the_secret_key() -> None:
    derived = load({"COMPANION_SECRET_KEY": KEY}).telegram_secret_token
    assert derived == load({"COMPANION_SECRET_KEY": KEY}).telegram_secret_token
    assert derived != load({"COMPANION_SECRET_KEY": KEY + "!"}).telegram_secret_token
    assert KEY not in derived
    chosen = {"COMPANION_SECRET_KEY": KEY, "TELEGRAM_WEBHOOK_SECRET": HOOK}
    assert load(chosen).telegram_secret_token == HOOK


def _log_lines(
    capsys: pytest.CaptureFixture[str], level: str, run: Callable[[], None]
) -> list[str]:
    from bot import logs

    logs.configure(load({"COMPANION_LOG_LEVEL": level}).log_level)
    try:
        run()
    finally:
        logs.configure("info")
    return capsys.readouterr().err.splitlines()


def test_companion_log_level_sets_what_is_logged(capsys: pytest.CaptureFixture[str]) -> None:
    def say() -> None:
        logging.getLogger("bot.example").info("a routine event")
        logging.getLogger("bot.example").warning("something to look at")

    assert len(_log_lines(capsys, "info", say)) == 2
    warnings = _log_lines(capsys, "warning", say)
    assert len(warnings) == 1 and "something to look at" in warnings[0]


def _run_one_scheduler_job() -> None:
    import asyncio

    from apscheduler.events import EVENT_JOB_EXECUTED
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    async def main() -> None:
        done = asyncio.Event()

        async def sweep() -> None:
            pass

        scheduler = AsyncIOScheduler(timezone="UTC")
        # The listener is told after APScheduler has logged the run, so waiting for it is
        # enough to know whether the lines were written.
        scheduler.add_listener(lambda _: done.set(), EVENT_JOB_EXECUTED)
        scheduler.add_job(sweep)  # no trigger: runs once, now
        scheduler.start()
        try:
            await asyncio.wait_for(done.wait(), 30)
        finally:
            scheduler.shutdown(wait=False)

    asyncio.run(main())


def test_apschedulers_routine_lines_are_logged_only_at_debug(
    capsys: pytest.CaptureFixture[str],
) -> None:
    at_info = _log_lines(capsys, "info", _run_one_scheduler_job)
    assert not [line for line in at_info if "Running job" in line or "executed" in line]
    at_debug = _log_lines(capsys, "debug", _run_one_scheduler_job)
    assert any("Running job" in line for line in at_debug)
    assert any("executed successfully" in line for line in at_debug)
