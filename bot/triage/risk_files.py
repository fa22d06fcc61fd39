"""This module contains the loading of the risk phrase files and reply file, checked entry by entry.

The files under bot/triage/risk_phrases (one per language) and bot/triage/risk_replies.yaml
are reviewed by safeguarding staff, so a mistake in one is explained by file, entry and reason,
never by a traceback, and a phrase that could never match is refused rather than kept silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from bot.triage.phrases import pattern_problem, read_words
from bot.triage.risk_kinds import URGENCIES, Phrase, RiskKind, Softening, Urgency

PHRASE_DIR = Path(__file__).with_name("risk_phrases")
# libyaml's loader when PyYAML was built with it: the files are read at every start.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
REPLY_FILE = Path(__file__).with_name("risk_replies.yaml")
_GROUP_NAME = re.compile(r"\{([a-z_]+)\}")
_SPLICED = re.compile(r"(?<=[(|])\{([a-z_]+)\}(?=[|)])")
_CODE = re.compile(r"[a-z]{2}")
_KINDS = frozenset(RiskKind)
_TOP_KEYS = frozenset({"language", "name", "groups", "softening", "spelling", "phrases"})
_ENTRY_KEYS = frozenset({"kind", "pattern", "urgency", "note", "everyday"})
_WORD_LISTS = (
    "negators",
    "close_negators",
    "exclamations",
    "worries",
    "filler",
    "asking",
    "please",
    "sign_offs",
)


class PhraseFileError(ValueError):
    """A phrase or reply file has entries that cannot be used; the message lists each."""


@dataclass(frozen=True, slots=True)
class LanguageFile:
    """One language's phrase file, read and checked."""

    language: str
    name: str
    phrases: tuple[Phrase, ...]
    softening: Softening
    typo_targets: tuple[str, ...]
    protected: tuple[str, ...]
    #: Text-speak, word for word: "sum1" is read as "someone" (see Detector for how).
    shorthand: tuple[tuple[str, str], ...] = ()


def known_languages() -> tuple[str, ...]:
    """The two-letter codes that have a phrase file, English first."""
    codes = sorted(path.stem for path in PHRASE_DIR.glob("*.yaml"))
    return tuple(sorted(codes, key=lambda code: code != "en"))


def phrase_problem(phrase: Phrase) -> str | None:
    """Why `phrase` cannot be used, in plain words, or None if it can."""
    if phrase.kind not in _KINDS:
        choices = ", ".join(RiskKind)
        return f"the kind {phrase.kind!r} is not one of: {choices}"
    if phrase.urgency not in URGENCIES:
        return f"the urgency {phrase.urgency!r} is not one of: {', '.join(URGENCIES)}"
    if not _CODE.fullmatch(phrase.language):
        return f"the language {phrase.language!r} is not a two-letter code such as 'en'"
    if "{" in phrase.pattern or "}" in phrase.pattern:
        return "the pattern has a '{' or '}': a group name that was not filled in"
    return pattern_problem(phrase.pattern)


@cache
def language_file(language: str) -> LanguageFile:
    """The phrase file of `language`, read once and checked; PhraseFileError explains a fault."""
    return read_language_file(PHRASE_DIR / f"{language}.yaml")


def _read_mapping(path: Path, shape: str) -> dict[Any, Any]:
    """A YAML file's top-level mapping; a file that cannot be read, or is not a mapping, is
    explained by its name (`shape` says what it should be)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise PhraseFileError(f"{path.name}: cannot be read as YAML: {exc}") from None
    if not isinstance(data, dict):
        raise PhraseFileError(f"{path.name}: {shape}")
    return data


def read_file_head(path: Path, known: frozenset[str]) -> tuple[dict[Any, Any], str, list[str]]:
    """A phrase file's mapping, its language, and the faults of its head so far: top-level keys
    not in `known`, and a 'language' that is not the file's name (the name is then taken)."""
    where = path.name
    data = _read_mapping(path, "should be a mapping with 'language' and 'phrases'")
    problems: list[str] = []
    unknown = sorted(set(map(str, data)) - known)
    if unknown:
        problems.append(f"{where}: unknown keys {unknown}; known: {sorted(known)}")
    language = str(data.get("language", ""))
    if language != path.stem:
        problems.append(f"{where}: 'language' is {language!r}, but the file is {path.stem!r}")
        language = path.stem
    return data, language, problems


def read_language_file(path: Path) -> LanguageFile:
    """Read and check one phrase file; raise PhraseFileError listing every faulty entry."""
    where = path.name
    data, language, problems = read_file_head(path, _TOP_KEYS)
    groups = _groups(data.get("groups") or {}, where, problems)
    phrases: list[Phrase] = []
    entries = data.get("phrases")
    if not isinstance(entries, list) or not entries:
        problems.append(f"{where}: 'phrases' should be a list of entries")
        entries = []
    for number, entry in enumerate(entries, start=1):
        phrase = _phrase(entry, language, groups, f"{where}, entry {number}", problems)
        if phrase is not None:
            phrases.append(phrase)
    softening = _softening(data.get("softening") or {}, groups, where, problems)
    spelling = data.get("spelling") or {}
    targets = _words(spelling, "typo_targets", f"{where}, spelling", problems)
    protected = _words(spelling, "protected", f"{where}, spelling", problems)
    shorthand = _shorthand(spelling, f"{where}, spelling", problems)
    if problems:
        raise PhraseFileError("\n".join(problems))
    return LanguageFile(
        language=language,
        name=str(data.get("name", language)),
        phrases=tuple(phrases),
        softening=softening,
        typo_targets=tuple(sorted(targets)),
        protected=tuple(sorted(protected)),
        shorthand=shorthand,
    )


def _shorthand(
    raw: Mapping[str, Any], where: str, problems: list[str]
) -> tuple[tuple[str, str], ...]:
    """The 'shorthand' map of a spelling section: one word typed for one word meant."""
    value = raw.get("shorthand") or {}
    if not isinstance(value, dict):
        problems.append(f"{where}: 'shorthand' should map a word typed to the word meant")
        return ()
    pairs: list[tuple[str, str]] = []
    for typed, meant in value.items():
        typed_words, meant_words = read_words(str(typed)), read_words(str(meant))
        if len(typed_words) != 1 or len(meant_words) != 1:
            problems.append(
                f"{where}: 'shorthand' has {typed!r}: {meant!r}; each side must be one word,"
                " so that the words of a message keep their places"
            )
        else:
            pairs.append((typed_words[0], meant_words[0]))
    return tuple(sorted(pairs))


def _groups(raw: object, where: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        problems.append(f"{where}: 'groups' should map a name to a choice such as '(a|b)'")
        return {}
    return {str(name): value for name, value in raw.items()}


def _fill(pattern: str, groups: Mapping[str, str]) -> tuple[str, str | None]:
    """`pattern` with each {name} replaced by its group, or the first unknown name's problem.

    A group standing as a whole choice inside another, as in "(trying|{cant})", is spliced
    into it ("(trying|cant|cannot)"), since choices do not nest.
    """
    missing = [name for name in _GROUP_NAME.findall(pattern) if name not in groups]
    if missing:
        return pattern, f"the group {{{missing[0]}}} is not defined under 'groups'"
    pattern = _SPLICED.sub(lambda found: _choices(groups[found.group(1)]), pattern)
    return _GROUP_NAME.sub(lambda found: groups[found.group(1)], pattern), None


def _choices(group: str) -> str:
    inner = group.strip()
    if inner.startswith("(") and inner.endswith(")") and inner.count("(") == 1:
        return inner[1:-1]
    return group


def _phrase(
    entry: object, language: str, groups: Mapping[str, str], where: str, problems: list[str]
) -> Phrase | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: should be a mapping with kind, pattern, urgency and note")
        return None
    pattern = entry.get("pattern")
    where = f"{where} ({pattern!r})" if isinstance(pattern, str) else where
    unknown = sorted(set(map(str, entry)) - _ENTRY_KEYS)
    if unknown:
        problems.append(f"{where}: unknown keys {unknown}; known: {sorted(_ENTRY_KEYS)}")
        return None
    if not isinstance(pattern, str):
        problems.append(f"{where}: the pattern is missing or not text")
        return None
    note = entry.get("note")
    if not isinstance(note, str) or not note.strip():
        problems.append(f"{where}: every entry needs a note saying why it is there")
        return None
    kind = str(entry.get("kind", ""))
    if kind not in set(RiskKind):
        problems.append(f"{where}: unknown kind {kind!r}; known: {', '.join(RiskKind)}")
        return None
    urgency = str(entry.get("urgency", "now"))
    everyday = entry.get("everyday", False)
    if not isinstance(everyday, bool):
        problems.append(f"{where}: 'everyday' should be true or false")
        return None
    filled, problem = _fill(pattern, groups)
    phrase = Phrase(
        kind=RiskKind(kind),
        language=language,
        pattern=filled,
        urgency=cast(Urgency, urgency),
        note=note.strip(),
        everyday=everyday,
    )
    problem = problem or phrase_problem(phrase)
    if problem is not None:
        problems.append(f"{where}: {problem}")
        return None
    return phrase


def _softening(
    raw: object, groups: Mapping[str, str], where: str, problems: list[str]
) -> Softening:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 'softening' should be a mapping of word lists")
        return Softening()
    unknown = sorted(set(map(str, raw)) - {*_WORD_LISTS, "long_ago"})
    if unknown:
        problems.append(f"{where}, softening: unknown keys {unknown}")
    lists = {name: _words(raw, name, f"{where}, softening", problems) for name in _WORD_LISTS}
    long_ago: list[str] = []
    for pattern in raw.get("long_ago") or []:
        filled, problem = _fill(str(pattern), groups)
        problem = problem or pattern_problem(filled)
        if problem is not None:
            problems.append(f"{where}, softening, long_ago ({pattern!r}): {problem}")
        else:
            long_ago.append(filled)
    return Softening(**lists, long_ago=tuple(long_ago))


def _words(raw: Mapping[str, Any], name: str, where: str, problems: list[str]) -> frozenset[str]:
    value = raw.get(name) or []
    if not isinstance(value, list):
        problems.append(f"{where}: {name!r} should be a list of words")
        return frozenset()
    words: set[str] = set()
    for item in value:
        folded = read_words(str(item))
        if len(folded) != 1:
            problems.append(f"{where}: {name!r} has {item!r}, which is not one word")
        else:
            words.add(folded[0])
    return frozenset(words)


@cache
def builtin_phrases() -> tuple[Phrase, ...]:
    """Every phrase of every language's file, read once."""
    return tuple(
        phrase for language in known_languages() for phrase in language_file(language).phrases
    )


@cache
def builtin_replies() -> dict[tuple[RiskKind, str], str]:
    """The default reply texts, (kind, language) -> text, for every kind in every language."""
    where = REPLY_FILE.name
    data = _read_mapping(REPLY_FILE, "should map each kind to its replies by language")
    problems: list[str] = []
    replies: dict[tuple[RiskKind, str], str] = {}
    languages = known_languages()
    for kind_name, by_language in data.items():
        if str(kind_name).startswith("_"):
            continue  # a place for YAML anchors that other entries reuse
        if kind_name not in set(RiskKind):
            problems.append(f"{where}: unknown kind {kind_name!r}; known: {', '.join(RiskKind)}")
            continue
        if not isinstance(by_language, dict):
            problems.append(f"{where}, {kind_name}: should map a language code to a text")
            continue
        for language, text in by_language.items():
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}, {kind_name}, {language}: the reply is empty")
            else:
                replies[RiskKind(kind_name), str(language)] = " ".join(text.split())
    for kind in RiskKind:
        for language in languages:
            if (kind, language) not in replies:
                problems.append(f"{where}, {kind}: no reply in {language!r}")
    if problems:
        raise PhraseFileError("\n".join(problems))
    return replies
