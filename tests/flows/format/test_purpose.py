"""Tests that a flow says what its messages are for, so consent can be checked for that purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

import flows
from tests.flows.helpers import compile_flow, load
from tests.flows.test_validation import GOOD


def with_purpose(value: str) -> str:
    return GOOD.replace("languages: [en]\n", f"languages: [en]\npurpose: {value}\n")


@pytest.mark.parametrize("purpose", ["checkins", "events", "buddying", "service"])
def test_a_declared_purpose_is_on_the_flow(purpose: str) -> None:
    assert compile_flow(with_purpose(purpose)).purpose == purpose


def test_a_flow_without_a_purpose_is_a_service_flow_needing_no_consent() -> None:
    assert compile_flow(GOOD).purpose == "service"


def test_an_unknown_purpose_is_an_error_at_its_line_listing_the_purposes() -> None:
    problems = [p for p in load(with_purpose("checkin")).problems if p.code == "bad_purpose"]
    assert len(problems) == 1
    text = problems[0].format()
    assert text.startswith("test.yaml:6: error:")
    assert "'checkin'" in text and "checkins, events, buddying, service" in text


def test_a_purpose_that_is_not_text_is_an_error() -> None:
    problems = [p for p in load(with_purpose("[checkins]")).problems if p.code == "bad_purpose"]
    assert problems and "not a list" in problems[0].message


@pytest.mark.parametrize(
    ("flow_id", "purpose"),
    [
        ("weekly_checkin", "checkins"),
        ("event_nudge", "events"),
        ("buddy_intro", "buddying"),
        ("onboarding", "service"),
        ("help", "service"),
        ("life_map", "service"),
    ],
)
def test_each_built_in_flow_declares_its_purpose(flow_id: str, purpose: str) -> None:
    path = Path(flows.__file__).parent / "builtin" / f"{flow_id}.yaml"
    loaded = load(path.read_text(encoding="utf-8"), source=path.name)
    assert loaded.flow is not None and loaded.flow.purpose == purpose
