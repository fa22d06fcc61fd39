"""Tests for reading answers to yes/no questions: everyday words, typos and emoji."""

from __future__ import annotations

import pytest

from flows.types import Ask, AskKind
from flows.understand import Ambiguous, NotUnderstood, Understood
from tests.flows.understand.builders import understand

ASK = Ask(AskKind.YES_NO)

YES = [
    "yes", "Yes", "YES", "yes!", "Yes.", "y", "Y", "yse", "yess", "yesss", "yeah", "yeh", "yep",
    "yup", "aye", "sure", "ok", "okay", "okey", "OK!", "alright", "alrite", "go on",
    "yeah go on then", "please", "yes please", "yes pls", "ok thanks love", "definitely",
    "of course", "sounds good", "no problem", "no worries", "why not", "i'd love to",
    "that would be lovely", "i don't mind", "👍", "👍🏽", "✅", "❤️", "❤", "😊", "🙂",
]  # fmt: skip
NO = [
    "no", "No", "NO", "No.", "n", "N", "noo", "nooo", "nope", "Nope!", "nah", "not really",
    "no thanks", "no thank you", "no ta", "not today", "not now", "i'd rather not", "don't",
    "dont", "never", "not good", "not too great", "definitely not", "of course not",
    "i don't think so", "i can't", "👎", "❌", "nope 👎",
]  # fmt: skip


@pytest.mark.parametrize("reply", YES)
def test_everyday_ways_of_saying_yes_are_understood_as_yes(reply: str) -> None:
    assert understand(ASK, reply) == Understood("yes", "yes", "yes")


@pytest.mark.parametrize("reply", NO)
def test_everyday_ways_of_saying_no_are_understood_as_no(reply: str) -> None:
    assert understand(ASK, reply) == Understood("no", "no", "no")


@pytest.mark.parametrize("reply", ["yes no", "yes and no", "no... yes", "👍👎", "yse or noo"])
def test_a_reply_with_both_yes_and_no_is_ambiguous(reply: str) -> None:
    assert understand(ASK, reply) == Ambiguous(("yes", "no"))


@pytest.mark.parametrize("reply", ["1", "2", "0"])
def test_digits_are_not_yes_or_no_because_telegram_buttons_send_words(reply: str) -> None:
    assert understand(ASK, reply) == NotUnderstood("no yes or no found")


@pytest.mark.parametrize("reply", ["maybe", "not sure", "i don't know", "dunno", "no idea"])
def test_an_unsure_reply_is_not_understood_as_either_answer(reply: str) -> None:
    assert understand(ASK, reply) == NotUnderstood("the reply sounds unsure")


@pytest.mark.parametrize("reply", ["", "  ", "zzz", "hello", "now", "how", "?!", "🙈"])
def test_unrelated_or_empty_replies_to_a_yes_no_question_are_not_understood(reply: str) -> None:
    assert isinstance(understand(ASK, reply), NotUnderstood)


def test_a_short_word_one_letter_from_no_is_not_read_as_no() -> None:
    # "now" and "not" are both one edit from "no"; only "not" is a no word.
    assert understand(ASK, "now") == NotUnderstood("no yes or no found")
    assert understand(ASK, "yes now") == Understood("yes", "yes", "yes")


def test_a_language_without_its_own_table_uses_english() -> None:
    assert understand(ASK, "yes please", language="bn") == Understood("yes", "yes", "yes")
    assert understand(ASK, "nope", language="en-GB") == Understood("no", "no", "no")
