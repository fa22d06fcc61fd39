"""Tests for reading answers to date questions: UK dates, weekdays and days from today."""

from __future__ import annotations

from datetime import date

import pytest

from flows.types import ANSWERED, Ask, AskKind
from flows.understand import NotUnderstood, Understood
from tests.flows.understand.builders import TODAY, understand

ASK = Ask(AskKind.DATE)
MONDAY = date(2026, 11, 23)

# Today is Thursday 19 November 2026.
REPLIES = [
    ("today", "2026-11-19"), ("tomorrow", "2026-11-20"), ("Tomorrow!", "2026-11-20"),
    ("tmrw", "2026-11-20"), ("tomoz", "2026-11-20"), ("2moro", "2026-11-20"),
    ("tomorow", "2026-11-20"), ("day after tomorrow", "2026-11-21"),
    ("tuesday", "2026-11-24"), ("Tuesday", "2026-11-24"), ("tues", "2026-11-24"),
    ("tue", "2026-11-24"), ("tuesdy", "2026-11-24"), ("next tues", "2026-11-24"),
    ("next tuesday", "2026-11-24"), ("weds", "2026-11-25"), ("wensday", "2026-11-25"),
    ("thursday", "2026-11-19"), ("thurs", "2026-11-19"), ("next thursday", "2026-11-26"),
    ("this friday", "2026-11-20"), ("fri", "2026-11-20"), ("sat", "2026-11-21"),
    ("sunday", "2026-11-22"), ("monday", "2026-11-23"), ("on monday please", "2026-11-23"),
    ("21/11", "2026-11-21"), ("21/11/2026", "2026-11-21"), ("21/11/26", "2026-11-21"),
    ("21-11", "2026-11-21"), ("21.11", "2026-11-21"), ("21st", "2026-11-21"),
    ("the 21st", "2026-11-21"), ("21", "2026-11-21"), ("21st November", "2026-11-21"),
    ("21st of November", "2026-11-21"), ("Nov 21", "2026-11-21"), ("21 nov", "2026-11-21"),
    ("November 21st", "2026-11-21"), ("21 novmber", "2026-11-21"), ("19th", "2026-11-19"),
    ("the 5th", "2026-12-05"), ("18/11", "2027-11-18"), ("1/1", "2027-01-01"),
    ("25 December", "2026-12-25"), ("2026-12-25", "2026-12-25"), ("in 3 days", "2026-11-22"),
    ("in three days", "2026-11-22"), ("in a week", "2026-11-26"), ("next week", "2026-11-26"),
    ("in 2 weeks", "2026-12-03"), ("fortnight", "2026-12-03"), ("tues 24th", "2026-11-24"),
    ("wed 24th", "2027-02-24"), ("tomorrow at 2pm", "2026-11-20"), ("friday 20th", "2026-11-20"),
]  # fmt: skip


@pytest.mark.parametrize(("reply", "iso"), REPLIES)
def test_a_resident_reply_to_a_date_question_is_the_next_such_date(reply: str, iso: str) -> None:
    result = understand(ASK, reply)
    assert isinstance(result, Understood), result
    assert (result.outcome, result.value) == (ANSWERED, iso)


def test_a_date_is_labelled_with_its_weekday_day_and_month() -> None:
    assert understand(ASK, "next tues") == Understood(ANSWERED, "2026-11-24", "Tuesday 24 November")


def test_a_date_in_another_year_has_the_year_in_its_label() -> None:
    assert understand(ASK, "18/11") == Understood(
        ANSWERED, "2027-11-18", "Thursday 18 November 2027"
    )


def test_next_weekday_is_the_first_one_after_today_but_weekday_next_week_is_in_next_week() -> None:
    assert understand(ASK, "next tuesday", today=MONDAY) == Understood(
        ANSWERED, "2026-11-24", "Tuesday 24 November"
    )
    assert understand(ASK, "tuesday next week", today=MONDAY) == Understood(
        ANSWERED, "2026-12-01", "Tuesday 1 December"
    )


def test_a_bare_weekday_that_is_today_means_today_but_next_weekday_means_a_week_on() -> None:
    assert understand(ASK, "monday", today=MONDAY) == Understood(
        ANSWERED, "2026-11-23", "Monday 23 November"
    )
    assert understand(ASK, "next monday", today=MONDAY) == Understood(
        ANSWERED, "2026-11-30", "Monday 30 November"
    )


def test_a_day_and_month_already_gone_this_year_is_next_years() -> None:
    assert understand(ASK, "1st jan", today=date(2026, 12, 31)) == Understood(
        ANSWERED, "2027-01-01", "Friday 1 January 2027"
    )


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ("yesterday", "Wednesday 18 November is in the past"),
        ("18/11/2026", "Wednesday 18 November is in the past"),
        ("31/02", "there is no such date"),
        ("tuesday or wednesday", "the reply mentions more than one date"),
        ("tomorrow or saturday", "the reply mentions more than one date"),
        ("21/11 or 22/11", "the reply mentions more than one date"),
        ("november", "a month needs a day"),
        ("soon", "no date found"),
        ("2.30", "no date found"),
        ("", "the reply is empty"),
    ],
)
def test_past_impossible_or_unclear_dates_are_not_understood_and_say_why(
    reply: str, reason: str
) -> None:
    assert understand(ASK, reply) == NotUnderstood(reason)


def test_a_month_without_a_day_is_ignored_beside_a_weekday_as_may_is_also_a_word() -> None:
    assert understand(ASK, "I may come on tuesday") == Understood(
        ANSWERED, "2026-11-24", "Tuesday 24 November"
    )
    assert understand(ASK, "the 21st of may") == Understood(
        ANSWERED, "2027-05-21", "Friday 21 May 2027"
    )


def test_the_date_these_tests_use_as_today_is_a_thursday() -> None:
    assert TODAY.weekday() == 3
