"""Tests of every registered action: its docstring example, and its golden cases.

Each case runs its actions as the `do:` of one step in a one-step flow, with the sample context
and a frozen clock, and compares what they emit. Golden files live in testdata/actions/<type>.json;
`pytest --update-goldens` rewrites their expected events so reviewers read the diff.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import textwrap
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import flows.actions
from flows.actions import REGISTRY
from flows.context import SAMPLE
from flows.docs_gen import action_doc
from flows.engine import start
from flows.events import Event, FlowEntered, SessionEnded, to_json
from flows.format.yaml_loader import load_yaml
from flows.library import MemoryLibrary
from flows.loading import load_flow
from tests.flows.helpers import FrozenClock

GOLDENS = Path(__file__).parent / "testdata" / "actions"
NOW = datetime.fromisoformat("2026-11-23T10:00:00+00:00")
TYPES = list(REGISTRY)

#: The wrapping step ends the flow with this outcome, which no case uses, so its `ended` event is
#: told apart from one an action emits (`end_conversation` may well end with "completed").
WRAPPER_OUTCOME = "example_over"

FLOW = """\
format: 1
id: example
languages: [en]
start: example
steps:
  example:
    do:
{do}
    end: {end}
"""


def run_actions(do_yaml: str, context: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The events of running the authored `do:` list, as JSON, without the wrapper's own."""
    text = FLOW.format(do=textwrap.indent(do_yaml, " " * 6), end=WRAPPER_OUTCOME)
    loaded = load_flow(text, source="example.yaml")
    assert loaded.ok and loaded.flow is not None, [p.format() for p in loaded.problems]
    library = MemoryLibrary([loaded.flow])
    sprint = start(library, "example", context=context, clock=FrozenClock(NOW))
    return [as_json(event) for event in sprint.events if not _from_wrapper(event)]


def _from_wrapper(event: Event) -> bool:
    if isinstance(event, SessionEnded):
        return event.outcome == WRAPPER_OUTCOME
    return isinstance(event, FlowEntered)


def as_json(event: Event) -> dict[str, Any]:
    """The event exactly as the outbox stores it (to_json leaves tuples, JSON has lists)."""
    data: dict[str, Any] = json.loads(json.dumps(to_json(event)))
    return data


def with_overrides(overrides: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """SAMPLE with a case's changes: a namespace or field set to null is taken away."""
    context = {namespace: dict(fields) for namespace, fields in SAMPLE.items()}
    for namespace, fields in overrides.items():
        if fields is None:
            context.pop(namespace, None)
            continue
        merged = context.setdefault(namespace, {})
        for name, value in fields.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
    return context


# -- the module and its docstring ---------------------------------------------------------------


def test_every_action_module_is_registered() -> None:
    modules = {m.name for m in pkgutil.iter_modules(flows.actions.__path__)} - {"base"}
    assert modules == set(REGISTRY)


@pytest.mark.parametrize("action_type", TYPES)
def test_action_type_is_its_module_name_and_its_registry_key(action_type: str) -> None:
    module = importlib.import_module(f"flows.actions.{action_type}")
    assert action_type == module.TYPE, "TYPE must equal the module name"
    assert module.ACTION is REGISTRY[action_type]
    assert module.ACTION.name == action_type


@pytest.mark.parametrize("action_type", TYPES)
def test_docstring_example_emits_the_events_its_docstring_shows(action_type: str) -> None:
    doc = action_doc(REGISTRY[action_type])
    assert run_actions(doc.example, SAMPLE) == json.loads(doc.emits), (
        f"The Emits:: block of flows/actions/{action_type}.py does not match what its example does."
    )


# -- goldens ------------------------------------------------------------------------------------


def read_cases(path: Path) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return cases


def write_cases(path: Path, cases: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(cases, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def seed_case(action_type: str) -> dict[str, Any]:
    """A first case for a new action's golden file: its docstring example."""
    example = load_yaml(action_doc(REGISTRY[action_type]).example)
    return {"description": "the docstring example", "do": example, "events": []}


@pytest.mark.parametrize("action_type", TYPES)
def test_golden_cases_emit_the_expected_events(action_type: str, update_goldens: bool) -> None:
    path = GOLDENS / f"{action_type}.json"
    if not path.exists():
        if not update_goldens:
            pytest.fail(f"{path} is missing; create it with: pytest --update-goldens")
        write_cases(path, [seed_case(action_type)])
    cases = read_cases(path)
    for case in cases:
        kinds = [next(iter(item)) for item in case["do"]]
        assert action_type in kinds, f"{path}: '{case['description']}' does not use the action"
        do_yaml = json.dumps(case["do"], ensure_ascii=False)
        events = run_actions(do_yaml, with_overrides(case.get("context", {})))
        if update_goldens:
            case["events"] = events
        else:
            assert events == case["events"], f"{path}: {case['description']}"
    if update_goldens:
        write_cases(path, cases)
    assert len(cases) >= 2, f"{path} should have at least two cases"


def test_every_golden_file_is_for_a_registered_action() -> None:
    assert {path.stem for path in GOLDENS.glob("*.json")} <= set(REGISTRY)
