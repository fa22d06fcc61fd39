"""Ends the whole conversation at once, including any flow that ran this one.

A step's `end:` finishes only the current flow (and returns to a flow that ran it); this stops
everything, e.g. when the resident says they would rather not talk now.

Example::

    - end_conversation:
        outcome: declined

Emits::

    [{"type": "ended", "outcome": "declined", "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts, no_values
from flows.format.reader import Reader, line_of

TYPE = "end_conversation"


@dataclass(frozen=True, slots=True)
class EndConversation:
    outcome: str


def parse(raw: Any, reader: Reader, line: int | None) -> EndConversation | None:
    if raw is None or raw is True:
        return EndConversation("completed")
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("outcome",), TYPE)
    outcome = reader.identifier(
        params.get("outcome", "completed"), "The outcome", line_of(params, "outcome", line)
    )
    return EndConversation(outcome) if outcome else None


def execute(params: EndConversation, turn: Turn) -> None:
    turn.end_session(params.outcome)


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, no_values)
