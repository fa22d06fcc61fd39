"""This module contains the reader for number answers, in digits or words, within bounds."""

from __future__ import annotations

import math
import re
from datetime import date

from flows.types import ANSWERED
from flows.understand.normalise import Reply
from flows.understand.number_words import words_to_digits
from flows.understand.results import NotUnderstood, Understanding, Understood

# "5/10" and "5 out of 10" are scores: the answer is the 5. Residents rate things this way, and
# a question that wants a fraction is better asked as a decimal.
_SCORE = re.compile(r"(\d)\s*(?:/|out of)\s*\d+(?:\.\d+)?")
# Thousands commas ("1,000") are joined; a minus sign counts only at the start of a word.
_NUMBER = re.compile(r"(?<![\w.-])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.-])-?\d+(?:\.\d+)?|\d+")
#: Beyond this a reply is a phone number or noise, not a count or a score.
_LARGEST = 1e12


def find_numbers(folded: str) -> list[float]:
    """Every number in folded text, in order, with number words read and scores reduced."""
    text = _SCORE.sub(r"\1", words_to_digits(folded))
    return [float(found.replace(",", "")) for found in _NUMBER.findall(text)]


def plain(value: float) -> int | float:
    """`value` as an int when it is whole, so that 5 is stored as 5, not 5.0."""
    return int(value) if isinstance(value, int) or value.is_integer() else value


def _show(value: float) -> str:
    return str(plain(value))


class NumberReader:
    """Reads one number, which must lie within `minimum`..`maximum` when those are set."""

    def __init__(self, minimum: float | None, maximum: float | None) -> None:
        self._minimum = minimum
        self._maximum = maximum

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        numbers = list(dict.fromkeys(find_numbers(reply.folded)))
        if not numbers:
            return NotUnderstood("no number found")
        if len(numbers) > 1:
            return NotUnderstood(f"more than one number: {', '.join(map(_show, numbers))}")
        value = numbers[0]
        if not math.isfinite(value) or abs(value) > _LARGEST:
            return NotUnderstood("the number is too large")
        if self._minimum is not None and value < self._minimum:
            return NotUnderstood(
                f"number {_show(value)} is below the minimum of {_show(self._minimum)}"
            )
        if self._maximum is not None and value > self._maximum:
            return NotUnderstood(
                f"number {_show(value)} is above the maximum of {_show(self._maximum)}"
            )
        return Understood(ANSWERED, plain(value), _show(value))
