"""Tests for Understander: one object per question, dispatching on the question's kind."""

from __future__ import annotations

import pytest

import flows.understand
from flows.types import ANSWERED, Ask, AskKind
from flows.understand import NotUnderstood, Understander, Understood
from tests.flows.understand.builders import TODAY, choice_ask, understand


def test_the_package_exports_exactly_the_public_interface() -> None:
    assert sorted(flows.understand.__all__) == [
        "Ambiguous", "NotUnderstood", "PassOn", "Understander", "Understanding", "Understood",
    ]  # fmt: skip


@pytest.mark.parametrize("kind", list(AskKind))
@pytest.mark.parametrize("text", ["", " ", "\n\t  ", "\u3000"])
def test_an_empty_or_whitespace_reply_is_not_understood_for_every_kind(
    kind: AskKind, text: str
) -> None:
    ask = choice_ask() if kind is AskKind.CHOICE else Ask(kind)
    assert understand(ask, text) == NotUnderstood("the reply is empty")


def test_a_text_answer_is_the_reply_trimmed_with_its_own_case_and_punctuation() -> None:
    assert understand(Ask(AskKind.TEXT), "  I went to the Lunch Club!  \n") == Understood(
        ANSWERED, "I went to the Lunch Club!", "I went to the Lunch Club!"
    )


def test_a_text_answer_keeps_emoji_and_digits_as_sent() -> None:
    assert understand(Ask(AskKind.TEXT), "1 👍🏽") == Understood(ANSWERED, "1 👍🏽", "1 👍🏽")


def test_one_understander_answers_many_replies_and_languages_in_turn() -> None:
    understander = Understander(choice_ask())
    results = [
        understander.understand(text, language=language, today=TODAY)
        for text, language in [("1", "en"), ("dobrze", "pl"), ("low", "en"), ("2", "pl")]
    ]
    assert [r.outcome for r in results if isinstance(r, Understood)] == [
        "good", "good", "low", "ok",
    ]  # fmt: skip


@pytest.mark.parametrize("kind", list(AskKind))
def test_every_understood_outcome_is_one_of_the_questions_branches(kind: AskKind) -> None:
    ask = choice_ask() if kind is AskKind.CHOICE else Ask(kind)
    reply = {
        AskKind.CHOICE: "1", AskKind.YES_NO: "yes", AskKind.NUMBER: "3",
        AskKind.DATE: "tomorrow", AskKind.TIME: "2pm", AskKind.TEXT: "hello",
    }[kind]  # fmt: skip
    result = understand(ask, reply)
    assert isinstance(result, Understood)
    assert result.outcome in ask.outcomes()
