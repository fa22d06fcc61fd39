"""This module contains the loading of the pace phrase files, one per language, checked entry by
entry.

The files under bot/triage/pace_phrases say how residents ask for a different pace in each
language: the phrases of each kind of request, the small words around them (lead-ins, courtesy,
"until"), and the words of time (days, units, numbers, months). A mistake in a file is explained
by file, section and reason, as the risk phrase files are (see risk_files.py), and a pattern
that could never match is refused rather than kept silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from bot.triage.phrases import pattern_problem, read_words
from bot.triage.risk_files import PhraseFileError, read_file_head
from flows.durations import DurationError, parse_duration

PACE_DIR = Path(__file__).with_name("pace_phrases")
# The part of an RFC 5545 recurrence a resident can name: how often, and on which days.
_DAY = "(MO|TU|WE|TH|FR|SA|SU)"
_RULE = re.compile(rf"FREQ=(DAILY|WEEKLY|MONTHLY)(;INTERVAL=[1-9])?(;BYDAY={_DAY}(,{_DAY})*)?")

#: The sections of `phrases`: each names what a phrase asks for. "absent" is a pause said as
#: an absence ("in hospital", "on holiday"), where a time after it says when it starts, not
#: when it ends. "ask_again" phrases ("ask me", "in") count only with a time after them, and
#: the time decides the kind (later today, tomorrow, or a pause). "everyday" phrases are never
#: requests, and stop a shorter request read at the same place ("I'll call you", "call me Pat").
#: "away" is an absence from home (a holiday, a stay with family), read as "absent" is, but a
#: week said with it is all of that week ("away next week" pauses until the Monday after it);
#: a stay in hospital said for next week may well last longer, so it is none of "away".
#: "at_time" phrases end in a word that leads to an hour ("after", "at") and count only with a
#: time of day read from that word on, and nothing after it but courtesy ("after 6pm", "can we
#: do this at 11"); the time decides the kind, as for "ask_again".
SECTIONS = (
    "not_today",
    "later",
    "pause",
    "absent",
    "away",
    "less_often",
    "more_often",
    "resume",
    "call",
    "ask_again",
    "at_time",
    "everyday",
)
#: How a phrase counts: "strong" at the start of a clause whatever follows; "weak" only as
#: a whole clause, give or take a time and courtesy words; "timed" only with a time after it.
STRENGTHS = ("strong", "weak", "timed")
_TOP_KEYS = frozenset(
    {"language", "name", "reviewed", "time_first", "words", "times", "units", "numbers"}
    | {"months", "phrases", "spelling", "rhythms", "hours"}
)
#: How a language says a bare hour: 12 (English "after 3", "till 3") or 24 (Polish "o 15",
#: "do 15", where an hour up to 23 needs no minutes to be a time of day).
CLOCK_HOURS = (12, 24)
#: The small word lists: lead-ins before a request ("ok", "sorry"), courtesy after it
#: ("please", "x"), refusals ("no"), "until" before a time or words ("until I'm home"), "until"
#: before a time only (the Polish "do" is everyday "to"), words after a time that tie it to the
#: request (Urdu "ke liye": for), "until" written after the time (Bengali "porjonto", Urdu
#: "tak": a bare hour before it is a time of day, "3 tak": till 3), words of a return ("back"),
#: words before a time ("on", "for"), words joining a number to its unit or month ("of", "de"),
#: words after a day number that make it a date ("tarikh"), words before a bare hour that make
#: it a time of day ("at 4", "after 3", "o 15"), words after an hour that make it one
#: ("4 oclock", Urdu "3 baje", Lithuanian "15 val."), words after an hour that put it in
#: the morning ("in the morning", "rano") or after noon ("tonight", "da tarde"), as am and pm;
#: "so" inside a clause, after which a request may begin ("he's here so don't message"), and
#: words that make a "so" before them "very", beginning nothing ("I was so busy today"); words
#: that say a time is when something starts ("away from next week": from then on, no end said).
_WORD_LISTS = (
    "lead_ins",
    "courtesy",
    "no",
    "until",
    "until_time",
    "until_after",
    "until_post",
    "back",
    "time_leads",
    "joiners",
    "date_words",
    "clock_leads",
    "clock_after",
    "am_words",
    "pm_words",
    "so",
    "so_intensifies",
    "since",
)


@dataclass(frozen=True, slots=True)
class PacePhrase:
    """One pattern of a phrase file: its section and how it counts."""

    pattern: str
    section: str
    strength: str
    language: str


@dataclass(frozen=True, slots=True)
class PaceLanguage:
    """One language's pace file, read and checked."""

    language: str
    name: str
    #: Whether a native speaker has reviewed the file.
    reviewed: bool
    #: Whether a time may come before the request, as Bengali and Urdu put it
    #: ("do hafte ke liye band karo": two weeks for, stop).
    time_first: bool
    #: How a bare hour is said: 12 or 24 (see CLOCK_HOURS).
    hours: int
    phrases: tuple[PacePhrase, ...]
    #: The small word lists (see _WORD_LISTS): each a set of folded word sequences.
    words: Mapping[str, frozenset[tuple[str, ...]]]
    #: Time patterns and the value each keeps in `until` (None: adds nothing, as "today").
    times: tuple[tuple[str, str | None], ...]
    #: Rhythm patterns and the recurrence each names ("once a month": "FREQ=MONTHLY").
    rhythms: tuple[tuple[str, str], ...]
    units: Mapping[str, timedelta]
    numbers: Mapping[str, int]
    months: Mapping[str, int]
    typo_targets: tuple[str, ...]
    protected: tuple[str, ...]
    #: Text-speak, word for word: "tmrw" is read as "tomorrow", "2day" as "today".
    shorthand: Mapping[str, str]


def known_languages() -> tuple[str, ...]:
    """The two-letter codes that have a pace file, English first."""
    codes = sorted(path.stem for path in PACE_DIR.glob("*.yaml"))
    return tuple(sorted(codes, key=lambda code: code != "en"))


@cache
def pace_language(language: str) -> PaceLanguage:
    """The pace file of `language`, read once and checked; PhraseFileError explains a fault."""
    return read_pace_file(PACE_DIR / f"{language}.yaml")


def read_pace_file(path: Path) -> PaceLanguage:
    """Read and check one pace file; raise PhraseFileError listing every fault."""
    where = path.name
    data, language, problems = read_file_head(path, _TOP_KEYS)
    phrases = _phrases(data.get("phrases"), language, where, problems)
    words = _word_lists(data.get("words") or {}, where, problems)
    times = _times(data.get("times") or {}, where, problems)
    rhythms = _rhythms(data.get("rhythms") or {}, where, problems)
    units = _units(data.get("units") or {}, where, problems)
    numbers = _numbers(data.get("numbers") or {}, f"{where}, numbers", problems, 1, 999)
    months = _numbers(data.get("months") or {}, f"{where}, months", problems, 1, 12)
    spelling = data.get("spelling") or {}
    if not isinstance(spelling, dict):
        problems.append(f"{where}: 'spelling' should map typo_targets and protected to words")
        spelling = {}
    targets = _single_words(spelling.get("typo_targets"), f"{where}, typo_targets", problems)
    protected = _single_words(spelling.get("protected"), f"{where}, protected", problems)
    shorthand = _shorthand(spelling.get("shorthand"), f"{where}, shorthand", problems)
    hours = data.get("hours", 12)
    if hours not in CLOCK_HOURS:
        problems.append(f"{where}: 'hours' should be 12 or 24 (how a bare hour is said)")
    if problems:
        raise PhraseFileError("\n".join(problems))
    return PaceLanguage(
        language=language,
        name=str(data.get("name", language)),
        reviewed=data.get("reviewed") is True,
        time_first=data.get("time_first") is True,
        hours=hours,
        phrases=phrases,
        words=words,
        times=times,
        rhythms=rhythms,
        units=units,
        numbers=numbers,
        months=months,
        typo_targets=targets,
        protected=protected,
        shorthand=shorthand,
    )


def _phrases(raw: object, language: str, where: str, problems: list[str]) -> tuple[PacePhrase, ...]:
    if not isinstance(raw, dict) or not raw:
        problems.append(f"{where}: 'phrases' should map each section to its patterns")
        return ()
    found: list[PacePhrase] = []
    for section, by_strength in raw.items():
        here = f"{where}, {section}"
        if section not in SECTIONS:
            problems.append(f"{here}: unknown section; known: {', '.join(SECTIONS)}")
            continue
        if isinstance(by_strength, list):  # "everyday" is a plain list
            by_strength = {"strong": by_strength}
        if not isinstance(by_strength, dict):
            problems.append(f"{here}: should map strong, weak or timed to patterns")
            continue
        for strength, patterns in by_strength.items():
            if strength not in STRENGTHS or not isinstance(patterns, list):
                problems.append(f"{here}: {strength!r} should be one of {STRENGTHS}, a list")
                continue
            for pattern in patterns:
                problem = pattern_problem(str(pattern))
                if problem is not None:
                    problems.append(f"{here}, {strength} ({pattern!r}): {problem}")
                else:
                    found.append(PacePhrase(str(pattern), section, strength, language))
    return tuple(found)


def _word_lists(
    raw: object, where: str, problems: list[str]
) -> dict[str, frozenset[tuple[str, ...]]]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'words' should map each word list to its words")
        return {}
    unknown = sorted(set(map(str, raw)) - set(_WORD_LISTS))
    if unknown:
        problems.append(f"{where}, words: unknown lists {unknown}; known: {list(_WORD_LISTS)}")
    lists: dict[str, frozenset[tuple[str, ...]]] = {}
    for name in _WORD_LISTS:
        value = raw.get(name) or []
        if not isinstance(value, list):
            problems.append(f"{where}, words: {name!r} should be a list")
            continue
        for item in value:
            if not isinstance(item, str):
                # YAML reads a bare no, yes, on or off as true or false.
                problems.append(f"{where}, words: {name!r} has {item!r}, not text; quote it")
        sequences = {read_words(str(item)) for item in value}
        if () in sequences:
            problems.append(f"{where}, words: {name!r} has an entry with no word in it")
        lists[name] = frozenset(sequences - {()})
    return lists


def _times(raw: object, where: str, problems: list[str]) -> tuple[tuple[str, str | None], ...]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'times' should map a time pattern to the value it keeps")
        return ()
    times: list[tuple[str, str | None]] = []
    for pattern, value in raw.items():
        problem = pattern_problem(str(pattern))
        if problem is not None:
            problems.append(f"{where}, times ({pattern!r}): {problem}")
        else:
            times.append((str(pattern), None if value is None else str(value)))
    return tuple(times)


def _rhythms(raw: object, where: str, problems: list[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'rhythms' should map a rhythm pattern to a recurrence")
        return ()
    rhythms: list[tuple[str, str]] = []
    for pattern, rule in raw.items():
        problem = pattern_problem(str(pattern))
        if problem is None and not _RULE.fullmatch(str(rule)):
            problem = f"{rule!r} is not a recurrence such as FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
        if problem is not None:
            problems.append(f"{where}, rhythms ({pattern!r}): {problem}")
        else:
            rhythms.append((str(pattern), str(rule)))
    return tuple(rhythms)


def _units(raw: object, where: str, problems: list[str]) -> dict[str, timedelta]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'units' should map a word to a duration such as 1w")
        return {}
    units: dict[str, timedelta] = {}
    for word, size in raw.items():
        folded = read_words(str(word)) if isinstance(word, str) else ()
        try:
            duration = parse_duration(str(size))
        except DurationError as exc:
            problems.append(f"{where}, units ({word!r}): {exc}")
            continue
        if len(folded) != 1:
            problems.append(f"{where}, units: {word!r} is not one word")
        else:
            units[folded[0]] = duration
    return units


def _numbers(
    raw: object, where: str, problems: list[str], lowest: int, highest: int
) -> dict[str, int]:
    if not isinstance(raw, dict):
        problems.append(f"{where}: should map a word to a number")
        return {}
    numbers: dict[str, int] = {}
    for word, value in raw.items():
        folded = read_words(str(word)) if isinstance(word, str) else ()
        if len(folded) != 1 or not isinstance(value, int) or not lowest <= value <= highest:
            problems.append(f"{where}: {word!r}: {value!r} should be one word and a number")
        else:
            numbers[folded[0]] = value
    return numbers


def _shorthand(raw: object, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict):
        if raw:
            problems.append(f"{where}: should map a word typed to the word meant")
        return {}
    pairs: dict[str, str] = {}
    for typed, meant in raw.items():
        typed_words, meant_words = read_words(str(typed)), read_words(str(meant))
        if len(typed_words) != 1 or len(meant_words) != 1:
            # One word for one word keeps the words of a message in their places.
            problems.append(f"{where}: {typed!r}: {meant!r} should be one word on each side")
        else:
            pairs[typed_words[0]] = meant_words[0]
    return pairs


def _single_words(raw: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    words: set[str] = set()
    for item in raw or []:
        folded = read_words(str(item))
        if len(folded) != 1 or not isinstance(item, str):
            problems.append(f"{where}: {item!r} is not one word")
        else:
            words.add(folded[0])
    return tuple(sorted(words))
