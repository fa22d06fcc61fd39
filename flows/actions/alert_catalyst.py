"""Tells the resident's catalyst something needs a human, with a short reason they will read.

`urgency` is `routine` (seen in the admin's list) or `urgent` (paged at once). The reason is
for staff: write it as a summary, never quote the resident's words. `kind` says what it is
about, so the catalyst can pick such alerts out: `call` (they would like a call), `low` (they
are feeling low), or `flow` (anything else; the default).

Example::

    - alert_catalyst:
        reason: "{{ resident.preferred_name }} is feeling low and would like a call"
        urgency: urgent
        kind: call

Emits::

    [{"type": "action", "kind": "alert_catalyst",
      "params": {"reason": "Margaret is feeling low and would like a call", "urgency": "urgent",
                 "kind": "call"},
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
#: What an alert from a flow can be about (the admin names each in words).
KINDS = ("flow", "call", "low")


@dataclass(frozen=True, slots=True)
class AlertCatalyst:
    reason: str
    urgency: str
    kind: str = "flow"


def parse(raw: Any, reader: Reader, line: int | None) -> AlertCatalyst | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("reason", "urgency", "kind"), TYPE)
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
    kind = params.get("kind", "flow")
    if kind not in KINDS:
        reader.error(
            "bad_value",
            f"kind '{kind}' should be one of: {', '.join(KINDS)}.",
            line_of(params, "kind", line),
        )
        return None
    return AlertCatalyst(reason, urgency, kind) if reason else None


def execute(params: AlertCatalyst, turn: Turn) -> None:
    reason = turn.render_value(params.reason)
    if reason is not None:
        emitted = {"reason": reason, "urgency": params.urgency}
        if params.kind != "flow":
            emitted["kind"] = params.kind
        turn.emit(ActionRequested(TYPE, emitted, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, lambda p: [p.reason])
