"""Tests for flows.editing: the admin's form edits, written into the flow's YAML text."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import editing
from flows.editing import EditError
from flows.loading import load_flow
from flows.types import Branches, Flow

WEEKLY = Path("flows/builtin/weekly_checkin.yaml").read_text(encoding="utf-8")
TOP_COMMENTS = [line for line in WEEKLY.splitlines() if line.startswith("#")]


def loaded(text: str) -> Flow:
    """The edited flow, which must still be a valid flow with its comments kept."""
    result = load_flow(text, source="weekly_checkin.yaml")
    assert result.ok, [p.format() for p in result.problems]
    assert result.flow is not None
    assert text.splitlines()[: len(TOP_COMMENTS)] == TOP_COMMENTS
    return result.flow


def branches(flow: Flow, step: str) -> Branches:
    exit_ = flow.steps[step].exit
    assert isinstance(exit_, Branches)
    return exit_


def message(flow: Flow, step: str, index: int = 0) -> dict[str, str]:
    says = [call.params.text for call in flow.steps[step].actions if call.kind == "say"]
    return dict(says[index].templates)


def changed_lines(before: str, after: str) -> set[str]:
    return set(after.splitlines()) ^ set(before.splitlines())


def test_forms_leave_an_untouched_flow_byte_for_byte_the_same() -> None:
    # Setting a timeout to what it already is changes nothing at all in the text.
    assert editing.set_timeout(WEEKLY, "offer_chat", "1d") == WEEKLY


def test_set_message_changes_only_that_message_and_keeps_it_double_quoted() -> None:
    text = editing.set_message(WEEKLY, "glad", "Lovely to hear, {{ resident.preferred_name }}!")
    assert message(loaded(text), "glad") == {"en": "Lovely to hear, {{ resident.preferred_name }}!"}
    assert changed_lines(WEEKLY, text) == {
        '    say: "Lovely to hear, {{ resident.preferred_name }}!"',
        "    say: \"That's lovely to hear, {{ resident.preferred_name }}. I'll check in again "
        'as usual. Message me here any time."',
    }


def test_a_long_message_stays_on_one_readable_line() -> None:
    long = "Hello there, " * 20 + "how are you?"
    text = editing.set_message(WEEKLY, "glad", long)
    assert f'    say: "{long}"' in text.splitlines()


def test_set_message_on_a_step_with_no_message_adds_one() -> None:
    text = editing.set_message(WEEKLY, "missed", "Sorry I missed you.")
    assert message(loaded(text), "missed") == {"en": "Sorry I missed you."}


def test_adding_a_translation_declares_the_language() -> None:
    text = editing.set_message(WEEKLY, "glad", "Miło mi to słyszeć.", language="pl")
    result = load_flow(text, source="weekly_checkin.yaml")
    assert result.flow is not None
    assert result.flow.languages == ("en", "pl")
    assert message(result.flow, "glad")["pl"] == "Miło mi to słyszeć."
    assert message(result.flow, "glad")["en"].startswith("That's lovely to hear")
    # Every other message keeps its English and is reported as missing its Polish, not lost.
    assert message(result.flow, "offer_chat") == {
        "en": "Thanks for telling me. Would you like a call from me this week? Reply yes or no"
    }
    missing = {p.step for p in result.problems if p.code == "missing_translation"}
    assert "offer_chat" in missing and "glad" not in missing
    assert "languages: [en, pl]" in text.splitlines()
    assert text.splitlines()[: len(TOP_COMMENTS)] == TOP_COMMENTS


def test_add_choice_with_words_and_where_it_goes() -> None:
    text = editing.add_choice(
        WEEKLY, "how_are_you", "tired", "Tired", ["sleepy", "worn out"], goes_to="offer_chat"
    )
    flow = loaded(text)
    exit_ = branches(flow, "how_are_you")
    tired = exit_.ask.choices[-1]
    assert (tired.id, tired.number, tired.labels, tired.words) == (
        "tired",
        4,
        {"en": "Tired"},
        {"en": ("sleepy", "worn out")},
    )
    assert exit_.targets["tired"] == "offer_chat"
    # The new branch sits with the other answers, before 'other' and 'no_response'.
    assert list(exit_.targets) == ["good", "ok", "low", "tired", "other", "no_response"]


def test_remove_choice_also_removes_its_branch() -> None:
    added = editing.add_choice(WEEKLY, "how_are_you", "tired", "Tired", goes_to="offer_chat")
    text = editing.remove_choice(added, "how_are_you", "tired")
    exit_ = branches(loaded(text), "how_are_you")
    assert [c.id for c in exit_.ask.choices] == ["good", "ok", "low"]
    assert "tired" not in exit_.targets
    assert text == WEEKLY


def test_set_choice_words() -> None:
    text = editing.set_choice_words(WEEKLY, "how_are_you", "ok", ["meh", "so so"])
    (_, ok, _) = branches(loaded(text), "how_are_you").ask.choices
    assert ok.words == {"en": ("meh", "so so")}
    assert "          words: [meh, so so]" in text.splitlines()


def test_set_choice_label() -> None:
    text = editing.set_choice_label(WEEKLY, "how_are_you", "low", "Not great")
    (_, _, low) = branches(loaded(text), "how_are_you").ask.choices
    assert low.labels == {"en": "Not great"}


def test_set_branch_and_yes_stays_quoted() -> None:
    text = editing.set_branch(WEEKLY, "offer_chat", "yes", "glad")
    assert branches(loaded(text), "offer_chat").targets["yes"] == "glad"
    assert '      "yes": glad' in text.splitlines()
    text = editing.set_branch(WEEKLY, "how_are_you", "other", "end")
    assert branches(loaded(text), "how_are_you").targets["other"] == "end"


def test_set_timeout_writes_it_as_staff_would() -> None:
    text = editing.set_timeout(WEEKLY, "offer_call", "2 days")
    assert branches(loaded(text), "offer_call").ask.timeout == timedelta(days=2)
    assert "      timeout: 2d" in text.splitlines()


def test_reminders_added_changed_and_removed() -> None:
    text = editing.add_reminder(WEEKLY, "offer_chat", "2h", "Still there? Reply yes or no")
    (reminder,) = branches(loaded(text), "offer_chat").ask.reminders
    assert reminder.after == timedelta(hours=2)
    assert reminder.text.templates == {"en": "Still there? Reply yes or no"}

    text = editing.set_reminder(text, "offer_chat", 0, "3h", "Are you there?")
    (reminder,) = branches(loaded(text), "offer_chat").ask.reminders
    assert reminder.after == timedelta(hours=3)
    assert reminder.text.templates == {"en": "Are you there?"}

    text = editing.set_reminder(text, "offer_chat", 0, None, "Hello?")
    (reminder,) = branches(loaded(text), "offer_chat").ask.reminders
    assert (reminder.after, reminder.text.templates) == (timedelta(hours=3), {"en": "Hello?"})

    text = editing.remove_reminder(text, "offer_chat", 0)
    assert branches(loaded(text), "offer_chat").ask.reminders == ()
    assert text == WEEKLY


def test_set_ask_text_writes_a_reask() -> None:
    text = editing.set_ask_text(WEEKLY, "offer_chat", "reask", "Sorry, reply yes or no")
    reask = branches(loaded(text), "offer_chat").ask.reask
    assert reask is not None and reask.templates == {"en": "Sorry, reply yes or no"}


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda: editing.set_message(WEEKLY, "foo", "Hi"), "There is no step called 'foo'."),
        (
            lambda: editing.set_message(WEEKLY, "glad", "   "),
            "The message for the step 'glad' is empty; write some words.",
        ),
        (
            lambda: editing.add_choice(WEEKLY, "how_are_you", "good", "Good again"),
            "The step 'how_are_you' already has a choice called 'good'.",
        ),
        (
            lambda: editing.add_choice(WEEKLY, "how_are_you", "other", "Other"),
            "'other' is a branch every question has; give the choice another name.",
        ),
        (
            lambda: editing.add_choice(WEEKLY, "glad", "x", "X"),
            "The step 'glad' does not ask a question.",
        ),
        (
            lambda: editing.remove_choice(WEEKLY, "how_are_you", "great"),
            "The step 'how_are_you' has no choice called 'great'.",
        ),
        (
            lambda: editing.set_branch(WEEKLY, "how_are_you", "good", "gald"),
            "There is no step called 'gald' for the step 'how_are_you' to lead to.",
        ),
        (
            lambda: editing.set_branch(WEEKLY, "how_are_you", "maybe", "glad"),
            "'maybe' is not an answer to the question in the step 'how_are_you'; branches can "
            "be: good, ok, low, other, no_response, then.",
        ),
        (
            lambda: editing.set_timeout(WEEKLY, "offer_chat", "soon"),
            "The timeout for the step 'offer_chat': 'soon' is not a duration Companion "
            "understands. Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks).",
        ),
        (
            lambda: editing.set_reminder(WEEKLY, "how_are_you", 1, "5h", None),
            "The step 'how_are_you' has 0 reminders, so there is no reminder 2.",
        ),
        (
            lambda: editing.set_message(WEEKLY, "glad", "Hej", language="<b>"),
            "'<b>' is not a language code; write it like 'pl' or 'pt-BR'.",
        ),
        (
            lambda: editing.set_message("steps: [", "glad", "Hi"),
            None,
        ),
    ],
)
def test_bad_input_is_refused_in_plain_words(edit: object, message: str | None) -> None:
    assert callable(edit)
    with pytest.raises(EditError) as caught:
        edit()
    if message is not None:
        assert caught.value.message == message


# Text staff could type into the form: any characters, kept as typed (less outer spaces).
TYPED = st.text(min_size=1, max_size=200).filter(lambda text: text.strip() != "")


@settings(max_examples=150, deadline=None)
@given(TYPED)
def test_any_text_set_as_a_message_loads_back_the_same(text: str) -> None:
    edited = editing.set_message(WEEKLY, "glad", text)
    result = load_flow(edited, source="weekly_checkin.yaml")
    assert result.flow is not None
    assert message(result.flow, "glad") == {"en": text.strip()}


@pytest.mark.parametrize(
    "word", ["7", "true", "null", "~", "yes", "7.", "a: b", "#x", "[x]", "it's"]
)
def test_labels_and_words_that_look_like_yaml_stay_text(word: str) -> None:
    text = editing.set_choice_label(WEEKLY, "how_are_you", "ok", word)
    (_, ok, _) = branches(loaded(text), "how_are_you").ask.choices
    assert ok.labels == {"en": word}
    text = editing.set_choice_words(WEEKLY, "how_are_you", "ok", [word])
    (_, ok, _) = branches(loaded(text), "how_are_you").ask.choices
    assert ok.words == {"en": (word,)}
