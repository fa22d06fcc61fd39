"""Changes one of the resident's own fields, such as the name they like to be called.

Example::

    - set_field:
        field: preferred_name
        value: "Pat"

Emits::

    [{"type": "field", "name": "preferred_name", "value": "Pat", "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts
from flows.context import SETTABLE_FIELDS
from flows.events import FieldSet
from flows.format.reader import Reader, line_of

TYPE = "set_field"


@dataclass(frozen=True, slots=True)
class SetField:
    field: str
    value: str


def parse(raw: Any, reader: Reader, line: int | None) -> SetField | None:
    params = reader.mapping(raw, "set_field", line)
    if params is None:
        return None
    reader.known_keys(params, ("field", "value"), "set_field")
    field_line = line_of(params, "field", line)
    name = reader.string(params.get("field"), "The field", field_line)
    value = reader.string(params.get("value"), "The value", line_of(params, "value", line))
    if name and name not in SETTABLE_FIELDS:
        reader.error(
            "unknown_field",
            f"'{name}' is not a field a flow can change; use one of: {', '.join(SETTABLE_FIELDS)}.",
            field_line,
        )
        return None
    return SetField(name, value) if name and value else None


def execute(params: SetField, turn: Turn) -> None:
    value = turn.render_value(params.value, strict=True)
    if value is not None:
        turn.emit(FieldSet(params.field, value, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, lambda p: [p.value])
