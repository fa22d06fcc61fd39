"""Tests of the figures' weeks: Mondays in the programme's time zone, right across the clocks
going back and forward, whatever the hour."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.services.figures import _stamp, week_starts

LONDON = ZoneInfo("Europe/London")


def test_weeks_are_london_weeks_ending_with_this_one() -> None:
    # Sunday 7 June 2026, 23:30 UTC is already Monday 8 June, 00:30, in London (BST).
    mondays = week_starts(datetime(2026, 6, 7, 23, 30, tzinfo=UTC), LONDON, count=3)
    assert mondays == [date(2026, 5, 25), date(2026, 6, 1), date(2026, 6, 8)]


def test_a_week_starts_at_local_midnight_in_summer_and_winter() -> None:
    assert _stamp(date(2026, 6, 8), LONDON) == "2026-06-07T23:00:00.000000+00:00"
    assert _stamp(date(2026, 11, 23), LONDON) == "2026-11-23T00:00:00.000000+00:00"
    # The week the clocks go back (Sunday 25 October 2026) is 169 hours long.
    start, end = _stamp(date(2026, 10, 19), LONDON), _stamp(date(2026, 10, 26), LONDON)
    hours = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 3600
    assert hours == 169
