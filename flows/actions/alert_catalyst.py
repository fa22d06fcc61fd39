"""Tells the resident's catalyst something needs a human, with a short reason they will read.

`urgency` is `routine` (seen in the admin's list) or `urgent` (paged at once). The reason is
for staff: write it as a summary, never quote the resident's words.

Example::

    - alert_catalyst:
        reason: "{{ resident.preferred_name }} is feeling low and would like a call"
        urgency: urgent

Emits::

    [{"type": "action", "kind": "alert_catalyst",
      "params": {"reason": "Margaret is feeling low and would like a call", "urgency": "urgent"},
      "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts
from flows.events import ActionRequested
from flows.format.reader import Reader, line_of

TYPE = "alert_catalyst"
URGENCIES = ("routine", "urgent")


@dataclass(frozen=True, slots=True)
class AlertCatalyst:
    reason: str
    urgency: str


def parse(raw: Any, reader: Reader, line: int | None) -> AlertCatalyst | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("reason", "urgency"), TYPE)
    reason = reader.string(
        params.get("reason"), "The alert's reason", line_of(params, "reason", line)
    )
    urgency = params.get("urgency", "routine")
    if urgency not in URGENCIES:
        reader.error(
            "bad_value",
            f"urgency '{urgency}' should be one of: {', '.join(URGENCIES)}.",
            line_of(params, "urgency", line),
        )
        return None
    return AlertCatalyst(reason, urgency) if reason else None


def execute(params: AlertCatalyst, turn: Turn) -> None:
    reason = turn.render_value(params.reason)
    if reason is not None:
        turn.emit(ActionRequested(TYPE, {"reason": reason, "urgency": params.urgency}, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, lambda p: [p.reason])
