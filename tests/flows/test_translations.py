"""Tests for flows.translations: which texts are missing in which language, and filling them."""

from __future__ import annotations

from pathlib import Path

from flows import editing
from flows.loading import load_flow
from flows.translations import (
    CHOICE_LABEL,
    CLARIFY,
    MESSAGE,
    REASK,
    REMINDER,
    MessageRef,
    missing_translations,
)
from flows.types import Flow

HALF_TRANSLATED = """\
# Partly in Polish.
format: 1
id: tea
name: Tea
languages: [en, pl]
start: ask
steps:
  ask:
    say:
      en: "Tea on Friday? Reply 1 Yes or 2 No"
      pl: "Herbata w piątek? 1 Tak, 2 Nie"
    ask:
      choices:
        going:
          label: {en: Yes}
        not_going:
          label: {en: No, pl: Nie}
      timeout: 1d
      reminders:
        - after: 4h
          say: {en: "Still fancy tea?"}
      reask: {en: "Reply 1 or 2"}
      clarify: {en: "Did you mean {{ options }}?", pl: "Czy chodziło o {{ options }}?"}
    branches:
      going: thanks
      not_going: thanks
      other: thanks
      no_response: end
  thanks:
    say: {en: "Thank you."}
    do:
      - say: {en: "See you soon.", pl: "Do zobaczenia."}
    end: completed
"""


def flow_of(text: str) -> Flow:
    flow = load_flow(text, source="tea.yaml").flow
    assert flow is not None
    return flow


def test_missing_texts_are_listed_per_language_in_flow_order() -> None:
    missing = missing_translations(flow_of(HALF_TRANSLATED))
    assert missing["en"] == []
    assert [(ref.step, ref.part, ref.index, ref.choice) for ref in missing["pl"]] == [
        ("ask", REMINDER, 0, None),
        ("ask", CHOICE_LABEL, 0, "going"),
        ("ask", REASK, 0, None),
        ("thanks", MESSAGE, 0, None),
    ]
    reminder, label, reask, message = missing["pl"]
    assert (reminder.what, reminder.text) == ("Reminder 1", "Still fancy tea?")
    assert (label.what, label.text) == ("The label of choice 'going'", "Yes")
    assert (reask.what, reask.text) == ("The re-ask", "Reply 1 or 2")
    assert (message.what, message.text) == ("Message 1", "Thank you.")


def test_filling_each_missing_text_completes_the_translation() -> None:
    text = HALF_TRANSLATED
    polish = {
        REMINDER: "Nadal masz ochotę na herbatę?",
        CHOICE_LABEL: "Tak",
        REASK: "Odpowiedz 1 lub 2",
        MESSAGE: "Dziękuję.",
    }
    for ref in missing_translations(flow_of(text))["pl"]:
        text = editing.set_translation(text, ref, "pl", polish[ref.part])
    result = load_flow(text, source="tea.yaml")
    assert result.ok, [p.format() for p in result.problems]
    assert missing_translations(flow_of(text)) == {"en": [], "pl": []}
    assert text.startswith("# Partly in Polish.\n")
    assert "          label: {en: Yes, pl: Tak}" in text.splitlines()


def test_a_new_language_lists_every_text_as_missing_until_filled() -> None:
    weekly = Path("flows/builtin/weekly_checkin.yaml").read_text(encoding="utf-8")
    text = editing.set_message(weekly, "glad", "Cieszę się.", language="pl")
    missing = missing_translations(flow_of(text))
    assert missing["en"] == []
    parts = {(ref.step, ref.part, ref.choice) for ref in missing["pl"]}
    assert ("glad", MESSAGE, None) not in parts
    assert ("how_are_you", MESSAGE, None) in parts
    assert ("offer_chat", MESSAGE, None) in parts
    assert ("how_are_you", CHOICE_LABEL, "low") in parts
    assert ("missed", MESSAGE, None) not in parts  # it sends nothing
    count = len(missing["pl"])
    first = missing["pl"][0]
    text = editing.set_translation(text, first, "pl", "Cześć!")
    assert len(missing_translations(flow_of(text))["pl"]) == count - 1


def test_a_clarifying_question_can_be_filled() -> None:
    text = HALF_TRANSLATED.replace('"Czy chodziło o {{ options }}?"', '""')
    ref = MessageRef("ask", CLARIFY, "The clarifying question", "Did you mean {{ options }}?")
    text = editing.set_translation(text, ref, "pl", "Czy chodziło o {{ options }}?")
    clarify = [r for r in missing_translations(flow_of(text))["pl"] if r.part == CLARIFY]
    assert clarify == []
