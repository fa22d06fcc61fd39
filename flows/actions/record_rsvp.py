"""Records the resident's answer to an event (the event the conversation is about).

`response` is `going`, `interested` or `not_going`; the catalyst follows up on the first two.

Example::

    - record_rsvp:
        response: going

Emits::

    [{"type": "action", "kind": "record_rsvp",
      "params": {"event_id": "ev-1", "response": "going"}, "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts, no_values
from flows.events import ActionRequested, ErrorEvent
from flows.format.reader import Reader, line_of

TYPE = "record_rsvp"
RESPONSES = ("going", "interested", "not_going")


@dataclass(frozen=True, slots=True)
class RecordRsvp:
    response: str


def parse(raw: Any, reader: Reader, line: int | None) -> RecordRsvp | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("response",), TYPE)
    response = params.get("response")
    if response not in RESPONSES:
        reader.error(
            "bad_value",
            f"response '{response}' should be one of: {', '.join(RESPONSES)}.",
            line_of(params, "response", line),
        )
        return None
    return RecordRsvp(response)


def execute(params: RecordRsvp, turn: Turn) -> None:
    event_id = turn.lookup("event", "id")
    if not event_id:
        turn.emit(
            ErrorEvent("no_event", "record_rsvp needs an event, but none was given.", turn.step)
        )
        return
    turn.emit(ActionRequested(TYPE, {"event_id": event_id, "response": params.response}, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, no_values)
