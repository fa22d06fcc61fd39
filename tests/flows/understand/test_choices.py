"""Tests for reading answers to choice questions: numbers, labels, synonyms, typos and emoji."""

from __future__ import annotations

import pytest

from flows.types import Choice
from flows.understand import Ambiguous, NotUnderstood, Understood
from tests.flows.understand.builders import FEELINGS, choice_ask, numbered_choices, understand

# "How are you feeling today? 1 Good, 2 OK, 3 Low, 4 I need help"
REPLIES = [
    # By number, in every form residents send.
    ("1", "good"), ("1.", "good"), ("1)", "good"), ("#1", "good"), ("no 1", "good"),
    ("no. 1", "good"), ("No.1", "good"), ("number 1", "good"), ("option 2", "ok"),
    ("one", "good"), ("two", "ok"), ("first", "good"), ("3rd", "low"), ("the second one", "ok"),
    ("the first one", "good"), ("I think 2", "ok"), ("2 please", "ok"), ("4!", "need_help"),
    ("1️⃣", "good"), (" 3 ", "low"),
    # By label, synonym or id, inside longer replies too.
    ("Good", "good"), ("GOOD", "good"), ("good!!", "good"), ("i'm good thanks", "good"),
    ("feeling great", "good"), ("happy", "good"), ("ok", "ok"), ("OK thanks love", "ok"),
    ("alright love", "ok"), ("so so", "ok"), ("not bad", "ok"), ("Low", "low"),
    ("feeling low today", "low"), ("a bit down", "low"), ("lonely", "low"),
    ("I need help", "need_help"), ("help!", "need_help"), ("please call me", "need_help"),
    ("need_help", "need_help"), ("Café… good", "good"),
    # With typos and stretched letters.
    ("gooood", "good"), ("gud", "good"), ("goood!", "good"), ("lonley", "low"),
    ("happpy", "good"), ("alrite", "ok"), ("hlep", "need_help"), ("graet", "good"),
    # By emoji, whatever the presentation selector or skin tone.
    ("😊", "good"), ("👍", "good"), ("👍🏽", "good"), ("😢", "low"), ("🆘", "need_help"),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "expected"), REPLIES)
def test_a_resident_reply_to_a_choice_question_is_read_as_the_choice_they_meant(
    reply: str, expected: str
) -> None:
    result = understand(choice_ask(), reply)
    assert isinstance(result, Understood), result
    assert (result.outcome, result.value) == (expected, expected)


def test_an_understood_choice_is_labelled_in_the_residents_language() -> None:
    assert understand(choice_ask(), "1") == Understood("good", "good", "Good")
    assert understand(choice_ask(), "1", language="pl") == Understood("good", "good", "Dobrze")


def test_a_reply_in_the_residents_language_matches_that_languages_label_with_accents_ignored() -> (
    None
):
    assert understand(choice_ask(), "w porzadku", language="pl") == Understood(
        "ok", "ok", "W porządku"
    )
    assert understand(choice_ask(), "zle", language="pl") == Understood("low", "low", "Źle")


def test_a_choice_without_a_label_in_the_residents_language_falls_back_to_its_other_labels() -> (
    None
):
    english_only = (Choice("yes_call", 1, {"en": "Call me"}), Choice("no_call", 2, {"en": "Later"}))
    assert understand(choice_ask(english_only), "call me", language="so") == Understood(
        "yes_call", "yes_call", "Call me"
    )


def test_another_languages_words_do_not_match_when_the_residents_language_has_a_label() -> None:
    assert isinstance(understand(choice_ask(), "dobrze", language="en"), NotUnderstood)


@pytest.mark.parametrize(
    ("reply", "candidates"),
    [
        ("good and bad", ("good", "low")),
        ("1 or 2", ("good", "ok")),
        ("2 or 1", ("good", "ok")),
        ("happy but lonely", ("good", "low")),
        ("gud but lonley", ("good", "low")),
        ("good or 3", ("good", "low")),
        ("😊😢", ("good", "low")),
    ],
)
def test_a_reply_naming_two_choices_is_ambiguous_between_them_in_choice_order(
    reply: str, candidates: tuple[str, ...]
) -> None:
    assert understand(choice_ask(), reply) == Ambiguous(candidates)


def test_two_choices_sharing_a_synonym_make_that_word_ambiguous() -> None:
    choices = (
        Choice("tea", 1, {"en": "Tea"}, {"en": ("cuppa",)}),
        Choice("coffee", 2, {"en": "Coffee"}, {"en": ("cuppa",)}),
    )
    assert understand(choice_ask(choices), "a cuppa please") == Ambiguous(("tea", "coffee"))


def test_a_typo_equally_close_to_two_labels_is_ambiguous() -> None:
    choices = (Choice("cat", 1, {"en": "Cart"}), Choice("car", 2, {"en": "Card"}))
    assert understand(choice_ask(choices), "carx") == Ambiguous(("cat", "car"))


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("5", "number 5 is not one of the choices 1 to 4"),
        ("0", "number 0 is not one of the choices 1 to 4"),
        ("11", "number 11 is not one of the choices 1 to 4"),
        ("five", "number 5 is not one of the choices 1 to 4"),
        ("no 7", "number 7 is not one of the choices 1 to 4"),
    ],
)
def test_a_number_outside_the_choices_is_not_understood_and_says_why(
    reply: str, reason: str
) -> None:
    assert understand(choice_ask(), reply) == NotUnderstood(reason)


@pytest.mark.parametrize("reply", ["", "   ", "\n\t", "zzz", "?", "hello", "no one", "1234567890"])
def test_empty_or_unrelated_replies_to_a_choice_question_are_not_understood(reply: str) -> None:
    assert isinstance(understand(choice_ask(), reply), NotUnderstood)


def test_a_negated_label_is_not_read_as_that_choice() -> None:
    assert understand(choice_ask(), "not lonely") == NotUnderstood("the reply says it is not 'Low'")
    assert isinstance(understand(choice_ask(), "not too sad"), NotUnderstood)


def test_a_negated_good_word_is_read_as_the_low_choice_not_the_good_one() -> None:
    # Everyday hedges are placed on the choice labelled for that way of being (see
    # test_readings.py for the whole table).
    assert understand(choice_ask(), "not good") == Understood("low", "low", "Low")
    assert understand(choice_ask(), "not too happy") == Understood("low", "low", "Low")


def test_one_digit_never_matches_a_two_digit_choice_by_typo() -> None:
    ask = choice_ask(numbered_choices(12))
    assert understand(ask, "1") == Understood("c1", "c1", "Pick aaa")
    assert understand(ask, "11") == Understood("c11", "c11", "Pick kkk")
    assert understand(ask, "12") == Understood("c12", "c12", "Pick lll")


def test_a_reply_that_is_only_a_number_word_is_read_as_the_number_even_if_a_label_says_it() -> None:
    choices = (Choice("pair", 1, {"en": "Two"}), Choice("single", 2, {"en": "Just me"}))
    assert understand(choice_ask(choices), "two") == Understood("single", "single", "Just me")
    assert understand(choice_ask(choices), "two of us") == Understood("pair", "pair", "Two")


def test_a_real_word_is_not_read_as_a_typo_of_a_label() -> None:
    # "lovely" is one letter from the synonym "lonely", but means the opposite.
    assert isinstance(understand(choice_ask(), "lovely"), NotUnderstood)


def test_the_longest_matching_label_wins_over_a_shorter_one_inside_it() -> None:
    choices = (Choice("good", 1, {"en": "Good"}), Choice("not_good", 2, {"en": "Not so good"}))
    assert understand(choice_ask(choices), "not so good") == Understood(
        "not_good", "not_good", "Not so good"
    )
    assert understand(choice_ask(choices), "not so gud") == Understood(
        "not_good", "not_good", "Not so good"
    )


def test_an_emoji_with_or_without_its_presentation_selector_matches_the_same_choice() -> None:
    choices = (Choice("love", 1, {"en": "Love it"}, emoji=("❤️",)), Choice("meh", 2, {"en": "Meh"}))
    assert understand(choice_ask(choices), "❤") == Understood("love", "love", "Love it")
    assert understand(choice_ask(choices), "❤️") == Understood("love", "love", "Love it")


def test_a_label_written_in_text_speak_still_matches_the_same_reply() -> None:
    choices = (Choice("love", 1, {"en": "Luv it"}), Choice("meh", 2, {"en": "Meh"}))
    assert understand(choice_ask(choices), "luv it") == Understood("love", "love", "Luv it")
    assert understand(choice_ask(choices), "love it") == Understood("love", "love", "Luv it")


def test_the_feelings_fixture_numbers_choices_from_one() -> None:
    assert [choice.number for choice in FEELINGS] == [1, 2, 3, 4]
