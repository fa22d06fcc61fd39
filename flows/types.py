"""This module contains the data types of a compiled flow, shared by every part of `flows/`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

#: A language code as declared in a flow, e.g. "en".
Language = str

#: JSON-compatible data, as kept in session state and results.
JSON = Any


@dataclass(frozen=True, slots=True)
class Text:
    """One message as authored: a template per declared language."""

    templates: Mapping[Language, str]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer to a choice question. `number` is its 1-based position, as residents reply."""

    id: str
    number: int
    labels: Mapping[Language, str]
    words: Mapping[Language, tuple[str, ...]] = field(default_factory=dict)
    emoji: tuple[str, ...] = ()
    line: int | None = None


class AskKind(StrEnum):
    """What a question expects back."""

    CHOICE = "choice"
    YES_NO = "yes_no"
    NUMBER = "number"
    DATE = "date"
    TIME = "time"
    TEXT = "text"


#: Branch names every question has besides its answers.
OTHER = "other"
NO_RESPONSE = "no_response"
#: The branch name for any understood answer to a question that is not a choice or yes/no.
ANSWERED = "answered"
#: The fallback branch used for any outcome not named.
THEN = "then"
#: The step name that ends the flow.
END = "end"

#: What a flow's messages can be for. Each purpose but `service` has its own consent, which a
#: resident can give or withdraw; `service` (onboarding, help...) needs none.
PURPOSES = ("checkins", "events", "buddying", "service")
DEFAULT_PURPOSE = "service"


@dataclass(frozen=True, slots=True)
class Reminder:
    after: timedelta
    text: Text
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Ask:
    """A question: what it expects, how long to wait, and how to re-ask."""

    kind: AskKind
    choices: tuple[Choice, ...] = ()
    save_as: str | None = None
    timeout: timedelta | None = None
    reminders: tuple[Reminder, ...] = ()
    reask: Text | None = None
    max_reasks: int = 2
    clarify: Text | None = None
    minimum: float | None = None
    maximum: float | None = None
    line: int | None = None

    def outcomes(self) -> tuple[str, ...]:
        """Every branch name this question can take, in order."""
        if self.kind is AskKind.CHOICE:
            answers = tuple(choice.id for choice in self.choices)
        elif self.kind is AskKind.YES_NO:
            answers = ("yes", "no")
        else:
            answers = (ANSWERED,)
        return (*answers, OTHER, NO_RESPONSE)


@dataclass(frozen=True, slots=True)
class ActionCall:
    """One entry of a step's `do` list: a registered action kind and its parsed parameters."""

    kind: str
    params: Any
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Goto:
    target: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Branches:
    """Where an `ask` goes next, per outcome; `then` covers outcomes not named."""

    ask: Ask
    targets: Mapping[str, str]
    line: int | None = None
    #: The line of each branch, for problems about one of them.
    target_lines: Mapping[str, int | None] = field(default_factory=dict)

    def target_for(self, outcome: str) -> str | None:
        return self.targets.get(outcome, self.targets.get(THEN))


@dataclass(frozen=True, slots=True)
class RunFlow:
    """Run another flow as part of this one, then carry on at `then`."""

    flow_id: str
    then: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class End:
    outcome: str = "completed"
    line: int | None = None


Exit = Goto | Branches | RunFlow | End


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    actions: tuple[ActionCall, ...]
    exit: Exit | None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    """A compiled flow. `revision` is set by whoever stores it; sessions pin it."""

    id: str
    name: str
    languages: tuple[Language, ...]
    start: str
    steps: Mapping[str, Step]
    format: int
    revision: int = 1
    description: str = ""
    source: str | None = None
    #: What the flow's messages are for, so the service can check the resident's consent for it.
    purpose: str = DEFAULT_PURPOSE

    @property
    def default_language(self) -> Language:
        return self.languages[0]
