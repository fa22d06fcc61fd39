"""This module checks that flows named by `run:`, `start_flow` and follow-ups exist."""

from __future__ import annotations

from collections.abc import Collection

from flows.actions.schedule_followup import ScheduleFollowup
from flows.actions.start_flow import StartFlow
from flows.problems import Problem
from flows.types import Flow, RunFlow

FlowIds = Collection[str]


def check_references(flow: Flow, known: FlowIds) -> list[Problem]:
    problems = []
    for step in flow.steps.values():
        named: list[tuple[str, int | None]] = []
        if isinstance(step.exit, RunFlow):
            named.append((step.exit.flow_id, step.exit.line))
        for call in step.actions:
            if isinstance(call.params, (StartFlow, ScheduleFollowup)):
                named.append((call.params.flow, call.line))
        for flow_id, line in named:
            if flow_id not in known and flow_id != flow.id:
                problems.append(
                    Problem(
                        "unknown_flow",
                        f"This names the flow '{flow_id}', which is not among the flows "
                        f"being checked ({', '.join(sorted(known)) or 'none'}).",
                        line,
                        step.id,
                    )
                )
    return problems
