"""Tests for flows.picture: the SVG drawing of a flow staff see beside the editor."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flows.loading import load_flow
from flows.picture import flow_svg
from tests.flows.helpers import load

SVG = "{http://www.w3.org/2000/svg}"
BUILTIN = sorted(Path("flows/builtin").glob("*.yaml"))
BUILTIN_FLOWS = [path for path in BUILTIN if not path.name.endswith(".test.yaml")]


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def step_box(svg: str, step: str) -> tuple[ET.Element, list[str]]:
    """The rectangle and the lines of text of the box whose first (bold) line is `step`."""
    root = ET.fromstring(svg)
    for group in root.iter(f"{SVG}g"):
        lines = [t.text or "" for t in group.iter(f"{SVG}text")]
        rect = group.find(f"{SVG}rect")
        if rect is not None and lines and lines[0] == step:
            return rect, lines
    raise AssertionError(f"no box for {step!r}")


@pytest.mark.parametrize("path", BUILTIN_FLOWS, ids=lambda p: p.stem)
def test_every_builtin_flow_draws_each_step_and_parses_as_svg(path: Path) -> None:
    loaded = load_flow(path.read_text(encoding="utf-8"), source=str(path))
    assert loaded.flow is not None
    svg = flow_svg(loaded.flow)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    for step in loaded.flow.steps:
        assert step in texts(svg)
    assert "unreachable" not in svg


def test_weekly_checkin_shows_messages_branch_labels_and_endings() -> None:
    text = Path("flows/builtin/weekly_checkin.yaml").read_text(encoding="utf-8")
    flow = load_flow(text, source="weekly_checkin.yaml").flow
    assert flow is not None
    svg = flow_svg(flow)
    shown = texts(svg)
    # Branch labels: the choice labels and plain words for the branches every question has.
    for label in ("Good", "OK", "Not so good", "no reply", "yes"):
        assert label in shown
    _, lines = step_box(svg, "glad")
    assert lines[1].startswith("That's lovely to hear")
    assert len(lines[1]) <= 40
    assert "ends: completed" in lines
    _, lines = step_box(svg, "missed")
    assert "ends: missed" in lines


def test_title_and_description_label_the_picture() -> None:
    flow = load(
        """\
        format: 1
        id: tiny
        name: Tiny
        start: hello
        steps:
          hello:
            say: "Hello"
            end: true
        """
    ).flow
    assert flow is not None
    root = ET.fromstring(flow_svg(flow))
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Picture of the flow Tiny"
    assert desc.text is not None and desc.text.startswith("1 step,")


def test_unreachable_steps_and_dead_ends_are_marked_in_words_and_summary() -> None:
    loaded = load(
        """\
        format: 1
        id: broken
        name: Broken
        start: ask
        steps:
          ask:
            say: "Tea? Reply yes or no"
            ask:
              type: yes_no
            branches:
              "yes": going
              "no": not_there
          going:
            say: "Lovely"
            end: completed
          forgotten:
            say: "Nobody comes here"
            end: completed
          stuck:
            say: "And then?"
        """
    )
    assert loaded.flow is not None
    svg = flow_svg(loaded.flow)
    rect, lines = step_box(svg, "forgotten")
    assert rect.get("stroke-dasharray")
    assert any("unreachable" in line for line in lines)
    _, lines = step_box(svg, "ask")
    assert any(line.startswith("dead end") for line in lines)
    assert "no step called 'not_there'" in texts(svg)
    _, lines = step_box(svg, "stuck")
    assert "dead end: no way on" in lines
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "4 steps" in desc.text
    assert "2 unreachable: forgotten, stuck" in desc.text
    assert "dead ends: ask, stuck" in desc.text
    # Reachable steps are not marked.
    rect, lines = step_box(svg, "going")
    assert rect.get("stroke-dasharray") is None
    assert not any("unreachable" in line or "dead end" in line for line in lines)


def test_staff_text_is_escaped() -> None:
    loaded = load(
        """\
        format: 1
        id: sneaky
        name: "Sneaky <b>name</b> & co"
        start: hello
        steps:
          hello:
            say: "<script>alert('hi')</script> & \\"quotes\\""
            end: true
        """
    )
    assert loaded.flow is not None
    svg = flow_svg(loaded.flow)
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = ET.fromstring(svg)
    _, lines = step_box(svg, "hello")
    assert lines[1].startswith("<script>alert('hi')</script> &")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "Picture of the flow Sneaky <b>name</b> & co"


def test_view_box_holds_every_box() -> None:
    text = Path("flows/builtin/life_map.yaml").read_text(encoding="utf-8")
    flow = load_flow(text, source="life_map.yaml").flow
    assert flow is not None
    root = ET.fromstring(flow_svg(flow))
    _, _, width, height = (float(n) for n in (root.get("viewBox") or "").split())
    for rect in root.iter(f"{SVG}rect"):
        assert float(rect.get("x", 0)) + float(rect.get("width", 0)) <= width
        assert float(rect.get("y", 0)) + float(rect.get("height", 0)) <= height


def test_layers_follow_distance_from_the_start() -> None:
    flow = load(
        """\
        format: 1
        id: chain
        name: Chain
        start: one
        steps:
          three:
            say: "Three"
            end: true
          two:
            say: "Two"
            go: three
          one:
            say: "One"
            go: two
        """
    ).flow
    assert flow is not None
    svg = flow_svg(flow)
    ys = [float(step_box(svg, step)[0].get("y", 0)) for step in ("one", "two", "three")]
    assert ys == sorted(ys) and len(set(ys)) == 3
    assert flow_svg(flow) == svg  # deterministic
