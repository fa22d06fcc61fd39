"""This module turns the text of a flow file into a checked `Flow`, or plain-words problems.

Reading the file is the caller's job (flows/ does no I/O); this never raises on bad input.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from flows.format.parse import parse_flow
from flows.format.yaml_loader import YamlFileError, load_yaml
from flows.problems import Problem, has_errors
from flows.types import Flow
from flows.validation import validate
from flows.validation.messages import SmsLine


@dataclass(frozen=True, slots=True)
class LoadedFlow:
    source: str
    flow: Flow | None
    problems: list[Problem] = field(default_factory=list)
    sms: list[SmsLine] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.flow is not None and not has_errors(self.problems)


def load_flow(text: str, *, source: str, known_flows: Collection[str] | None = None) -> LoadedFlow:
    """Parse and validate one flow file's text; `source` names it in every problem."""
    try:
        document = load_yaml(text)
    except YamlFileError as exc:
        problem = Problem("not_yaml", exc.message, exc.line).in_file(source)
        return LoadedFlow(source, None, [problem])
    flow, problems = parse_flow(document)
    sms: list[SmsLine] = []
    if flow is not None:
        found, sms = validate(flow, known_flows)
        problems += found
        flow = replace(flow, source=source)
    problems = sorted({p.in_file(source) for p in problems}, key=lambda p: (p.line or 0, p.code))
    return LoadedFlow(source, flow, problems, sms)
