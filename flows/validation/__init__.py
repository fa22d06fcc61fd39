"""Checks that need the whole flow: its graph, its messages and its choices."""

from __future__ import annotations

from flows.problems import Problem
from flows.types import Flow
from flows.validation.choices import check_choices
from flows.validation.graph import check_graph
from flows.validation.library import FlowIds, check_references
from flows.validation.messages import SmsLine, check_messages


def validate(flow: Flow, known_flows: FlowIds | None = None) -> tuple[list[Problem], list[SmsLine]]:
    """Every problem in `flow`, and the SMS length of each message in each language.

    `known_flows` are the ids a `run:` or `start_flow` may name; None skips that check.
    """
    problems = check_graph(flow) + check_choices(flow)
    message_problems, sms = check_messages(flow)
    problems += message_problems
    if known_flows is not None:
        problems += check_references(flow, known_flows)
    return sorted(problems, key=lambda p: (p.line or 0, p.code)), sms
