"""Starts another flow with the resident once this conversation has finished.

Unlike a step's `run:`, which runs a flow inside this one and comes back, this hands over.

Example::

    - start_flow:
        flow: buddy_intro

Emits::

    [{"type": "action", "kind": "start_flow", "params": {"flow": "buddy_intro"},
      "step": "example"}]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flows.actions.base import ActionType, Turn, no_texts, no_values
from flows.events import ActionRequested
from flows.format.reader import Reader, line_of

TYPE = "start_flow"


@dataclass(frozen=True, slots=True)
class StartFlow:
    flow: str


def parse(raw: Any, reader: Reader, line: int | None) -> StartFlow | None:
    params = reader.mapping(raw, TYPE, line)
    if params is None:
        return None
    reader.known_keys(params, ("flow",), TYPE)
    flow = reader.identifier(params.get("flow"), "The flow to start", line_of(params, "flow", line))
    return StartFlow(flow) if flow else None


def execute(params: StartFlow, turn: Turn) -> None:
    turn.emit(ActionRequested(TYPE, {"flow": params.flow}, turn.step))


ACTION = ActionType(TYPE, parse, execute, __doc__ or "", no_texts, no_values)
