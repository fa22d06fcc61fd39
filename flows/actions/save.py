"""Saves a result of the conversation, for staff to see and for later messages to use.

Example::

    - save:
        name: wants_call
        value: "yes"

Emits::

    [{"type": "result", "name": "wants_call", "value": "yes", "label": "yes",
      "category": "saved", "input": null, "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts
from flows.format.reader import Reader, line_of

TYPE = "save"


@dataclass(frozen=True, slots=True)
class Save:
    name: str
    value: str


def parse(raw: Any, reader: Reader, line: int | None) -> Save | None:
    params = reader.mapping(raw, "save", line)
    if params is None:
        return None
    reader.known_keys(params, ("name", "value"), "save")
    name = reader.identifier(params.get("name"), "The result's name", line_of(params, "name", line))
    value = reader.string(params.get("value"), "The saved value", line_of(params, "value", line))
    return Save(name, value) if name and value else None


def execute(params: Save, turn: Turn) -> None:
    value = turn.render_value(params.value, strict=True)
    if value is not None:
        turn.save_result(params.name, value, value, "saved", None)


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, lambda p: [p.value])
