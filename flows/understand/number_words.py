"""This module contains English number words: "twenty one" → 21, "first" → 1, "1st" → 1."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

# fmt: off
_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth", "eleventh", "twelfth"]
# fmt: on

UNITS = {word: value for value, word in enumerate(_UNITS)}
TEENS = {word: value for value, word in enumerate(_TEENS, start=10)}
TENS = {word: 10 * value for value, word in enumerate(_TENS, start=2)}
ORDINALS = {word: value for value, word in enumerate(_ORDINALS, start=1)}
SCALES = {"hundred": 100, "thousand": 1000}
#: Zero words only count in whole-number replies: "none of them" is no choice number.
_ZEROS = {"nought": 0, "nil": 0, "none": 0}
_ALL_UNITS = UNITS | _ZEROS
NUMBER_WORDS = frozenset(_ALL_UNITS) | frozenset(TEENS) | frozenset(TENS) | frozenset(SCALES)

#: After these, "one" is a pronoun, not a number: "the first one", "that one", "no one".
ONE_AS_PRONOUN_AFTER = frozenset(
    ["the", "this", "that", "last", "which", "no", "any", "every", "each", "some"]
)

_ORDINAL_DIGITS = re.compile(r"(\d{1,3})(?:st|nd|rd|th)")
_WORD = re.compile(r"[^\W\d_]+")
#: The longest run of digits read as a number; longer runs are phone numbers or noise.
MAX_DIGITS = 9


def token_number(word: str) -> int | None:
    """The whole number one word stands for: "3", "three", "third", "3rd"; else None."""
    if word.isdecimal():
        return int(word) if len(word) <= MAX_DIGITS else None
    value = UNITS.get(word, TEENS.get(word, TENS.get(word, ORDINALS.get(word))))
    if value is None and (match := _ORDINAL_DIGITS.fullmatch(word)):
        return int(match.group(1))
    return value


def is_ordinal(word: str) -> bool:
    return word in ORDINALS or _ORDINAL_DIGITS.fullmatch(word) is not None


def words_to_digits(folded: str) -> str:
    """`folded` with each run of number words replaced by digits: "twenty one" → "21".

    "two thirty" stays two numbers ("2 30"), as a time reads it; "three and a half" → "3.5".
    """
    matches = list(_WORD.finditer(folded))
    words = [match.group() for match in matches]
    if NUMBER_WORDS.isdisjoint(words):
        return folded
    # Only spaces and hyphens join number words: "twenty-one" is 21, "twenty, one" is not.
    joined = [False] + [not folded[a.end() : b.start()].strip(" -") for a, b in pairwise(matches)]
    parts: list[str] = []
    position = i = 0
    while i < len(words):
        value, used = _read_number(words, joined, i)
        if not used:
            i += 1
            continue
        parts += [folded[position : matches[i].start()], _digits(value)]
        position = matches[i + used - 1].end()
        i += used
    return "".join([*parts, folded[position:]])


def _read_number(words: Sequence[str], joined: Sequence[bool], start: int) -> tuple[float, int]:
    """The number spelt from words[start], and how many words it used (0 if none)."""
    total = current = 0.0
    used = 0
    last = ""  # the kind of the previous word, deciding what may follow it
    for k in range(start, len(words)):
        if k > start and not joined[k]:
            break
        word = words[k]
        following = words[k + 1] if k + 1 < len(words) and joined[k + 1] else ""
        if word in _ALL_UNITS and last in ("", "tens", "scale", "and"):
            current, last = current + _ALL_UNITS[word], "units"
        elif word in TEENS and last in ("", "scale", "and"):
            current, last = current + TEENS[word], "teens"
        elif word in TENS and last in ("", "scale", "and"):
            current, last = current + TENS[word], "tens"
        elif word in SCALES and last in ("units", "teens", "tens", "a"):
            scale = SCALES[word]
            if scale == 1000:
                total, current = total + max(current, 1) * scale, 0
            else:
                current = max(current, 1) * scale
            last = "scale"
        elif word == "a" and following in ("hundred", "thousand", "half"):
            last = "a" if following != "half" or last == "and" else ""
            if not last:
                break
            continue
        elif word == "half" and last == "a":
            current, last = current + 0.5, "units"
        elif word == "and" and used and (following in NUMBER_WORDS or following == "a"):
            last = "and"
            continue
        else:
            break
        used = k + 1 - start
    return total + current, used


def _digits(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
