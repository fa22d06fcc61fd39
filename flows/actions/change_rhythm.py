"""Asks the bot to settle a change of check-in rhythm the resident was offered: with `agreed:
true` the rhythm the bot proposed (kept in the conversation's `rhythm` context) becomes theirs;
with `agreed: false` it stays as it was. Either way their catalyst is told.

Example::

    - change_rhythm:
        agreed: true

Emits::

    [{"type": "action", "kind": "change_rhythm",
      "params": {"agreed": true, "at": "2026-11-23T10:00:00+00:00"}, "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts, no_values
from flows.events import ActionRequested
from flows.format.reader import Reader, line_of

TYPE = "change_rhythm"


@dataclass(frozen=True, slots=True)
class ChangeRhythm:
    agreed: bool


def parse(raw: Any, reader: Reader, line: int | None) -> ChangeRhythm | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("agreed",), TYPE)
    agreed = params.get("agreed")
    if not isinstance(agreed, bool):
        reader.error(
            "bad_value", "agreed should be true or false.", line_of(params, "agreed", line)
        )
        return None
    return ChangeRhythm(agreed)


def execute(params: ChangeRhythm, turn: Turn) -> None:
    # The moment goes with it: the new rhythm starts from when the resident said yes.
    said = {"agreed": params.agreed, "at": turn.now.isoformat()}
    turn.emit(ActionRequested(TYPE, said, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, no_values)
