"""This module contains the events the engine emits: what the bot must do after a turn.

Every event is plain data with a `type` and a `to_json()` form, so goldens, scenario reports and
the outbox all see the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class Button:
    """A quick reply a channel can show as a button; pressing it sends `answer`."""

    label: str
    answer: str


@dataclass(frozen=True, slots=True)
class MessageOut:
    """A message for the resident; `kind` is say, question, reminder, reask or clarify.

    `buttons` are the answers a channel can offer as buttons. `reply` is true when the message
    answers what the resident just said: routine messages wait for quiet hours, replies don't.
    """

    type: ClassVar[str] = "message"
    text: str
    language: str
    step: str
    kind: str = "say"
    buttons: tuple[Button, ...] = ()
    reply: bool = False


@dataclass(frozen=True, slots=True)
class ResultSaved:
    """An answer or value kept as `results.<name>`: its value, its words, and how it was read.

    `category` is the branch the answer took (a choice, yes, no, answered, other) or `saved`.
    """

    type: ClassVar[str] = "result"
    name: str
    value: Any
    label: str
    category: str
    input: str | None
    step: str


@dataclass(frozen=True, slots=True)
class FieldSet:
    """One of the resident's own fields changed, e.g. the name they like to be called."""

    type: ClassVar[str] = "field"
    name: str
    value: str
    step: str


@dataclass(frozen=True, slots=True)
class ActionRequested:
    """A named action for the bot to carry out, e.g. alert_catalyst, with plain-data params."""

    type: ClassVar[str] = "action"
    kind: str
    params: dict[str, Any]
    step: str


@dataclass(frozen=True, slots=True)
class WaitStarted:
    """The session now waits for a reply; the bot should wake it with a timeout at `wake_at`."""

    type: ClassVar[str] = "wait"
    step: str
    expires_at: datetime | None
    wake_at: datetime | None


@dataclass(frozen=True, slots=True)
class FlowEntered:
    """The session began running a flow: at the start, and on each `run:` of another flow."""

    type: ClassVar[str] = "flow_entered"
    flow_id: str
    revision: int


@dataclass(frozen=True, slots=True)
class SessionEnded:
    """The conversation is over; `outcome` is how it ended, e.g. completed, missed, failed."""

    type: ClassVar[str] = "ended"
    outcome: str
    step: str


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """Something authored could not be done; the step was skipped and the flow went on."""

    type: ClassVar[str] = "error"
    code: str
    text: str
    step: str
    extra: dict[str, Any] = field(default_factory=dict)


Event = (
    MessageOut
    | ResultSaved
    | FieldSet
    | ActionRequested
    | WaitStarted
    | FlowEntered
    | SessionEnded
    | ErrorEvent
)

#: Every event type, for documentation and its tests.
EVENT_TYPES: tuple[type[Event], ...] = (
    MessageOut,
    ResultSaved,
    FieldSet,
    ActionRequested,
    WaitStarted,
    FlowEntered,
    SessionEnded,
    ErrorEvent,
)


def to_json(event: Event) -> dict[str, Any]:
    """The event as plain JSON: times as ISO 8601 text, tuples as lists."""
    return {"type": event.type, **_plain(asdict(event))}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value
