"""Sends one message to the resident, in their language, with names filled in.

Example::

    - say: "It's {{ catalyst.first_name }}. Lovely to hear from you, {{ resident.preferred_name }}."

Emits::

    [{"type": "message", "text": "It's Abby. Lovely to hear from you, Margaret.", "language": "en",
      "step": "example", "kind": "say", "buttons": [], "reply": false}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_values
from flows.format.reader import Reader
from flows.types import Text

TYPE = "say"


@dataclass(frozen=True, slots=True)
class Say:
    text: Text


def parse(raw: Any, reader: Reader, line: int | None) -> Say | None:
    text = reader.text(raw, "The message", line)
    return Say(text) if text else None


def execute(params: Say, turn: Turn) -> None:
    rendered = turn.render(params.text)
    # A message whose `{% if %}` leaves nothing to say is not sent (an empty SMS costs too).
    if rendered:
        turn.emit(turn.message(rendered))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", lambda p: [p.text], no_values)
