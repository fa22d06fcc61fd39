"""Tests for language identification, which picks the language of a reply."""

from __future__ import annotations

import pytest

from bot.triage.language import identify

EVERY = ("en", "pl", "ro", "lt", "bn", "ur", "pt")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I have fallen in the kitchen and I cannot get up", "en"),
        ("Upadłam w łazience i nie mogę wstać", "pl"),
        ("Am căzut în baie și nu mă pot ridica", "ro"),
        ("Nukritau vonioje ir negaliu atsikelti", "lt"),
        ("আমি পড়ে গেছি, উঠতে পারছি না", "bn"),
        ("میں گر گئی ہوں، اٹھ نہیں سکتی", "ur"),
        ("Caí na casa de banho e não consigo levantar-me", "pt"),
    ],
)
def test_a_message_is_identified_among_the_configured_languages(text: str, language: str) -> None:
    assert identify(text, EVERY) == language


def test_the_answer_is_always_one_of_the_candidates() -> None:
    # Romanian text, but Romanian is not configured: the answer is a candidate or None.
    assert identify("Am căzut în baie și nu mă pot ridica", ("en", "pl")) in ("en", "pl", None)


@pytest.mark.parametrize("text", ["", "ok", "tak", "da x", "👍👍", "1 2 3 4 5 6 7 8 9"])
def test_too_little_text_to_tell_gives_none(text: str) -> None:
    assert identify(text, EVERY) is None


def test_one_candidate_is_the_answer_and_unknown_codes_are_left_out() -> None:
    assert identify("I have fallen and cannot get up", ["en"]) == "en"
    assert identify("I have fallen and cannot get up", ["xx"]) is None
    assert identify("I have fallen and cannot get up", ["en", "xx"]) == "en"
