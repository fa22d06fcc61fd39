"""Tests of a one-off check-in: once, at a date and time on the resident's clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.timing.rhythm import RhythmError, describe, next_due, rhythm_once


def test_a_one_off_is_due_once_at_its_wall_time_and_read_back_in_words() -> None:
    once = rhythm_once(date(2026, 12, 8), "10:00", "Europe/London")
    assert describe(once) == "Once, on Tuesday 8 December at 10am"
    before = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert next_due(once, before) == datetime(2026, 12, 8, 10, 0, tzinfo=UTC)
    assert next_due(once, datetime(2026, 12, 8, 10, 0, tzinfo=UTC)) is None


@pytest.mark.parametrize(
    ("day", "zone", "due"),
    [
        # The day the clocks go forward and the day they go back: still 10:00 on the clock.
        (date(2026, 3, 29), "Europe/London", datetime(2026, 3, 29, 9, 0, tzinfo=UTC)),
        (date(2026, 10, 25), "Europe/London", datetime(2026, 10, 25, 10, 0, tzinfo=UTC)),
        (date(2026, 12, 8), "America/New_York", datetime(2026, 12, 8, 15, 0, tzinfo=UTC)),
    ],
)
def test_a_one_off_keeps_its_hour_in_the_residents_zone(
    day: date, zone: str, due: datetime
) -> None:
    once = rhythm_once(day, "10am", zone)
    assert next_due(once, datetime(2026, 1, 1, tzinfo=UTC)) == due


def test_a_one_off_at_a_time_that_is_not_one_is_refused() -> None:
    with pytest.raises(RhythmError, match="not a time of day"):
        rhythm_once(date(2026, 12, 8), "half ten", "Europe/London")
