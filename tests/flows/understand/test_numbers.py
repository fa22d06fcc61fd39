"""Tests for reading answers to number questions, in digits or words, within bounds."""

from __future__ import annotations

import pytest

from flows.types import ANSWERED, Ask, AskKind
from flows.understand import NotUnderstood, Understood
from tests.flows.understand.builders import understand

ANY = Ask(AskKind.NUMBER)
ONE_TO_FIVE = Ask(AskKind.NUMBER, minimum=1, maximum=5)


NUMBER_REPLIES = [
    ("3", 3), ("3.", 3), ("3.5", 3.5), ("three", 3), ("Three!", 3), ("twenty one", 21),
    ("twenty-one", 21), ("about 5", 5), ("I'd say 7", 7), ("5/10", 5), ("5 / 10", 5),
    ("5 out of 10", 5), ("five out of ten", 5), ("1,000", 1000), ("-3", -3), ("zero", 0),
    ("none", 0), ("three and a half", 3.5), ("a hundred", 100), ("a hundred and five", 105),
    ("10%", 10), ("£5", 5), ("0.25", 0.25), ("٣", 3),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "value"), NUMBER_REPLIES)
def test_a_number_in_digits_or_words_is_understood_as_its_value(
    reply: str, value: int | float
) -> None:
    assert understand(ANY, reply) == Understood(ANSWERED, value, str(value))


def test_a_whole_number_is_kept_as_an_int_not_a_float() -> None:
    result = understand(ANY, "4.0")
    assert isinstance(result, Understood)
    assert type(result.value) is int
    assert result.label == "4"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("7", "number 7 is above the maximum of 5"),
        ("0", "number 0 is below the minimum of 1"),
        ("5.5", "number 5.5 is above the maximum of 5"),
        ("seven", "number 7 is above the maximum of 5"),
    ],
)
def test_a_number_outside_the_bounds_is_not_understood_and_says_which_bound(
    reply: str, reason: str
) -> None:
    assert understand(ONE_TO_FIVE, reply) == NotUnderstood(reason)


@pytest.mark.parametrize("reply", ["1", "5", "4.5", "five"])
def test_numbers_on_or_within_the_bounds_are_understood(reply: str) -> None:
    assert isinstance(understand(ONE_TO_FIVE, reply), Understood)


def test_a_score_out_of_ten_is_its_first_number_even_when_ten_is_above_the_maximum() -> None:
    assert understand(ONE_TO_FIVE, "4/10") == Understood(ANSWERED, 4, "4")


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("3 or 4", "more than one number: 3, 4"),
        ("3-4", "more than one number: 3, 4"),
        ("lots", "no number found"),
        ("", "the reply is empty"),
        ("99999999999999", "the number is too large"),
    ],
)
def test_replies_without_exactly_one_sensible_number_are_not_understood(
    reply: str, reason: str
) -> None:
    assert understand(ANY, reply) == NotUnderstood(reason)


def test_the_same_number_said_twice_is_still_one_answer() -> None:
    assert understand(ANY, "3, yes 3") == Understood(ANSWERED, 3, "3")
