"""Tests that the generated reference pages are up to date and name every action and event."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows.actions import REGISTRY
from flows.docs_gen import PAGES, REGENERATE
from flows.events import EVENT_TYPES

DOCS = Path(__file__).parents[2] / "flows" / "docs"


def headings(page: str) -> set[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return set(re.findall(r"^## (\S+)$", text, flags=re.MULTILINE))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_checked_in_page_is_what_the_generator_makes(page: str) -> None:
    checked_in = (DOCS / page).read_text(encoding="utf-8")
    assert checked_in == PAGES[page](), f"flows/docs/{page} is out of date; run: {REGENERATE}"


@pytest.mark.parametrize("action_type", sorted(REGISTRY))
def test_every_action_type_has_a_heading_in_the_actions_page(action_type: str) -> None:
    assert action_type in headings("actions.md")


@pytest.mark.parametrize("event_type", sorted(cls.type for cls in EVENT_TYPES))
def test_every_event_type_has_a_heading_in_the_events_page(event_type: str) -> None:
    assert event_type in headings("events.md")
