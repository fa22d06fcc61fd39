"""Tests for English number words: reading single words and rewriting runs as digits."""

from __future__ import annotations

import pytest

from flows.understand.number_words import is_ordinal, token_number, words_to_digits


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("3", 3), ("three", 3), ("third", 3), ("3rd", 3), ("21st", 21), ("twelve", 12),
        ("twenty", 20), ("first", 1), ("good", None), ("none", None), ("1234567890", None),
        ("3.5", None),
    ],
)  # fmt: skip
def test_token_number_reads_digits_number_words_and_ordinals(word: str, value: int | None) -> None:
    assert token_number(word) == value


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("twenty one", "21"), ("twenty-one", "21"), ("two thirty", "2 30"), ("one two", "1 2"),
        ("three and a half", "3.5"), ("a hundred and five", "105"),
        ("two thousand and twenty six", "2026"), ("quarter past three", "quarter past 3"),
        ("five out of ten", "5 out of 10"), ("half two", "half 2"), ("a half", "a half"),
        ("twenty, one", "20, 1"), ("no numbers here", "no numbers here"), ("none", "0"),
    ],
)  # fmt: skip
def test_words_to_digits_rewrites_each_run_of_number_words(text: str, digits: str) -> None:
    assert words_to_digits(text) == digits


def test_ordinals_are_recognised_in_words_and_digits() -> None:
    assert [is_ordinal(w) for w in ("first", "2nd", "two", "2")] == [True, True, False, False]
