"""This module contains Settings, read from the environment, then a .env file, then defaults."""

# One file of about 500 lines: adding a setting means touching its row in SETTINGS, its attribute
# on Settings and perhaps its Kind, and all three are easier to keep in step when read together.
# Secret, the errors and the .env reader could move to their own modules if others need them.

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process, utils

logger = logging.getLogger(__name__)

REGENERATE = ".venv/bin/python -m bot.settings"
MASK = "**********"
PREFIX = "COMPANION_"


class Secret:
    """A string that prints as '**********', so it cannot leak into logs, errors or reprs."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __str__(self) -> str:
        # An empty secret prints as empty: saying that a secret is unset leaks nothing, and an
        # operator reading repr(settings) needs to see which credentials are missing.
        return MASK if self._value else ""

    def __repr__(self) -> str:
        return repr(str(self))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        # Constant time, because webhook handlers compare a caller's token with ours.
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


class SettingsError(ValueError):
    """A setting has a value we cannot use; `value` is a Secret whenever it might be one."""

    def __init__(self, name: str, value: str | Secret, reason: str, *, message: str = "") -> None:
        super().__init__(message or f"Setting '{name}' has value '{value}'. {reason}")
        self.name = name
        self.value = value
        self.reason = reason


class UnknownSettingError(SettingsError):
    """A COMPANION_ name that is not a setting: almost always a typo that would go unnoticed."""

    def __init__(self, name: str, value: str, source: str, suggestion: str | None) -> None:
        hint = f" Did you mean '{suggestion}'?" if suggestion else ""
        reason = f"Not a known setting.{hint} Every setting is listed in bot/SETTINGS.md."
        # The value is not shown: a misspelt name may well hold a token.
        message = f"Setting '{name}' ({source}) is not known.{hint} See bot/SETTINGS.md."
        super().__init__(name, Secret(value), reason, message=message)
        self.source = source
        self.suggestion = suggestion


class EnvFileError(SettingsError):
    """The .env file cannot be read or has a line that is not `NAME=value`."""

    def __init__(self, path: Path, line: int | None, problem: str) -> None:
        where = f"{path}, line {line}" if line else str(path)
        # The line's text is not shown: it may hold a token.
        super().__init__("", Secret(""), problem, message=f"{where}: {problem}.")
        self.path = path
        self.line = line


@dataclass(frozen=True, slots=True)
class Kind:
    """What a setting accepts; `accepts` ends the error "Not a valid …" and fills the docs."""

    name: str
    accepts: str
    parse: Callable[[str], object]  # raises ValueError for a value it does not accept


def _text(raw: str) -> str:
    return raw


def _name(raw: str) -> str:
    # It goes into texts residents read, so it must be short and plain.
    if len(raw) > 30 or not raw.isprintable():
        raise ValueError(raw)
    return raw


def _secret(raw: str) -> Secret:
    # A newline or other control character in a token is a paste error that would otherwise
    # surface later as a baffling authentication failure. No message: it would hold the value.
    if not raw.isprintable():
        raise ValueError
    return Secret(raw)


def _webhook_secret(raw: str) -> Secret:
    # Telegram's own rule for secret_token; anything else would be refused by setWebhook.
    if raw and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", raw):
        raise ValueError
    return Secret(raw)


def _data_keys(raw: str) -> Secret:
    # Checked here, so a mistyped key stops the service at start rather than at the first read.
    from storage.sealing import check_key

    if raw:
        for key in raw.split(","):
            check_key(key.strip())
    return Secret(raw)


class LanguageCodes(tuple[str, ...]):
    """Two-letter language codes, in the order they were configured."""


def _languages(raw: str) -> LanguageCodes:
    # The codes that have a phrase file; checked at start, so a mistyped code cannot leave a
    # language's residents with no risk detection at all.
    from bot.triage.risk_files import known_languages

    codes = tuple(dict.fromkeys(code.strip().lower() for code in raw.split(",") if code.strip()))
    if not codes or any(code not in known_languages() for code in codes):
        raise ValueError(raw)
    return LanguageCodes(codes)


def _url(raw: str) -> str:
    if not raw:
        return ""
    parts = urlsplit(raw)
    _ = parts.port  # raises ValueError for a port that is not a number from 0 to 65535
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c in raw for c in "?#")
        or any(c.isspace() or not c.isprintable() for c in raw)
    ):
        raise ValueError(raw)
    return raw.rstrip("/")


def _path(raw: str) -> Path:
    if "\x00" in raw:
        raise ValueError(raw)
    try:
        # Shells do not expand ~ in a .env file, so do it here.
        return Path(raw).expanduser()
    except RuntimeError as exc:  # ~someone for a user who does not exist
        raise ValueError(raw) from exc


def _port(raw: str) -> int:
    # At most five ASCII digits: int() would accept "٨٠" and refuse very long strings with an
    # error of its own.
    if not re.fullmatch(r"[0-9]{1,5}", raw) or not 1 <= int(raw) <= 65535:
        raise ValueError(raw)
    return int(raw)


def _timezone(raw: str) -> str:
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: "Europe" is a folder
        raise ValueError(raw) from exc
    return raw


def _clock_time(raw: str) -> time:
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", raw)
    if not match:
        raise ValueError(raw)
    return time(int(match[1]), int(match[2]))  # ValueError for 24:00 or 09:60


def _positive_int(raw: str) -> int:
    if not re.fullmatch(r"[0-9]+", raw) or int(raw) < 1:
        raise ValueError(raw)
    return int(raw)


def _positive_float(raw: str) -> float:
    number = float(raw)
    if not (math.isfinite(number) and number > 0):
        raise ValueError(raw)
    return number


def _ladder(raw: str) -> str:
    # Checked at start, so a mistyped ladder stops the service rather than every check-in.
    from bot.timing.ladder import LadderError, parse_ladder

    try:
        return str(parse_ladder(raw))
    except LadderError as exc:
        raise ValueError(str(exc)) from exc


_BOOLS = {"true": True, "yes": True, "on": True, "1": True}
_BOOLS |= {"false": False, "no": False, "off": False, "0": False}


def _bool(raw: str) -> bool:
    try:
        return _BOOLS[raw.lower()]
    except KeyError as exc:
        raise ValueError(raw) from exc


_LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def _log_level(raw: str) -> str:
    if raw.lower() not in _LOG_LEVELS:
        raise ValueError(raw)
    return raw.lower()


TEXT = Kind("text", "text", _text)
NAME = Kind("name", "name (printable, at most 30 characters)", _name)
SECRET = Kind("secret", "secret (printable characters only)", _secret)
URL = Kind("url", "URL (http:// or https://, with no query or fragment)", _url)
PATH = Kind("path", "file path", _path)
PORT = Kind("port", "port number (1 to 65535)", _port)
TIMEZONE = Kind("timezone", "time zone (an IANA name such as Europe/London)", _timezone)
TIME = Kind("time", "time (HH:MM, 24-hour clock)", _clock_time)
POSITIVE_FLOAT = Kind("positive float", "positive number", _positive_float)
POSITIVE_INT = Kind("positive int", "whole number, 1 or more", _positive_int)
BOOL = Kind("bool", "bool (true or false, yes or no, on or off, 1 or 0)", _bool)
LOG_LEVEL = Kind("log level", "log level (debug, info, warning, error or critical)", _log_level)
WEBHOOK_SECRET = Kind(
    "webhook secret", "webhook secret (1 to 256 letters, digits, _ and -)", _webhook_secret
)
LADDER = Kind(
    "ladder",
    "escalation ladder: steps separated by commas, each a wait (30m, 2h, 1d) and one of "
    "reminder, other channel or missed, ending with missed (at most 2 days in all)",
    _ladder,
)
DATA_KEYS = Kind(
    "data keys",
    "data key: one or more keys separated by commas, newest first, each 44 letters, digits, "
    "- and _ ending in '=' (make one with `companion keys new`)",
    _data_keys,
)
LANGUAGES = Kind(
    "languages",
    "list of language codes separated by commas, each one of: en, pl, ro, lt, bn, ur, pt",
    _languages,
)
KINDS = (
    DATA_KEYS,
    LADDER,
    LANGUAGES,
    TEXT,
    NAME,
    SECRET,
    WEBHOOK_SECRET,
    URL,
    PATH,
    PORT,
    TIMEZONE,
    TIME,
    POSITIVE_FLOAT,
    POSITIVE_INT,
    BOOL,
    LOG_LEVEL,
)


@dataclass(frozen=True, slots=True)
class Setting:
    """One row of the settings table: an environment name, its default, help text and kind."""

    name: str
    default: str
    help: str
    kind: Kind

    @property
    def attribute(self) -> str:
        """The name of the matching `Settings` attribute."""
        return self.name.removeprefix(PREFIX).lower()

    def parse(self, raw: str) -> object:
        # Surrounding spaces and newlines come from copying and pasting, never on purpose. An
        # empty value counts as unset, so `NAME=` in a .env template means "use the default".
        value = raw.strip() or self.default
        try:
            return self.kind.parse(value)
        except ValueError as exc:
            shown = Secret(raw) if self.kind in (SECRET, WEBHOOK_SECRET, DATA_KEYS) else raw
            raise SettingsError(self.name, shown, f"Not a valid {self.kind.accepts}.") from exc


SETTINGS: tuple[Setting, ...] = (
    Setting("COMPANION_DATABASE", "./var/companion.db", "Where the SQLite database lives.", PATH),
    Setting(
        "COMPANION_HOST",
        "127.0.0.1",
        "The address `companion run` listens on; 0.0.0.0 listens on every interface "
        "(for example in a container).",
        TEXT,
    ),
    Setting(
        "COMPANION_PORT",
        "8000",
        "The port `companion run` serves webhooks, admin, API and web chat on.",
        PORT,
    ),
    Setting(
        "COMPANION_PUBLIC_URL",
        "",
        "The public base URL the service is reached at, such as https://companion.example.org. "
        "Used to check Twilio signatures and to set the Telegram webhook; when empty, Telegram "
        "is polled instead. A trailing slash is removed.",
        URL,
    ),
    Setting(
        "COMPANION_SECRET_KEY",
        "",
        "The key the service's own secrets are derived from: today the Telegram webhook's "
        "secret when TELEGRAM_WEBHOOK_SECRET is empty (admin sessions are random and kept "
        "server-side, so they do not depend on it). When empty, a random key is made for each "
        "run and a warning is logged: what is derived from it then changes at every restart.",
        SECRET,
    ),
    Setting(
        "COMPANION_DATA_KEY",
        "",
        "The key residents' names, numbers, chat ids, messages and notes are encrypted with in "
        "the database (and its backups). Several keys separated by commas, newest first, during "
        "a rotation: `companion keys rotate` reseals everything with the first, after which the "
        "others can be removed. When empty, a key file beside the database (<database>.key) is "
        "made and used, and a warning is logged: set this in production, kept apart from the "
        "database, and keep a copy, since nothing can be read without it.",
        DATA_KEYS,
    ),
    Setting(
        "COMPANION_PROGRAMME_NAME",
        "Companion",
        "The programme's name, as residents know it. Where a message would name the resident's "
        'catalyst and they have none yet, it names the team instead ("the Companion team").',
        NAME,
    ),
    Setting(
        "COMPANION_TIMEZONE",
        "Europe/London",
        "The time zone new residents get, in which their check-in rhythm and quiet hours are "
        "read (each resident can have their own).",
        TIMEZONE,
    ),
    Setting("COMPANION_LOG_LEVEL", "info", "How much the service logs.", LOG_LEVEL),
    Setting(
        "COMPANION_QUIET_START",
        "20:00",
        "When new residents' quiet hours start, on their own clock: nothing routine (a "
        "check-in question, a nudge) is sent from then until COMPANION_QUIET_END. Replies and "
        "safety messages go at any hour. The same start and end means no quiet hours.",
        TIME,
    ),
    Setting(
        "COMPANION_QUIET_END",
        "09:00",
        "When new residents' quiet hours end (see COMPANION_QUIET_START).",
        TIME,
    ),
    Setting(
        "COMPANION_SESSION_IDLE_MINUTES",
        "30",
        "Minutes an admin login may sit unused before it ends and asks for the password again. "
        "A login also ends after 12 hours, however busy.",
        POSITIVE_FLOAT,
    ),
    Setting(
        "COMPANION_PASS_ON_MINUTES",
        "10",
        "Minutes an urgent safeguarding alert may wait for someone to say they are on it before "
        "it is passed on to the next person on the duty list (set in the admin).",
        POSITIVE_FLOAT,
    ),
    Setting(
        "COMPANION_RETENTION_MONTHS",
        "12",
        "Months a message's text is kept. A daily job removes older texts (the messages "
        "themselves stay, so the figures do not change); a text an open alert needs is kept "
        "until the alert is closed. `companion retention run` removes them now.",
        POSITIVE_INT,
    ),
    Setting(
        "COMPANION_LANGUAGES",
        "en,pl,ro,lt,bn,ur,pt",
        "The languages residents write in, as two-letter codes. Every message is checked for "
        "signs of risk in all of them (residents do not always write in the language on their "
        "record), and a risk reply is sent in the one the message is in, else in English.",
        LANGUAGES,
    ),
    Setting(
        "COMPANION_CHECKIN_LADDER",
        "2h reminder, 2h other channel, 4h missed",
        "What happens when a resident does not answer a check-in, step by step; each wait "
        'counts from the step before. reminder: a reminder with the question ("Just checking '
        'in again, Pat. How are you this week?"); other channel: the same on their other '
        "channel, if they have one; missed: a missed check-in "
        "alert to their catalyst. A step due in the resident's quiet hours waits for them to "
        "end. Each resident can have their own ladder, set in the admin.",
        LADDER,
    ),
    Setting(
        "COMPANION_MISSES_FOR_URGENT",
        "3",
        "How many check-ins missed in a row make the missed check-in alert urgent.",
        POSITIVE_INT,
    ),
    Setting(
        "COMPANION_SMS_PER_SECOND",
        "1",
        "The most SMS messages sent per second; a Twilio long code sends about 1.",
        POSITIVE_FLOAT,
    ),
    Setting(
        "COMPANION_TELEGRAM_PER_SECOND",
        "25",
        "The most Telegram messages sent per second; Telegram allows about 30.",
        POSITIVE_FLOAT,
    ),
    Setting(
        "TELEGRAM_BOT_TOKEN",
        "",
        "The bot's token from BotFather. Telegram is off without it.",
        SECRET,
    ),
    Setting(
        "TELEGRAM_WEBHOOK_SECRET",
        "",
        "Sent by Telegram with every webhook call, so forged updates can be refused (1 to 256 "
        "letters, digits, _ and -). When empty, one is derived from COMPANION_SECRET_KEY.",
        WEBHOOK_SECRET,
    ),
    Setting(
        "TELEGRAM_API_URL",
        "https://api.telegram.org",
        "The Telegram Bot API server; tests point it at a local server.",
        URL,
    ),
    Setting(
        "TWILIO_ACCOUNT_SID",
        "",
        "The Twilio account SID (it starts with AC). SMS is off without it.",
        TEXT,
    ),
    Setting(
        "TWILIO_AUTH_TOKEN",
        "",
        "The Twilio auth token, also used to check Twilio's webhook signatures. SMS is off "
        "without it.",
        SECRET,
    ),
    Setting(
        "TWILIO_FROM_NUMBER",
        "",
        "The number SMS is sent from, in international form (+447700900123). SMS needs this or "
        "TWILIO_MESSAGING_SERVICE_SID.",
        TEXT,
    ),
    Setting(
        "TWILIO_MESSAGING_SERVICE_SID",
        "",
        "A Twilio Messaging Service to send from (it starts with MG). SMS needs this or "
        "TWILIO_FROM_NUMBER.",
        TEXT,
    ),
    Setting(
        "TWILIO_API_URL",
        "https://api.twilio.com",
        "The Twilio REST API server; tests point it at a local server.",
        URL,
    ),
)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """The operator's configuration, checked as a whole at start; build it with `load()`."""

    database: Path
    host: str
    port: int
    public_url: str
    secret_key: Secret
    data_key: Secret
    programme_name: str
    timezone: str
    log_level: str
    quiet_start: time
    quiet_end: time
    session_idle_minutes: float
    pass_on_minutes: float
    retention_months: int
    languages: LanguageCodes
    checkin_ladder: str
    misses_for_urgent: int
    sms_per_second: float
    telegram_per_second: float
    telegram_bot_token: Secret
    telegram_webhook_secret: Secret
    telegram_api_url: str
    twilio_account_sid: str
    twilio_auth_token: Secret
    twilio_from_number: str
    twilio_messaging_service_sid: str
    twilio_api_url: str
    #: True when no COMPANION_SECRET_KEY was given and one was made up for this run.
    secret_key_generated: bool = False

    @classmethod
    def load(
        cls, environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
    ) -> Settings:
        """Read each setting from `environ` (or os.environ), then `env_file`, then the default."""
        environ = os.environ if environ is None else environ
        from_file = {} if env_file is None else _read_env_file(env_file)
        for name, value in environ.items():
            _check_known(name, value, "from the environment")
        for name, (value, line) in from_file.items():
            _check_known(name, value, f"from {env_file}, line {line}")
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.name in environ:
                raw = environ[setting.name]
            elif setting.name in from_file:
                raw = from_file[setting.name][0]
            else:
                raw = setting.default
            values[setting.attribute] = setting.parse(raw)
        generated = not values["secret_key"]
        if generated:
            values["secret_key"] = Secret(secrets.token_urlsafe(32))
        return cls(**values, secret_key_generated=generated)

    def warn_about_defaults(self) -> None:
        """Say, once at start, what a running service should not be left with."""
        if self.secret_key_generated:
            logger.warning(
                "COMPANION_SECRET_KEY is not set, so a random key is used for this run: the "
                "secrets derived from it (the Telegram webhook's, unless TELEGRAM_WEBHOOK_SECRET "
                "is set) will not survive a restart. Set COMPANION_SECRET_KEY to keep them."
            )
        if not self.data_key:
            logger.warning(
                "COMPANION_DATA_KEY is not set, so personal data is sealed with the key file "
                "beside the database, where a copy of the folder finds it. In production set "
                "COMPANION_DATA_KEY (make one with `companion keys new`)."
            )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def telegram_enabled(self) -> bool:
        return not self._telegram_missing()

    @property
    def twilio_enabled(self) -> bool:
        return not self._twilio_missing()

    @property
    def telegram_mode(self) -> str:
        """How Telegram updates arrive: "webhook" given COMPANION_PUBLIC_URL, else "polling"."""
        return "webhook" if self.public_url else "polling"

    @property
    def telegram_secret_token(self) -> str:
        """The secret Telegram must send with each webhook call: the one set, or one derived
        from COMPANION_SECRET_KEY, so the webhook is never left open."""
        if self.telegram_webhook_secret:
            return self.telegram_webhook_secret.reveal()
        key = self.secret_key.reveal().encode()
        return hmac.new(key, b"telegram-webhook", hashlib.sha256).hexdigest()

    def channel_status(self) -> dict[str, str]:
        """Each channel mapped to "on", or to "off: " and what the operator must set."""
        return {
            "sms": f"off: {why}" if (why := self._twilio_missing()) else "on",
            "telegram": f"off: {why}" if (why := self._telegram_missing()) else "on",
            "webchat": "on",
        }

    def _telegram_missing(self) -> str:
        return "" if self.telegram_bot_token else "TELEGRAM_BOT_TOKEN is not set"

    def _twilio_missing(self) -> str:
        credentials = {
            "TWILIO_ACCOUNT_SID": self.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": self.twilio_auth_token,
        }
        unset = [name for name, value in credentials.items() if not value]
        problems = []
        if unset:
            problems.append(f"{' and '.join(unset)} {'is' if len(unset) == 1 else 'are'} not set")
        if not (self.twilio_from_number or self.twilio_messaging_service_sid):
            problems.append("set TWILIO_FROM_NUMBER or TWILIO_MESSAGING_SERVICE_SID")
        return "; ".join(problems)


def _check_known(name: str, value: str, source: str) -> None:
    # Only COMPANION_ names are ours alone: TELEGRAM_ and TWILIO_ names may belong to other tools
    # (Twilio's own libraries read several), and everything else in the environment is not ours.
    if not name.startswith(PREFIX) or name in _BY_NAME:
        return
    bare = {setting.name.removeprefix(PREFIX): setting.name for setting in SETTINGS}
    # Compare without the prefix, which every candidate would otherwise share.
    match = process.extractOne(
        name.removeprefix(PREFIX),
        list(bare),
        scorer=fuzz.ratio,
        processor=utils.default_process,
        score_cutoff=60,
    )
    raise UnknownSettingError(name, value, source, bare[match[0]] if match else None)


def _read_env_file(path: Path) -> dict[str, tuple[str, int]]:
    """Each name in the .env file at `path` with its value and line number; {} if none."""
    try:
        # utf-8-sig: editors on Windows start files with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise EnvFileError(path, None, f"cannot be read ({exc})") from exc
    values: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            entry = _parse_line(line)
        except ValueError as exc:
            raise EnvFileError(path, number, str(exc)) from None
        if entry:
            values[entry[0]] = (entry[1], number)  # a later line wins, as in a shell
    return values


def _parse_line(line: str) -> tuple[str, str] | None:
    line = re.sub(r"^export\s+", "", line.strip())
    if not line or line.startswith("#"):
        return None
    name, equals, rest = line.partition("=")
    if not equals or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name.strip()):
        raise ValueError("expected NAME=value, where NAME is letters, digits and underscores")
    rest = rest.strip()
    if rest[:1] in ("'", '"'):
        end = rest.find(rest[0], 1)
        if end < 0:
            raise ValueError("the quoted value has no closing quote")
        if rest[end + 1 :].strip()[:1] not in ("", "#"):
            raise ValueError("there is text after the closing quote")
        return name.strip(), rest[1:end]
    # As in a shell, " #" starts a comment but a # inside a value (a token, say) does not.
    return name.strip(), re.split(r"\s#", rest, maxsplit=1)[0].rstrip()


def settings_reference() -> str:
    """The Markdown page bot/SETTINGS.md, generated from SETTINGS."""
    rows = []
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "*empty*"
        accepts = setting.kind.accepts[0].upper() + setting.kind.accepts[1:]
        cells = (f"`{setting.name}`", default, setting.help.replace("|", r"\|"), accepts)
        rows.append(f"| {' | '.join(cells)} |")
    return "\n".join(
        [
            f"<!-- Generated by `{REGENERATE}` from bot/settings.py; do not edit by hand. -->",
            "",
            "# Settings",
            "",
            "Companion reads each setting from the environment first, then from a `.env` file in "
            "the working directory (`NAME=value` lines; `#` comments, quotes and `export` are "
            "allowed), then uses the default. An empty value counts as unset. A `COMPANION_` name "
            "that is not listed here stops the service at start, since it is almost always a typo.",
            "",
            "| Name | Default | What it's for | Accepts |",
            "| --- | --- | --- | --- |",
            *rows,
            "",
        ]
    )


if __name__ == "__main__":
    # A developer's command, never run by the service: the page lives next to the table it
    # describes, and tests/bot/test_settings.py fails when the two differ.
    (Path(__file__).parent / "SETTINGS.md").write_text(settings_reference(), encoding="utf-8")
