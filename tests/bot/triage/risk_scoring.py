"""This module contains the scoring of the safeguarding test set, shared by its tests and summary.

The set lives in tests/bot/triage/risk_set/<language>.yaml: risky messages with the kind each
signals, and ordinary messages that must raise nothing. A risky message counts as caught when
the detector finds its kind (first, or among the kinds it lists for staff), or when the most
pressing kind found gets a reply just as safe (see SAFE_ALTERNATIVES).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from bot.triage.safeguarding import Detector, RiskKind, default_detector

SET_DIR = Path(__file__).with_name("risk_set")

_ABUSE = frozenset(
    {
        RiskKind.ABUSE_PHYSICAL,
        RiskKind.ABUSE_EMOTIONAL,
        RiskKind.ABUSE_FINANCIAL,
        RiskKind.ABUSE_SEXUAL,
        RiskKind.FEAR,
    }
)
#: Kinds whose reply is as safe as the expected kind's: the same numbers and the same "a
#: person has been told", never naming abuse. Suicide and self-harm share the crisis lines
#: (Samaritans, SHOUT, NHS 111 option 2); every abuse kind and fear share "in danger now".
SAFE_ALTERNATIVES: dict[RiskKind, frozenset[RiskKind]] = {
    RiskKind.SUICIDE: frozenset({RiskKind.SELF_HARM}),
    RiskKind.SELF_HARM: frozenset({RiskKind.SUICIDE}),
    **{kind: _ABUSE - {kind} for kind in _ABUSE},
}


@dataclass(frozen=True, slots=True)
class Risky:
    text: str
    kind: RiskKind


@dataclass(frozen=True, slots=True)
class RiskSet:
    language: str
    risky: tuple[Risky, ...]
    ordinary: tuple[str, ...]


@cache
def risk_set(language: str) -> RiskSet:
    data = yaml.safe_load((SET_DIR / f"{language}.yaml").read_text(encoding="utf-8"))
    return RiskSet(
        language=language,
        risky=tuple(Risky(entry["text"], RiskKind(entry["kind"])) for entry in data["risky"]),
        ordinary=tuple(data["ordinary"]),
    )


def set_languages() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in SET_DIR.glob("*.yaml")))


def how_caught(detector: Detector, message: Risky) -> str | None:
    """ "first", "listed" or "alternative" for a caught message; None for a miss."""
    found = detector.find_risks(message.text)
    if not found:
        return None
    if found[0].kind is message.kind:
        return "first"
    if message.kind in {risk.kind for risk in found}:
        return "listed"
    if found[0].kind in SAFE_ALTERNATIVES.get(message.kind, frozenset()):
        return "alternative"
    return None


@dataclass
class Score:
    """One language's figures on the set."""

    language: str
    caught: dict[str, int] = field(default_factory=dict)
    risky: int = 0
    missed: list[str] = field(default_factory=list)
    ordinary: int = 0
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return (self.risky - len(self.missed)) / self.risky if self.risky else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return len(self.false_alarms) / self.ordinary if self.ordinary else 0.0

    def describe(self) -> str:
        ways = ", ".join(f"{count} {way}" for way, count in sorted(self.caught.items()))
        return (
            f"{self.language}: recall {self.risky - len(self.missed)}/{self.risky}"
            f" ({self.recall:.1%}; {ways or 'none caught'}), false alarms"
            f" {len(self.false_alarms)}/{self.ordinary} ({self.false_alarm_rate:.1%})"
        )


def score(language: str, detector: Detector | None = None) -> Score:
    detector = detector or default_detector()
    the_set = risk_set(language)
    result = Score(language, risky=len(the_set.risky), ordinary=len(the_set.ordinary))
    for message in the_set.risky:
        way = how_caught(detector, message)
        if way is None:
            result.missed.append(message.text)
        else:
            result.caught[way] = result.caught.get(way, 0) + 1
    result.false_alarms = [text for text in the_set.ordinary if detector.triage(text)]
    return result
