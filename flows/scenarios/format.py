"""This module reads a scenario file: who the resident is, what they say, and what must happen.

flow: weekly_checkin
scenarios:
  - name: Pat feels low and asks for a call
    resident: {preferred_name: Pat}
    catalyst: {first_name: Abby}
    conversation:
      - bot: How are you
      - resident: "3"
      - bot: [sorry, call]
      - resident: yes
      - action: {alert_catalyst: {urgency: routine}}
    expect:
      results: {mood: low}
      ends: completed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flows.durations import DurationError, parse_duration
from flows.format.reader import describe_type, line_of
from flows.format.yaml_loader import LocatedDict, LocatedList, YamlFileError, load_yaml
from flows.problems import Problem

DEFAULT_START = "2026-01-05 10:00"
DEFAULT_TIME_ZONE = "Europe/London"
NAMESPACES = ("resident", "catalyst", "event", "buddy", "rhythm", "last")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the conversation. `kind` is bot, resident, wait or action."""

    kind: str
    line: int | None
    texts: tuple[str, ...] = ()
    wait: timedelta | None = None
    action: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Expect:
    results: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)
    actions: tuple[tuple[str, dict[str, Any]], ...] = ()
    no_actions: tuple[str, ...] = ()
    ends: str | None = None
    at_step: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    flow: str
    context: dict[str, dict[str, Any]]
    start: datetime
    conversation: tuple[Line, ...]
    expect: Expect
    line: int | None


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    flow: str
    scenarios: tuple[Scenario, ...]


class ScenarioError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def parse_scenarios(text: str) -> ScenarioFile:
    """Parse a scenario file; raise `ScenarioError` listing every problem in plain words."""
    problems: list[Problem] = []
    try:
        document = load_yaml(text)
    except YamlFileError as exc:
        raise ScenarioError([Problem("not_yaml", exc.message, exc.line)]) from exc
    if not isinstance(document, LocatedDict) or not isinstance(document.get("flow"), str):
        raise ScenarioError(
            [
                Problem(
                    "not_scenarios",
                    "A scenario file starts with 'flow: <flow id>' and "
                    "'scenarios:' with a list of conversations.",
                    1,
                )
            ]
        )
    flow = document["flow"]
    items = document.get("scenarios")
    if not isinstance(items, LocatedList) or not items:
        raise ScenarioError(
            [
                Problem(
                    "no_scenarios",
                    "Add 'scenarios:' with at least one conversation.",
                    line_of(document, "scenarios", 1),
                )
            ]
        )
    scenarios = []
    for index, raw in enumerate(items):
        scenario = _scenario(raw, flow, line_of(items, index), problems)
        if scenario is not None:
            scenarios.append(scenario)
    if problems:
        raise ScenarioError(problems)
    return ScenarioFile(flow, tuple(scenarios))


def _scenario(raw: Any, flow: str, line: int | None, problems: list[Problem]) -> Scenario | None:
    def error(message: str, at: int | None) -> None:
        problems.append(Problem("bad_scenario", message, at))

    if not isinstance(raw, LocatedDict):
        error("Each scenario is a mapping with 'name', 'conversation' and 'expect'.", line)
        return None
    allowed = ("name", "flow", "start", "conversation", "expect", *NAMESPACES)
    for key in raw:
        if key not in allowed:
            error(
                f"'{key}' is not part of a scenario; use: {', '.join(allowed)}.",
                line_of(raw, key, line),
            )
    name = str(raw.get("name") or f"scenario at line {line}")
    context: dict[str, dict[str, Any]] = {}
    for space in NAMESPACES:
        value = raw.get(space, {})
        if not isinstance(value, dict):
            error(f"'{space}' should be 'field: value' lines.", line_of(raw, space, line))
            continue
        context[space] = {str(k): v for k, v in value.items()}
    start = _start(raw.get("start", DEFAULT_START), context, line_of(raw, "start", line), error)
    conversation = [
        parsed
        for index, item in enumerate(raw.get("conversation") or [])
        if (parsed := _line(item, line_of(raw.get("conversation"), index, line), error))
    ]
    expect = _expect(raw.get("expect"), line_of(raw, "expect", line), error)
    if start is None:
        return None
    return Scenario(
        name, str(raw.get("flow", flow)), context, start, tuple(conversation), expect, line
    )


def _start(raw: Any, context: dict[str, dict[str, Any]], line: int | None, error: Any) -> Any:
    zone = ZoneInfo(str(context.get("resident", {}).get("time_zone", DEFAULT_TIME_ZONE)))
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        error(f"'start' should be a date and time like '{DEFAULT_START}', not '{raw}'.", line)
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _line(raw: Any, line: int | None, error: Any) -> Line | None:
    if not isinstance(raw, LocatedDict) or len(raw) != 1:
        error(
            "Each conversation line is one of 'bot: …', 'resident: …', 'wait: 4h' or 'action: …'.",
            line,
        )
        return None
    ((kind, value),) = raw.items()
    if kind == "bot":
        texts = value if isinstance(value, list) else [value]
        return Line("bot", line, tuple(str(t) for t in texts))
    if kind == "resident":
        if not isinstance(value, (str, int, float)):
            error(f"What the resident says should be text, not {describe_type(value)}.", line)
            return None
        return Line("resident", line, (str(value),))
    if kind == "wait":
        try:
            return Line("wait", line, wait=parse_duration(value))
        except DurationError as exc:
            error(str(exc), line)
            return None
    if kind == "action":
        parsed = _action(value, line, error)
        return Line("action", line, action=parsed[0], params=parsed[1]) if parsed else None
    error(f"'{kind}' is not a conversation line; use bot, resident, wait or action.", line)
    return None


def _action(value: Any, line: int | None, error: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(value, str):
        return value, {}
    if isinstance(value, dict) and len(value) == 1:
        ((kind, params),) = value.items()
        if params is None or isinstance(params, dict):
            return str(kind), dict(params or {})
    error("An action is its name, or 'name: {setting: value}'.", line)
    return None


def _expect(raw: Any, line: int | None, error: Any) -> Expect:
    if raw is None:
        return Expect(line=line)
    if not isinstance(raw, LocatedDict):
        error("'expect' should be lines such as 'ends: completed' and 'results: …'.", line)
        return Expect(line=line)
    allowed = ("results", "fields", "actions", "no_actions", "ends", "at_step")
    for key in raw:
        if key not in allowed:
            error(
                f"'{key}' is not something to expect; use: {', '.join(allowed)}.",
                line_of(raw, key, line),
            )
    actions = []
    for item in raw.get("actions") or []:
        parsed = _action(item, line_of(raw, "actions", line), error)
        if parsed:
            actions.append(parsed)
    return Expect(
        results={str(k): str(v) for k, v in (raw.get("results") or {}).items()},
        fields={str(k): str(v) for k, v in (raw.get("fields") or {}).items()},
        actions=tuple(actions),
        no_actions=tuple(str(a) for a in raw.get("no_actions") or []),
        ends=None if raw.get("ends") is None else str(raw["ends"]),
        at_step=None if raw.get("at_step") is None else str(raw["at_step"]),
        line=line,
    )
