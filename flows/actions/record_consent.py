"""Records the resident's yes or no to one purpose: check-ins, event news or buddying.

Example::

    - record_consent:
        purpose: events
        given: true

Emits::

    [{"type": "action", "kind": "record_consent",
      "params": {"purpose": "events", "given": true}, "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts, no_values
from flows.events import ActionRequested
from flows.format.reader import Reader, line_of

TYPE = "record_consent"
PURPOSES = ("checkins", "events", "buddying")


@dataclass(frozen=True, slots=True)
class RecordConsent:
    purpose: str
    given: bool


def parse(raw: Any, reader: Reader, line: int | None) -> RecordConsent | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("purpose", "given"), TYPE)
    purpose, given = params.get("purpose"), params.get("given")
    if purpose not in PURPOSES:
        reader.error(
            "bad_value",
            f"purpose '{purpose}' should be one of: {', '.join(PURPOSES)}.",
            line_of(params, "purpose", line),
        )
        return None
    if not isinstance(given, bool):
        reader.error("bad_value", "given should be true or false.", line_of(params, "given", line))
        return None
    return RecordConsent(purpose, given)


def execute(params: RecordConsent, turn: Turn) -> None:
    turn.emit(ActionRequested(TYPE, {"purpose": params.purpose, "given": params.given}, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, no_values)
