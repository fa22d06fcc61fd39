"""Asks the bot to start a flow with the resident again later, e.g. a call-back check-in.

Example::

    - schedule_followup:
        flow: weekly_checkin
        after: 2d

Emits::

    [{"type": "action", "kind": "schedule_followup",
      "params": {"flow": "weekly_checkin", "due_at": "2026-11-25T10:00:00+00:00"},
      "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts, no_values
from flows.events import ActionRequested
from flows.format.reader import Reader, line_of

TYPE = "schedule_followup"


@dataclass(frozen=True, slots=True)
class ScheduleFollowup:
    flow: str
    after: timedelta


def parse(raw: Any, reader: Reader, line: int | None) -> ScheduleFollowup | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("flow", "after"), TYPE)
    flow = reader.identifier(params.get("flow"), "The flow to start", line_of(params, "flow", line))
    after = reader.duration(params.get("after"), "after", line_of(params, "after", line))
    return ScheduleFollowup(flow, after) if flow and after else None


def execute(params: ScheduleFollowup, turn: Turn) -> None:
    due = (turn.now + params.after).isoformat()
    turn.emit(ActionRequested(TYPE, {"flow": params.flow, "due_at": due}, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, no_values)
