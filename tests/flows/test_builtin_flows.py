"""Tests of the flows that ship with Companion: clean, one SMS each, and their scenarios pass.

Every built-in flow must validate with no problem at all (not even a warning), every English
message must fit one GSM-7 SMS segment with the sample names, and every flow must have a
`<id>.test.yaml` beside it whose scenarios all pass and, between them, visit every step.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bot.flow_files import SCENARIO_SUFFIX, builtin_flow_paths, builtin_library, load_flow_files
from flows.engine import Reply, Sprint, Timeout, resume, start
from flows.library import MemoryLibrary
from flows.loading import LoadedFlow
from flows.scenarios import Scenario, parse_scenarios, run_scenario

#: The flows Companion promises to ship; more may be added, none may go missing.
EXPECTED_FLOWS = {"weekly_checkin", "onboarding", "event_nudge", "buddy_intro", "help", "life_map"}


@cache
def loaded_flows() -> tuple[LoadedFlow, ...]:
    return tuple(load_flow_files(builtin_flow_paths()))


@cache
def library() -> MemoryLibrary:
    return builtin_library()


def flow_id(loaded: LoadedFlow) -> str:
    assert loaded.flow is not None, f"{loaded.source} did not load"
    return loaded.flow.id


def scenario_path(flow_path: Path) -> Path:
    return flow_path.with_name(flow_path.name.removesuffix(".yaml") + SCENARIO_SUFFIX)


def scenarios_of(flow_path: Path) -> tuple[Scenario, ...]:
    return parse_scenarios(scenario_path(flow_path).read_text(encoding="utf-8")).scenarios


def all_scenarios() -> list[tuple[str, Scenario]]:
    """Every scenario of every built-in flow that has a scenario file, with its flow's file."""
    found = []
    for path in builtin_flow_paths():
        if scenario_path(path).exists():
            found += [(path.name, scenario) for scenario in scenarios_of(path)]
    return found


SCENARIOS = all_scenarios()


def test_the_expected_flows_are_built_in() -> None:
    ids = {flow_id(loaded) for loaded in loaded_flows()}
    assert ids >= EXPECTED_FLOWS, f"missing: {sorted(EXPECTED_FLOWS - ids)}"


@pytest.mark.parametrize("loaded", loaded_flows(), ids=lambda loaded: Path(loaded.source).name)
def test_a_builtin_flow_has_no_problems_at_all(loaded: LoadedFlow) -> None:
    assert loaded.ok
    assert [problem.format() for problem in loaded.problems] == []


@pytest.mark.parametrize("loaded", loaded_flows(), ids=lambda loaded: Path(loaded.source).name)
def test_every_english_message_is_one_gsm7_segment(loaded: LoadedFlow) -> None:
    english = [line for line in loaded.sms if line.language == "en"]
    assert english, f"{loaded.source} has no English messages"
    too_long = [
        f"{line.step}:{line.line} {line.what}: {line.info.describe()}"
        for line in english
        if not (line.info.segments == 1 and line.info.encoding == "GSM-7")
    ]
    assert too_long == []


@pytest.mark.parametrize("path", builtin_flow_paths(), ids=lambda path: path.name)
def test_every_builtin_flow_has_scenarios_for_itself(path: Path) -> None:
    scenario_file = scenario_path(path)
    assert scenario_file.exists(), f"{path.name} has no {scenario_file.name}"
    [loaded] = [item for item in loaded_flows() if Path(item.source) == path]
    scenarios = scenarios_of(path)
    assert len(scenarios) >= 4, f"{scenario_file.name} has only {len(scenarios)} scenarios"
    assert {scenario.flow for scenario in scenarios} == {flow_id(loaded)}


@pytest.mark.parametrize(
    ("flow_file", "scenario"),
    SCENARIOS,
    ids=[f"{flow_file}: {scenario.name}" for flow_file, scenario in SCENARIOS],
)
def test_a_builtin_scenario_passes(flow_file: str, scenario: Scenario) -> None:
    outcome = run_scenario(scenario, library())
    failures = "\n".join(
        f"line {failure.line}: expected {failure.expected}, but {failure.happened}"
        for failure in outcome.failures
    )
    transcript = "\n".join(f"    {entry}" for entry in outcome.transcript)
    assert outcome.passed, (
        f"{flow_file}: {scenario.name}\n{failures}\n  conversation:\n{transcript}"
    )


def test_the_weekly_checkin_scenarios_end_both_completed_and_missed() -> None:
    [path] = [p for p in builtin_flow_paths() if p.name == "weekly_checkin.yaml"]
    endings = {scenario.expect.ends for scenario in scenarios_of(path)}
    assert {"completed", "missed"} <= endings


def visited_steps(scenario: Scenario) -> set[str]:
    """The steps a scenario's conversation passes through, played the way the runner plays it."""
    clock = _Clock(scenario.start)
    context = scenario.context
    seen: set[str] = set()

    def note(sprint: Sprint) -> dict[str, Any]:
        seen.update(step for event in sprint.events if (step := getattr(event, "step", None)))
        return sprint.state

    state = note(start(library(), scenario.flow, context=context, clock=clock))
    for line in scenario.conversation:
        if line.kind == "resident" and state.get("status") == "waiting":
            reply = Reply(line.texts[0])
            state = note(resume(library(), state, reply, context=context, clock=clock))
        elif line.kind == "wait" and line.wait is not None:
            target = clock.moment + line.wait
            while state.get("status") == "waiting":
                wake = (state.get("wait") or {}).get("wake_at")
                if not wake or datetime.fromisoformat(wake) > target:
                    break
                clock.moment = datetime.fromisoformat(wake)
                state = note(resume(library(), state, Timeout(), context=context, clock=clock))
            clock.moment = target
    return seen


class _Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


@pytest.mark.parametrize("path", builtin_flow_paths(), ids=lambda path: path.name)
def test_the_scenarios_of_a_builtin_flow_visit_every_step(path: Path) -> None:
    [loaded] = [item for item in loaded_flows() if Path(item.source) == path]
    assert loaded.flow is not None
    visited: set[str] = set()
    for scenario in scenarios_of(path):
        visited |= visited_steps(scenario)
    assert sorted(set(loaded.flow.steps) - visited) == []
