"""This module contains the result types of reading a reply: understood, ambiguous, passed on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Understood:
    """The reply answers the question.

    `outcome` is the branch name (a choice id, "yes"/"no", or `flows.types.ANSWERED`), `value`
    is JSON-plain for session state, and `label` is a human rendering for staff and templates.
    """

    outcome: str
    value: str | int | float
    label: str


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """The reply could mean any of `candidates` (choice ids in choice order, or ("yes", "no"))."""

    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    """The reply does not answer the question; `reason` is short plain English for staff logs."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class PassOn:
    """The reply points to an answer but says more than it (a problem described, a second
    thought), so a person should read it.

    `guess` is the answer it most likely means. `follow` says whether the flow may carry on as if
    that were the answer; never for the happiest choice, because "good, but my knee is killing
    me" must not be met with "That's lovely to hear".
    """

    guess: Understood
    follow: bool
    reason: str = ""


Understanding = Understood | Ambiguous | NotUnderstood | PassOn
