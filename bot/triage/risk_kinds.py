"""This module contains the vocabulary of risk: its kinds, a phrase, and a language's softening.

It holds types only, so that the phrase files' loader and the detector can both import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, get_args


class RiskKind(StrEnum):
    """What kind of risk a message signals, most pressing first (the order picks the reply)."""

    BREATHING = "breathing"
    CHEST_PAIN = "chest_pain"
    STROKE = "stroke"
    SUICIDE = "suicide"
    SELF_HARM = "self_harm"
    UNWELL_URGENT = "unwell_urgent"
    FALL = "fall"
    ABUSE_PHYSICAL = "abuse_physical"
    ABUSE_EMOTIONAL = "abuse_emotional"
    ABUSE_FINANCIAL = "abuse_financial"
    ABUSE_SEXUAL = "abuse_sexual"
    NEGLECT = "neglect"
    FEAR = "fear"
    HELP_ME = "help_me"


#: Each kind in plain words, for staff reading an alert.
KIND_WORDS: dict[RiskKind, str] = {
    RiskKind.BREATHING: "Trouble breathing",
    RiskKind.CHEST_PAIN: "Chest pain",
    RiskKind.STROKE: "Signs of a stroke",
    RiskKind.SUICIDE: "Thoughts of suicide",
    RiskKind.SELF_HARM: "Self-harm",
    RiskKind.UNWELL_URGENT: "Badly hurt or very unwell",
    RiskKind.FALL: "A fall, or cannot get up",
    RiskKind.ABUSE_PHYSICAL: "Being hurt by someone (physical abuse)",
    RiskKind.ABUSE_EMOTIONAL: "Being threatened, controlled or bullied (emotional abuse)",
    RiskKind.ABUSE_FINANCIAL: "Money being taken (financial abuse)",
    RiskKind.ABUSE_SEXUAL: "Unwanted sexual contact (sexual abuse)",
    RiskKind.NEGLECT: "Not being cared for (neglect)",
    RiskKind.FEAR: "Afraid for their safety",
    RiskKind.HELP_ME: "Asking for help",
}

#: How a phrase's tense or mood bears on urgency: "now" is present danger (urgent unless
#: negated), "event" something that happened (urgent unless negated, a worry, or long ago),
#: "concern" worth a human's eye but never a page.
Urgency = Literal["now", "event", "concern"]
URGENCIES: tuple[str, ...] = get_args(Urgency)

#: Kinds a worry word softens ("scared I might fall"): health events only. A worry does not
#: soften suicide, abuse or fear: "I might kill myself" is urgent.
WORRY_SOFTENS = frozenset(
    {
        RiskKind.FALL,
        RiskKind.CHEST_PAIN,
        RiskKind.STROKE,
        RiskKind.BREATHING,
        RiskKind.UNWELL_URGENT,
    }
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One entry of the phrase book.

    `pattern` is words with "(a|b|)" choices (an empty choice makes a group optional), "^" for
    the message start, "$" for its end and "*" between words for up to four other words. "a ~
    b" (near) finds a and b in either order with up to four words between; a word ending in
    "*" ("klatk*", four letters or more) stands for every word it begins. It is
    folded before matching, so capitals, accents and apostrophes may be written as a reader
    expects them. `everyday` marks a phrase that
    looks like a risk but is not ("dying for a cuppa"): a risk of its kind overlapping it is
    dropped. `origin` is "file" for bot/triage/risk_phrases, "admin:<id>" for staff additions.
    """

    kind: RiskKind
    language: str
    pattern: str
    urgency: Urgency = "now"
    note: str = ""
    everyday: bool = False
    origin: str = "file"


@dataclass(frozen=True, slots=True)
class Softening:
    """One language's words that make a match softer, and that may stand around a phrase.

    `negators` turn a match round when they come just before it, looking back past `filler`
    words ("I have not really fallen"); `close_negators` only right before it ("no chest
    pain"), unless an `exclamations` word comes first ("oh no, chest pain"). `worries` make a
    health match a worry ("scared I might fall"). `asking` before "help me" makes it a question
    to the bot, looking past `please`. `long_ago` patterns soften an event clearly older than a
    day. `sign_offs` may stand beyond an anchored phrase ("I want to end it x").
    """

    negators: frozenset[str] = frozenset()
    close_negators: frozenset[str] = frozenset()
    exclamations: frozenset[str] = frozenset()
    worries: frozenset[str] = frozenset()
    filler: frozenset[str] = frozenset()
    asking: frozenset[str] = frozenset()
    please: frozenset[str] = frozenset()
    sign_offs: frozenset[str] = frozenset()
    long_ago: tuple[str, ...] = ()
