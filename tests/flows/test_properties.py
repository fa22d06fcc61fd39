"""Property-based tests: no broken flow file and no sequence of replies makes the engine raise."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.problems import Severity
from tests.flows.helpers import Conversation, compile_flow, load
from tests.flows.test_engine import MOOD
from tests.flows.test_validation import GOOD

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=12),
    st.sampled_from(["end", "ask", "glad", "yes", "no", "1d", "{{ resident.x }}", "choice", "-1h"]),
)
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "format",
                    "id",
                    "start",
                    "steps",
                    "say",
                    "ask",
                    "go",
                    "branches",
                    "choices",
                    "timeout",
                    "do",
                    "x",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@given(st.text(max_size=300))
def test_any_text_gives_problems_or_a_flow_never_an_exception(text: str) -> None:
    loaded = load(text)
    assert loaded.ok or loaded.problems
    assert all(problem.message for problem in loaded.problems)


@given(documents)
def test_any_yaml_shape_gives_problems_or_a_flow_never_an_exception(document: Any) -> None:
    loaded = load(yaml.safe_dump(document, allow_unicode=True))
    assert loaded.ok or loaded.problems


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_valid_flow_with_any_one_value_changed_is_explained_not_raised(
    data: st.DataObject,
) -> None:
    document = yaml.safe_load(GOOD)
    path = data.draw(st.sampled_from(_paths(document)))
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    if data.draw(st.booleans()):
        parent[path[-1]] = data.draw(documents)
    elif isinstance(parent, dict):
        del parent[path[-1]]
    loaded = load(yaml.safe_dump(document, allow_unicode=True))
    for problem in loaded.problems:
        assert problem.message.endswith((".", "?", ")")), problem.message
        if problem.severity is Severity.ERROR:
            assert not loaded.ok


events = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(["1", "2", "3", "yes", "no", "👍", "lonley", "1 or 2", "", "   "]),
        st.integers(0, 30).map(lambda hours: timedelta(hours=hours)),
    ),
    max_size=8,
)


@given(events)
def test_any_sequence_of_replies_and_timeouts_keeps_state_as_json(sequence: list[Any]) -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    for item in sequence:
        if talk.state["status"] != "waiting":
            break
        sprint = talk.timeout(item) if isinstance(item, timedelta) else talk.reply(item)
        assert json.loads(json.dumps(sprint.state)) == sprint.state
        assert all(message.text for message in sprint.messages)
