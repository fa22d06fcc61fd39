"""Tests that a file nested far too deep is refused with its line, never with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli_flows import flows_group
from flows.format.yaml_loader import MAX_DEPTH, YamlFileError, load_yaml
from flows.loading import load_flow
from flows.scenarios.format import ScenarioError, parse_scenarios

#: Deep enough that composing it recursively would exhaust Python's stack.
DEEP = 20_000


def deep_flow() -> str:
    return "format: 1\nid: deep\nstart: a\nsteps: " + "[" * DEEP + "]" * DEEP + "\n"


def deep_scenarios() -> str:
    return "flow: deep\nscenarios: " + "{a: " * DEEP + "x" + "}" * DEEP + "\n"


def indented(levels: int) -> str:
    return "".join(" " * level + f"k{level}:\n" for level in range(levels)) + " " * levels + "v\n"


def test_nesting_at_the_limit_is_read() -> None:
    data = load_yaml(indented(MAX_DEPTH))
    for level in range(MAX_DEPTH):
        data = data[f"k{level}"]
    assert data == "v"


def test_one_level_past_the_limit_is_refused_at_the_line_where_it_goes_too_deep() -> None:
    with pytest.raises(YamlFileError) as caught:
        load_yaml(indented(MAX_DEPTH + 1))
    assert caught.value.line == MAX_DEPTH + 1
    assert f"too deeply nested at line {MAX_DEPTH + 1}" in caught.value.message


def test_a_flow_nested_20000_deep_is_one_problem_naming_the_file_and_line() -> None:
    loaded = load_flow(deep_flow(), source="deep.yaml")
    assert not loaded.ok and len(loaded.problems) == 1
    expected = "deep.yaml:4: error: The file is too deeply nested at line 4"
    assert loaded.problems[0].format().startswith(expected)


def test_a_scenario_file_nested_20000_deep_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenarios(deep_scenarios())
    assert "too deeply nested at line 2" in caught.value.problems[0].message


def test_flows_validate_reports_a_deep_file_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text(deep_flow(), encoding="utf-8")
    result = CliRunner().invoke(flows_group, ["validate", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{path}:4: error: The file is too deeply nested at line 4" in result.output
    assert "Traceback" not in result.output


def test_flows_test_reports_a_deep_scenario_file_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "deep.test.yaml"
    path.write_text(deep_scenarios(), encoding="utf-8")
    result = CliRunner().invoke(flows_group, ["test", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{path}:2: error: The file is too deeply nested at line 2" in result.output
    assert "Traceback" not in result.output
