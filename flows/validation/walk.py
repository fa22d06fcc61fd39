"""This module lists where each step can go next, for the graph checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from flows.types import Branches, End, Goto, RunFlow, Step


@dataclass(frozen=True, slots=True)
class Edge:
    target: str
    line: int | None
    #: True when the resident must reply (or time out) before this edge is taken.
    after_wait: bool
    label: str


def edges(step: Step) -> Iterator[Edge]:
    exit_ = step.exit
    if isinstance(exit_, Goto):
        yield Edge(exit_.target, exit_.line, False, "'go'")
    elif isinstance(exit_, RunFlow):
        yield Edge(exit_.then, exit_.line, False, "'then'")
    elif isinstance(exit_, Branches):
        for outcome, target in exit_.targets.items():
            line = exit_.target_lines.get(outcome, exit_.line)
            yield Edge(target, line, True, f"The branch '{outcome}'")
    elif isinstance(exit_, End) or exit_ is None:
        return
