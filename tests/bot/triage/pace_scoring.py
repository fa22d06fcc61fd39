"""This module contains the scoring of the pace test set, shared by its tests and summary.

The set lives in tests/bot/triage/pace_set/<language>.yaml: requests with the kind and `until`
pace_intent should give, and ordinary messages (answers and news) that must give None. Each
language is read with every configured language's phrases at once, as the pipeline reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from bot.triage.pace import PaceKind, pace_intent
from bot.triage.pace_files import known_languages

SET_DIR = Path(__file__).with_name("pace_set")


@dataclass(frozen=True, slots=True)
class Expected:
    text: str
    kind: PaceKind
    until: str | None


@dataclass(frozen=True, slots=True)
class PaceSet:
    language: str
    requests: tuple[Expected, ...]
    ordinary: tuple[str, ...]


@cache
def pace_set(language: str) -> PaceSet:
    data = yaml.safe_load((SET_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    requests = tuple(
        Expected(str(entry["text"]), PaceKind(entry["kind"]), entry.get("until"))
        for entry in data["requests"]
    )
    return PaceSet(language, requests, tuple(str(text) for text in data["ordinary"]))


def set_languages() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in SET_DIR.glob("*.yaml")))


def read(text: str) -> tuple[PaceKind, str | None] | None:
    """What pace_intent makes of `text` with every language configured, as kind and until."""
    found = pace_intent(text, known_languages())
    return None if found is None else (found.kind, found.until)


@dataclass
class Score:
    """One language's figures on the set."""

    language: str
    requests: int = 0
    wrong: list[str] = field(default_factory=list)
    ordinary: int = 0
    false_alarms: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.language}: understood {self.requests - len(self.wrong)}/{self.requests}"
            f" requests with kind and until, false alarms"
            f" {len(self.false_alarms)}/{self.ordinary} ordinary messages"
        )


def score(language: str) -> Score:
    the_set = pace_set(language)
    result = Score(language, requests=len(the_set.requests), ordinary=len(the_set.ordinary))
    result.wrong = [
        expected.text
        for expected in the_set.requests
        if read(expected.text) != (expected.kind, expected.until)
    ]
    result.false_alarms = [text for text in the_set.ordinary if read(text) is not None]
    return result
