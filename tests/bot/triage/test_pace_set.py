"""Tests for the pace test set: every request understood with its kind and until, and no
ordinary message read as a request, in every configured language (the figures are printed at
the end of every run)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.triage.pace import PaceKind, pace_intent
from bot.triage.pace_files import known_languages
from flows.durations import parse_duration
from tests.bot.triage.pace_scoring import Expected, pace_set, read, set_languages

REQUESTS = [request for language in set_languages() for request in pace_set(language).requests]
ORDINARY = [text for language in set_languages() for text in pace_set(language).ordinary]


def test_every_configured_language_has_a_pace_set_of_requests_and_ordinary_messages() -> None:
    assert set(set_languages()) == set(known_languages())
    for language in set_languages():
        the_set = pace_set(language)
        assert len(the_set.requests) >= (150 if language == "en" else 20), language
        assert len(the_set.ordinary) >= (100 if language == "en" else 10), language


def test_the_set_of_each_language_asks_for_every_kind() -> None:
    for language in set_languages():
        kinds = {request.kind for request in pace_set(language).requests}
        assert kinds == set(PaceKind), language


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda request: request.text[:40])
def test_every_request_is_understood_with_its_kind_and_until(request_: Expected) -> None:
    assert read(request_.text) == (request_.kind, request_.until)


@pytest.mark.parametrize("text", ORDINARY, ids=lambda text: text[:40])
def test_an_ordinary_answer_or_news_is_no_pace_request(text: str) -> None:
    assert read(text) is None


@pytest.mark.parametrize("text", [request.text for request in REQUESTS])
def test_a_later_request_comes_back_the_same_day(text: str) -> None:
    found = pace_intent(text, known_languages())
    if found is not None and found.kind is PaceKind.LATER and found.until is not None:
        today = found.until in ("morning", "afternoon", "evening") or found.until.startswith(
            "clock:"
        )
        assert today or parse_duration(found.until) < timedelta(days=1), found
