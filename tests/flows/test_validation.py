"""Tests that validation finds each kind of mistake and says where and what to do."""

from __future__ import annotations

import pytest

from flows.problems import Severity
from tests.flows.helpers import codes, load

GOOD = """
format: 1
id: good
name: Good
languages: [en]
start: ask
steps:
  ask:
    say: "How are you? 1 Good 2 Low"
    ask:
      choices: {good: Good, low: Low}
      timeout: 1d
    branches: {good: glad, low: glad, other: glad, no_response: end}
  glad:
    say: "Thanks"
    end: completed
"""


def test_a_good_flow_has_no_problems() -> None:
    loaded = load(GOOD)
    assert loaded.ok and loaded.problems == []


def problem(yaml_text: str, code: str) -> str:
    found = [p for p in load(yaml_text).problems if p.code == code]
    assert found, f"expected {code}, got {[p.format() for p in load(yaml_text).problems]}"
    return found[0].format()


def test_a_missing_start_is_an_error_saying_how_to_add_it() -> None:
    text = problem(GOOD.replace("start: ask\n", ""), "missing_start")
    assert text.startswith("test.yaml:1: error:") and "start: <step name>" in text


def test_a_start_naming_no_step_suggests_the_closest_name() -> None:
    assert "Did you mean 'ask'?" in problem(
        GOOD.replace("start: ask", "start: akk"), "missing_start"
    )


def test_a_branch_to_a_missing_step_names_the_line_step_and_closest_name() -> None:
    text = problem(GOOD.replace("low: glad,", "low: gald,"), "missing_step")
    assert text.startswith("test.yaml:13: error: step 'ask': The branch 'low' points to 'gald'")
    assert "Did you mean 'glad'?" in text


def test_an_unreachable_step_is_an_error_at_its_line() -> None:
    text = problem(GOOD + "  orphan:\n    say: hi\n    end: true\n", "unreachable")
    assert "test.yaml:17" in text and "step 'orphan'" in text


def test_a_dead_end_step_says_how_to_finish_it() -> None:
    text = problem(GOOD.replace("    end: completed\n", ""), "dead_end")
    assert "step 'glad'" in text and "end: true" in text


def test_a_loop_with_no_question_is_an_error_that_shows_the_route() -> None:
    looped = GOOD.replace("    end: completed\n", "    go: again\n") + "  again:\n    go: glad\n"
    text = problem(looped, "loop_without_wait")
    assert "glad → again → glad" in text


def test_a_loop_through_a_question_is_fine() -> None:
    assert "loop_without_wait" not in codes(GOOD.replace("    end: completed\n", "    go: ask\n"))


def test_a_template_that_does_not_parse_is_an_error() -> None:
    text = problem(GOOD.replace('"Thanks"', '"Thanks {{ resident.preferred_name "'), "bad_template")
    assert "step 'glad'" in text and "{{ resident.preferred_name }}" in text


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("resident.prefered_name", "resident has: preferred_name"),
        ("residnt.name", "'residnt' is not something a message can name"),
        ("results.colour", "'results.colour' is not saved by any step"),
    ],
)
def test_a_template_naming_something_unknown_is_an_error(name: str, hint: str) -> None:
    text = problem(GOOD.replace('"Thanks"', f'"Thanks {{{{ {name} }}}}"'), "unknown_name")
    assert hint in text


def test_choices_sharing_a_word_are_an_error_naming_both() -> None:
    overlapping = GOOD.replace(
        "choices: {good: Good, low: Low}",
        "choices: {good: {label: Good, words: [fine]}, low: {label: Low, words: [Fine!]}}",
    )
    text = problem(overlapping, "choice_overlap")
    assert "'fine'" in text and "'good'" in text and "'low'" in text


def test_a_choice_word_that_is_another_choices_number_is_an_error() -> None:
    overlapping = GOOD.replace("low: Low}", "low: {label: Low, words: ['1']}}")
    assert "'1'" in problem(overlapping, "choice_overlap")


def test_a_message_missing_in_a_declared_language_is_an_error() -> None:
    text = problem(GOOD.replace("languages: [en]", "languages: [en, pl]"), "missing_translation")
    assert "pl" in text


def test_a_long_message_is_a_warning_with_its_segments_and_the_flow_stays_valid() -> None:
    long = GOOD.replace('"Thanks"', '"' + "Thank you so much for letting me know. " * 5 + '"')
    loaded = load(long)
    found = [p for p in loaded.problems if p.code == "sms_segments"]
    assert found and found[0].severity is Severity.WARNING
    assert "needs 2 SMS segments" in found[0].message
    assert loaded.ok


def test_a_curly_quote_is_named_as_the_reason_for_ucs2() -> None:
    curly = GOOD.replace('"Thanks"', '"Thanks, it’s lovely to hear from you. ' + "x" * 40 + '"')
    text = problem(curly, "sms_segments")
    assert "UCS-2" in text and "curly quote (’)" in text


def test_every_message_has_its_segments_and_encoding_listed() -> None:
    loaded = load(GOOD)
    listed = {(sms.step, sms.language): sms.info for sms in loaded.sms}
    assert listed[("glad", "en")].segments == 1
    assert str(listed[("glad", "en")].encoding) == "GSM-7"


def test_an_unanswered_choice_without_then_is_an_error() -> None:
    text = problem(GOOD.replace("low: glad, ", ""), "missing_branch")
    assert "the answer 'low'" in text and "then: <step>" in text


def test_a_timeout_without_no_response_is_an_error() -> None:
    assert "no reply before the timeout" in problem(
        GOOD.replace(", no_response: end", ""), "missing_branch"
    )


@pytest.mark.parametrize(
    ("text", "code", "hint"),
    [
        ("", "not_a_flow", "The file is empty"),
        ("just words", "not_a_flow", "The file is text"),
        ("- a\n- b\n", "not_a_flow", "The file is a list"),
        ("format: 1\nid: [x\n", "not_yaml", "not valid YAML"),
        ("a: 1\na: 2\n", "not_yaml", "'a' appears twice"),
        ("x: &a [1]\ny: *a\n", "not_yaml", "aliases"),
        ("format: 1\n---\nformat: 1\n", "not_yaml", "more than one YAML document"),
        (GOOD.replace("format: 1", "format: 99"), "bad_format", "format 99"),
        (GOOD.replace("format: 1\n", ""), "bad_format", "format: 1"),
        (GOOD.replace("languages: [en]", "languages: 5"), "bad_languages", "[en, pl]"),
        (GOOD.replace("timeout: 1d", "timeout: soon"), "bad_duration", "30m, 4h"),
        (GOOD.replace("name: Good", "name: Good\nsteps_: 1"), "unknown_key", "steps_"),
        (GOOD.replace('say: "Thanks"', "say: [1, [2]]"), "wrong_type", "should be text"),
        (GOOD.replace("timeout: 1d", "type: colour"), "bad_ask_type", "choice, yes_no"),
    ],
)
def test_bad_files_get_a_clear_error_and_never_a_traceback(text: str, code: str, hint: str) -> None:
    loaded = load(text)
    assert not loaded.ok
    found = [p.format() for p in loaded.problems if p.code == code]
    assert found and hint in found[0], [p.format() for p in loaded.problems]
    assert "Traceback" not in "".join(found)


def test_a_huge_file_is_refused_before_parsing() -> None:
    loaded = load("x: " + "y" * 600_000)
    assert [p.code for p in loaded.problems] == ["not_yaml"]
    assert "larger than" in loaded.problems[0].message


def test_yes_and_no_branch_keys_stay_words_not_booleans() -> None:
    yes_no = GOOD.replace(
        "      choices: {good: Good, low: Low}\n", "      type: yes_no\n"
    ).replace("{good: glad, low: glad,", "{yes: glad, no: glad,")
    assert load(yes_no).ok, [p.format() for p in load(yes_no).problems]
