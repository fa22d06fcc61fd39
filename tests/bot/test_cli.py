"""Tests of the `companion flows` commands, as staff use them in a shell."""

from __future__ import annotations

import textwrap
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from tests.flows.test_engine import MOOD
from tests.flows.test_validation import GOOD


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.output


def test_validate_exits_0_for_a_valid_flow_and_lists_each_messages_sms_size(tmp_path: Path) -> None:
    flow = tmp_path / "good.yaml"
    flow.write_text(GOOD)
    code, output = run("flows", "validate", str(flow))
    assert code == 0
    assert f"{flow}: valid (2 steps)" in output
    assert "ask:9 the message [en]: 1 segment, GSM-7, 25 of 160" in output


def test_validate_exits_1_and_names_file_line_and_step_for_each_problem(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(GOOD)
    bad.write_text(GOOD.replace("low: glad,", "low: gald,"))
    code, output = run("flows", "validate", "-q", str(good), str(bad))
    assert code == 1
    assert f"{bad}:13: error: step 'ask': The branch 'low' points to 'gald'" in output
    assert "1 of 2 flows are valid." in output
    assert "segment" not in output  # -q hides the SMS sizes


def test_validate_explains_unreadable_files_without_a_traceback(tmp_path: Path) -> None:
    binary = tmp_path / "photo.yaml"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, output = run("flows", "validate", str(binary), str(tmp_path / "missing.yaml"), str(empty))
    assert code == 1
    assert "not UTF-8 text" in output
    assert "There is no such file." in output
    assert "This is a folder with no flow files" in output
    assert "Traceback" not in output


def test_validate_accepts_run_of_a_flow_given_in_the_same_command(tmp_path: Path) -> None:
    parent = tmp_path / "parent.yaml"
    parent.write_text(
        GOOD.replace('    say: "Thanks"\n    end: completed', "    run: mood\n    then: end")
    )
    (tmp_path / "mood.yaml").write_text(MOOD)
    assert run("flows", "validate", str(parent))[0] == 1  # mood is not known on its own
    assert run("flows", "validate", str(parent), str(tmp_path / "mood.yaml"))[0] == 0


SCENARIO = """
flow: mood
scenarios:
  - name: Pat is low
    resident: {preferred_name: Pat}
    catalyst: {first_name: Abby}
    conversation:
      - bot: How are you
      - resident: "2"
      - bot: SAID
"""


def test_flows_test_passes_and_fails_with_expected_beside_what_happened(tmp_path: Path) -> None:
    (tmp_path / "mood.yaml").write_text(MOOD)
    scenario = tmp_path / "mood.test.yaml"
    scenario.write_text(textwrap.dedent(SCENARIO.replace("SAID", "Sorry to hear")))
    code, output = run("flows", "test", str(tmp_path / "mood.yaml"))
    assert code == 0, output
    assert "1 passed, 0 failed" in output

    scenario.write_text(textwrap.dedent(SCENARIO.replace("SAID", "Wonderful")))
    code, output = run("flows", "test", str(tmp_path))
    assert code == 1
    assert f"FAIL {scenario}:4: Pat is low" in output
    assert 'line 10: expected the bot to say something with "Wonderful"' in output
    assert 'but     the bot said: "Sorry to hear that. I\'ll let Abby know."' in output
    assert "Pat: 2" in output
    assert "0 passed, 1 failed" in output


def test_validate_checks_every_flow_in_a_folder_but_not_its_scenarios(tmp_path: Path) -> None:
    (tmp_path / "mood.yaml").write_text(MOOD)
    (tmp_path / "good.yaml").write_text(GOOD)
    (tmp_path / "mood.test.yaml").write_text("flow: mood\nscenarios: []\n")
    code, output = run("flows", "validate", "-q", str(tmp_path))
    assert code == 0, output
    assert "2 of 2 flows are valid." in output


def test_flows_test_with_no_scenario_files_fails(tmp_path: Path) -> None:
    code, output = run("flows", "test", str(tmp_path))
    assert code == 1 and "No scenario files" in output


def test_flows_try_talks_to_a_built_in_flow_in_the_terminal() -> None:
    code, output = run("flows", "try", "weekly_checkin", "--name", "Lucy", input="1\n")
    assert code == 0, output
    assert "bot> Hi Lucy, it's Abby." in output and "How are you this week?" in output
    assert "That's lovely to hear, Lucy." in output
    assert "(the conversation ended: completed)" in output


def test_flows_try_lets_time_pass_for_reminders() -> None:
    code, output = run("flows", "try", "onboarding", input="/wait 1d\n/quit\n")
    assert code == 0
    assert "bot> No rush, Pat." in output
