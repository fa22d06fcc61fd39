"""This module contains the reading of bot/triage/pace_replies.yaml, the answers to pace requests
in each language, checked language by language and text by text.

The file is edited by people who may not read Python, so a mistake is explained by language,
text and reason, never by a traceback: a text that lost or misspelt a {placeholder} would
otherwise fail only when a resident asked for it.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.dates import parse_pattern

REPLY_FILE = Path(__file__).with_name("pace_replies.yaml")
ENGLISH = "en"
#: Every text English has, and so every text a language may have.
TEXT_NAMES = (
    "not_today",
    "not_today_until",
    "tomorrow_at",
    "on_day_at",
    "later",
    "later_tomorrow",
    "paused",
    "paused_until",
    "less_often",
    "more_often",
    "welcome_back",
    "next_at",
    "resumed",
    "call",
    "call_team",
)
#: Placeholders that may stand in for each other, one of each group to a text. A date and a day
#: of the week: "on Friday" in English reads best, "4 grudnia" in Polish (a weekday there would
#: need a case ending babel cannot give). A rhythm and the next check-in: the rhythm is
#: described in English only (bot/timing/rhythm.py), so another language names the next
#: check-in ("15 grudnia o 10:00") instead.
STAND_INS = (frozenset({"day", "weekday"}), frozenset({"rhythm", "next"}))
#: How a language's letters are sent (see the file's head).
LETTERS = ("gsm7", "as written")
_KEYS = frozenset({"name", "locale", "reviewed", "letters", "time", "day", "weekday", "team"})
_REQUIRED = ("locale", "letters", "day", "weekday", "team", "texts")
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PaceReplyFileError(ValueError):
    """The reply file has texts that cannot be used; the message lists each."""


@dataclass(frozen=True, slots=True)
class ReplyLanguage:
    """One language's pace replies, and how its times and days are written."""

    language: str
    #: The babel locale of its times and days ("pt_PT").
    locale: str
    reviewed: bool
    #: Sent in GSM-7 letters (see the file's head), or as written.
    gsm7: bool
    #: A babel pattern for a time of day; None for English's spoken "3pm".
    time: str | None
    day: str
    weekday: str
    #: Who speaks for a resident with no catalyst: "zespół {programme}".
    team: str
    texts: Mapping[str, str]


def placeholders(text: str) -> frozenset[str]:
    """The names a text fills in: "I'll ask again {when}" has "when"."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


def read_reply_file(path: Path) -> dict[str, ReplyLanguage]:
    """Every language in the reply file at `path`, checked; PaceReplyFileError lists each
    fault. English must have every text; another language may leave some out (they are sent
    in English), but each text it has keeps English's placeholders."""
    where = path.name
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise PaceReplyFileError(f"{where}: cannot be read as YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get(ENGLISH), dict):
        raise PaceReplyFileError(f"{where}: should map each language code ('en' too) to its texts")
    problems: list[str] = []
    # English's faults are reported with its language below; here it is only the model.
    english = _texts(data[ENGLISH].get("texts"), where, [])
    for name in TEXT_NAMES:
        if name not in english:
            problems.append(f"{where}, {ENGLISH}: the text {name!r} is missing")
    books: dict[str, ReplyLanguage] = {}
    for code, raw in data.items():
        found = _language(str(code), raw, english, f"{where}, {code}", problems)
        if found is not None:
            books[found.language] = found
    if problems:
        raise PaceReplyFileError("\n".join(problems))
    return books


@cache
def builtin_pace_replies() -> dict[str, ReplyLanguage]:
    """The reply file's languages, read once."""
    return read_reply_file(REPLY_FILE)


def _language(
    code: str, raw: object, english: Mapping[str, str], where: str, problems: list[str]
) -> ReplyLanguage | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: should be a mapping with locale, letters, day, team and texts")
        return None
    unknown = sorted(set(map(str, raw)) - _KEYS - {"texts"})
    missing = [key for key in _REQUIRED if key not in raw]
    if unknown:
        problems.append(f"{where}: unknown keys {unknown}; known: {sorted(_KEYS | {'texts'})}")
    if missing:
        problems.append(f"{where}: {', '.join(missing)} missing")
    if unknown or missing:
        return None
    before = len(problems)
    locale = str(raw["locale"])
    try:
        Locale.parse(locale)
    except (ValueError, UnknownLocaleError):
        problems.append(f"{where}: the locale {locale!r} is not one babel knows, such as 'pl'")
    letters = str(raw["letters"])
    if letters not in LETTERS:
        problems.append(f"{where}: letters is {letters!r}; it should be one of {list(LETTERS)}")
    time = raw.get("time")
    for key in ("time", "day", "weekday"):
        if raw.get(key) is not None:
            _check_pattern(str(raw[key]), f"{where}, {key}", problems)
    team = str(raw["team"])
    if placeholders(team) - {"programme"}:
        problems.append(f"{where}, team: only {{programme}} can be filled in, in {team!r}")
    texts = _texts(raw["texts"], where, problems)
    for name, text in texts.items():
        _check_text(name, text, english, f"{where}, {name}", problems)
    if len(problems) > before:
        return None
    return ReplyLanguage(
        language=code,
        locale=locale,
        reviewed=raw.get("reviewed") is True,
        gsm7=letters == "gsm7",
        time=str(time) if time is not None else None,
        day=str(raw["day"]),
        weekday=str(raw["weekday"]),
        team=team,
        texts=texts,
    )


def _texts(raw: object, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'texts' should map a text's name to the text")
        return {}
    texts: dict[str, str] = {}
    for name, text in raw.items():
        if name not in TEXT_NAMES:
            problems.append(f"{where}: unknown text {name!r}; known: {', '.join(TEXT_NAMES)}")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"{where}, {name}: the text is empty")
        else:
            # Written across lines in the file for reading, sent on one.
            texts[str(name)] = " ".join(text.split())
    return texts


def _check_text(
    name: str, text: str, english: Mapping[str, str], where: str, problems: list[str]
) -> None:
    try:
        has = placeholders(text)
    except ValueError as exc:  # an unmatched brace
        problems.append(f"{where}: {exc} in {text!r}")
        return
    if name not in english:
        return  # English's own fault, reported once
    wanted = placeholders(english[name])
    if same_placeholders(has, wanted):
        return
    shown = ", ".join(f"{{{p}}}" for p in sorted(wanted)) or "none"
    problems.append(
        f"{where}: the placeholders should be as in English ({shown}; {{day}} and {{weekday}}, "
        f"or {{rhythm}} and {{next}}, may stand in for each other), in {text!r}"
    )


def same_placeholders(has: frozenset[str], wanted: frozenset[str]) -> bool:
    """Whether a text filling in `has` says what English's `wanted` does: the same names, a
    stand-in (see STAND_INS) counting as the one it stands for, one of each group at most."""
    if any(len(has & group) > 1 for group in STAND_INS):
        return False
    return _as_one(has) == _as_one(wanted)


def _as_one(names: frozenset[str]) -> frozenset[str]:
    return frozenset(
        next((min(group) for group in STAND_INS if name in group), name) for name in names
    )


def _check_pattern(pattern: str, where: str, problems: list[str]) -> None:
    try:
        parse_pattern(pattern)
    except (ValueError, KeyError, TypeError) as exc:
        problems.append(f"{where}: {pattern!r} is not a babel date pattern: {exc}")
