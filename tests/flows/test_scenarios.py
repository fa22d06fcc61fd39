"""Tests of scenario files: parsing them, playing them, and reporting differences plainly."""

from __future__ import annotations

import textwrap

import pytest

from flows.library import MemoryLibrary
from flows.scenarios import Outcome, parse_scenarios, run_scenario
from flows.scenarios.format import ScenarioError
from tests.flows.helpers import compile_flow
from tests.flows.test_engine import MOOD


def play(scenario_yaml: str) -> Outcome:
    file = parse_scenarios(textwrap.dedent(scenario_yaml))
    library = MemoryLibrary([compile_flow(MOOD)])
    [scenario] = file.scenarios
    return run_scenario(scenario, library)


HEADER = """
flow: mood
scenarios:
  - name: Pat
    resident: {preferred_name: Pat}
    catalyst: {first_name: Abby}
    conversation:
"""


def test_a_matching_conversation_passes() -> None:
    outcome = play(
        HEADER
        + """
      - bot: [Hi Pat, "it's Abby"]
      - resident: lonley
      - bot: Sorry to hear
      - action: {alert_catalyst: {reason: Pat feels Low}}
    expect:
      results: {mood: low}
      actions: [alert_catalyst]
      ends: completed
"""
    )
    assert outcome.passed, outcome.failures
    assert outcome.transcript[1] == "Pat: lonley"


def test_waiting_fires_reminders_then_the_timeout_in_order() -> None:
    outcome = play(
        HEADER
        + """
      - bot: How are you
      - wait: 5h
      - bot: Just checking in
      - wait: 5h
      - bot: One last nudge
      - wait: 1d
    expect: {ends: missed, no_actions: [alert_catalyst]}
"""
    )
    assert outcome.passed, outcome.failures


def test_a_different_message_is_reported_beside_what_the_bot_said() -> None:
    outcome = play(HEADER + "      - bot: Good morning\n")
    [failure] = outcome.failures
    assert failure.expected == 'the bot to say something with "Good morning"'
    assert failure.happened == 'the bot said: "Hi Pat, it\'s Abby. How are you? 1 Good 2 Low"'
    assert failure.line == 8


def test_a_message_the_scenario_does_not_mention_is_a_failure() -> None:
    outcome = play(HEADER + "      - resident: '1'\n")
    assert outcome.failures[0].happened.startswith('the bot also said: "Hi Pat')


def test_wrong_results_actions_and_ending_are_each_reported() -> None:
    outcome = play(
        HEADER
        + """
      - bot: How are you
      - resident: "1"
      - bot: Lovely
    expect:
      results: {mood: low}
      actions: [alert_catalyst]
      ends: missed
"""
    )
    assert [(f.expected, f.happened) for f in outcome.failures] == [
        ("result mood = low", "mood = Good"),
        ("the action alert_catalyst", "no actions"),
        ("the conversation ends: missed", "completed"),
    ]


def test_a_name_missing_from_the_scenario_is_reported_as_a_flow_error() -> None:
    outcome = play(HEADER.replace("    catalyst: {first_name: Abby}\n", "") + "      - bot: Hi\n")
    assert any("catalyst.first_name" in f.happened for f in outcome.failures)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "starts with 'flow: <flow id>'"),
        ("flow: mood\n", "at least one conversation"),
        ("flow: mood\nscenarios:\n  - name: x\n    conversation:\n      - sing: la\n", "'sing'"),
        ("flow: mood\nscenarios:\n  - name: x\n    conversation:\n      - wait: soon\n", "30m"),
        ("flow: mood\nscenarios:\n  - name: x\n    start: tuesday\n", "'start' should be"),
        ("flow: mood\nscenarios:\n  - name: x\n    expect: {finish: done}\n", "'finish'"),
    ],
)
def test_a_broken_scenario_file_is_explained(text: str, hint: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenarios(text)
    assert hint in str(caught.value)
