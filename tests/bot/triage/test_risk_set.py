"""Tests for the safeguarding test set: every risky message caught, in every language, and few
false alarms on ordinary messages (the figures are printed at the end of every run)."""

from __future__ import annotations

import pytest

from bot.triage.risk_files import known_languages
from bot.triage.safeguarding import RiskKind, default_detector
from tests.bot.triage.risk_scoring import Risky, how_caught, risk_set, score, set_languages

RISKY = [message for language in set_languages() for message in risk_set(language).risky]
#: Aimed at under 5%; never at the cost of a miss.
MOST_FALSE_ALARMS = 0.05


def test_every_configured_language_has_a_test_set_of_risky_and_ordinary_messages() -> None:
    assert set(set_languages()) == set(known_languages())
    for language in set_languages():
        the_set = risk_set(language)
        assert len(the_set.risky) >= (120 if language == "en" else 20), language
        assert len(the_set.ordinary) >= (100 if language == "en" else 15), language


def test_the_english_set_covers_every_kind_of_risk() -> None:
    assert {message.kind for message in risk_set("en").risky} == set(RiskKind)


@pytest.mark.parametrize("message", RISKY, ids=lambda message: message.text[:40])
def test_every_risky_message_is_caught_with_its_kind_or_one_replying_as_safely(
    message: Risky,
) -> None:
    found = default_detector().find_risks(message.text)
    assert how_caught(default_detector(), message), (message.kind, found)


@pytest.mark.parametrize("language", set_languages())
def test_few_ordinary_messages_raise_a_false_alarm(language: str) -> None:
    result = score(language)
    assert result.recall == 1.0, result.missed
    assert result.false_alarm_rate <= MOST_FALSE_ALARMS, result.false_alarms
