"""Tests of starting a session at a chosen step, as the admin's simulator does with a draft."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.engine import Reply, StepNotFound, Timeout, resume, start
from flows.events import FlowEntered
from flows.library import MemoryLibrary
from tests.flows.helpers import PAT, FrozenClock, compile_flow, texts

FLOW = compile_flow(
    """\
    format: 1
    id: tea
    name: Tea
    start: hello
    steps:
      hello:
        say: "Hello {{ resident.preferred_name }}"
        go: ask
      ask:
        say: "Tea on Friday? Reply yes or no"
        ask:
          type: yes_no
          save_as: tea
          timeout: 1d
        branches:
          "yes": going
          "no": not_going
          other: not_going
          no_response: missed
      going:
        say: "Lovely, see you there ({{ results.tea }})."
        end: completed
      not_going:
        say: "Maybe next time."
        end: declined
      missed:
        end: missed
    """
)


def begin(
    step: str | None, clock: FrozenClock | None = None
) -> tuple[dict[str, object], list[str]]:
    sprint = start(
        MemoryLibrary([FLOW]), "tea", context=PAT, clock=clock or FrozenClock(), at_step=step
    )
    assert isinstance(sprint.events[0], FlowEntered)
    return sprint.state, texts(sprint)


def test_starting_at_a_question_skips_the_steps_before_it_and_waits() -> None:
    state, sent = begin("ask")
    assert sent == ["Tea on Friday? Reply yes or no"]
    assert state["status"] == "waiting" and state["step"] == "ask"


def test_a_session_started_at_a_step_carries_on_with_replies_and_timeouts() -> None:
    clock = FrozenClock()
    library = MemoryLibrary([FLOW])
    state, _ = begin("ask", clock)
    replied = resume(library, state, Reply("yes"), context=PAT, clock=clock)
    assert texts(replied) == ["Lovely, see you there (yes)."]
    assert replied.outcome == "completed"

    state, _ = begin("ask", clock)
    clock.advance(timedelta(days=1))
    timed_out = resume(library, state, Timeout(), context=PAT, clock=clock)
    assert timed_out.outcome == "missed"


def test_starting_at_an_ending_step_ends_with_its_outcome() -> None:
    sprint = start(
        MemoryLibrary([FLOW]), "tea", context=PAT, clock=FrozenClock(), at_step="not_going"
    )
    assert texts(sprint) == ["Maybe next time."]
    assert sprint.outcome == "declined"


def test_without_a_step_the_flow_begins_at_its_start() -> None:
    _, sent = begin(None)
    assert sent == ["Hello Pat", "Tea on Friday? Reply yes or no"]


def test_a_step_the_flow_does_not_have_is_refused() -> None:
    with pytest.raises(StepNotFound, match=r"Flow 'tea' has no step called 'nope'\."):
        begin("nope")
