"""Tests of the time maths behind pace requests: when "later" comes back (the same day, within
allowed hours, across clock changes), when a pause ends, and the rhythm offered one step less
or more often. Every moment is a named date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.timing.pace_rhythm import propose, propose_named
from bot.timing.pace_time import (
    day_opens,
    first_allowed_tomorrow,
    later_moment,
    pause_end,
    said_time_tomorrow,
)
from bot.timing.rhythm import Rhythm, describe

LONDON = "Europe/London"
QUIET = (time(20, 0), time(9, 0))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("until", "now", "expected"),
    [
        (None, at(2026, 12, 1, 10, 3), at(2026, 12, 1, 12, 3)),  # two hours on
        ("2h", at(2026, 12, 1, 10), at(2026, 12, 1, 12)),
        ("30m", at(2026, 12, 1, 10), at(2026, 12, 1, 10, 30)),
        ("afternoon", at(2026, 12, 1, 10), at(2026, 12, 1, 14)),
        ("afternoon", at(2026, 12, 1, 15), at(2026, 12, 1, 16)),  # begun: an hour on
        ("evening", at(2026, 12, 1, 10), at(2026, 12, 1, 18)),
        ("morning", at(2026, 12, 1, 9, 5), at(2026, 12, 1, 10)),
        # In summer time the wall clock is an hour ahead of UTC: 2pm BST is 13:00 UTC.
        ("afternoon", at(2026, 7, 7, 9), at(2026, 7, 7, 13)),
        (None, at(2026, 7, 7, 16), at(2026, 7, 7, 18)),
        # Early in the morning's quiet hours, two hours on is still quiet: their end.
        ("2h", at(2026, 12, 1, 6), at(2026, 12, 1, 9)),
        # Said at 18:30, two hours on is quiet; half an hour before quiet is still an hour on.
        (None, at(2026, 12, 1, 18, 30), at(2026, 12, 1, 19, 30)),
        # The clocks went back overnight: 2pm on Sunday 25 October 2026 is 14:00 UTC.
        ("afternoon", at(2026, 10, 25, 9), at(2026, 10, 25, 14)),
        # A time of day the resident gave ("about 4", "after 3pm"), on their own clock.
        ("clock:16:00", at(2026, 12, 1, 10), at(2026, 12, 1, 16)),
        ("clock:15:30", at(2026, 7, 7, 9), at(2026, 7, 7, 14, 30)),
        # Already past: an hour on, as for a part of the day already begun.
        ("clock:13:00", at(2026, 12, 1, 14), at(2026, 12, 1, 15)),
        # An hour of the morning already past is that hour after noon: "busy till 7" said at
        # 2pm comes back at 7pm ("clock:07:30" from "till 7.30").
        ("clock:07:00", at(2026, 12, 1, 14), at(2026, 12, 1, 19)),
        ("clock:07:30", at(2026, 7, 7, 13), at(2026, 7, 7, 18, 30)),  # 2pm BST; 7.30pm BST
        # Past after noon too ("till 2" said at 3pm): an hour on.
        ("clock:02:00", at(2026, 12, 1, 15), at(2026, 12, 1, 16)),
        # Not yet past: as said.
        ("clock:11:00", at(2026, 12, 1, 10), at(2026, 12, 1, 11)),
    ],
)
def test_later_comes_back_the_same_day_within_allowed_hours(
    until: str | None, now: datetime, expected: datetime
) -> None:
    assert later_moment(until, now, LONDON, *QUIET) == expected


@pytest.mark.parametrize(
    ("until", "now"),
    [
        (None, at(2026, 12, 1, 19, 30)),  # half seven, quiet from eight: no time left today
        ("2h", at(2026, 12, 1, 19)),
        ("evening", at(2026, 12, 1, 19, 30)),
        ("3d", at(2026, 12, 1, 10)),  # not today at all
        ("clock:21:00", at(2026, 12, 1, 10)),  # "at 9pm": in quiet hours
        ("clock:10:00", at(2026, 12, 1, 11)),  # past: 10pm, in quiet hours
    ],
)
def test_later_with_no_allowed_time_left_today_is_none(until: str | None, now: datetime) -> None:
    assert later_moment(until, now, LONDON, *QUIET) is None


def test_the_evening_is_an_hour_before_quiet_hours_that_begin_early() -> None:
    now = at(2026, 12, 1, 10)
    assert later_moment("evening", now, LONDON, time(17, 30), time(9, 0)) == at(2026, 12, 1, 16, 30)


def test_busy_till_8_said_in_the_afternoon_comes_back_at_8_in_the_evening() -> None:
    # "busy till 8" is read as 08:00; at 2pm that has passed, so it is 8pm, allowed here.
    quiet = (time(22, 0), time(8, 0))
    assert later_moment("clock:08:00", at(2026, 12, 1, 14), LONDON, *quiet) == at(2026, 12, 1, 20)
    # Said at 7am it has not passed: 8am.
    assert later_moment("clock:08:00", at(2026, 12, 1, 7), LONDON, *quiet) == at(2026, 12, 1, 8)


def test_a_time_said_as_the_morning_that_has_passed_is_tomorrow_morning() -> None:
    # "ask me at 8am" said at 2pm: not 8pm, and not today at all.
    quiet = (time(22, 0), time(7, 0))
    assert later_moment("clock:08:00am", at(2026, 12, 1, 14), LONDON, *quiet) is None
    assert said_time_tomorrow("clock:08:00am", at(2026, 12, 1, 14), LONDON, *quiet) == at(
        2026, 12, 2, 8
    )
    # Said at 7am it has not passed: 8am today.
    assert later_moment("clock:08:00am", at(2026, 12, 1, 7), LONDON, *quiet) == at(2026, 12, 1, 8)
    # Tomorrow is read on the resident's clock (BST in July) and out of their quiet hours.
    assert said_time_tomorrow(
        "clock:07:30am", at(2026, 7, 7, 13), LONDON, time(22, 0), time(9, 0)
    ) == at(2026, 7, 8, 8)
    # Anything else is not such a time.
    assert said_time_tomorrow("clock:08:00", at(2026, 12, 1, 14), LONDON, *quiet) is None
    assert said_time_tomorrow("afternoon", at(2026, 12, 1, 14), LONDON, *quiet) is None
    assert said_time_tomorrow(None, at(2026, 12, 1, 14), LONDON, *quiet) is None


def test_tomorrows_first_allowed_hour_is_read_on_the_residents_clock() -> None:
    # Saturday 24 October 2026 at 19:30 BST; the clocks go back that night.
    evening = at(2026, 10, 24, 18, 30)
    assert first_allowed_tomorrow(evening, LONDON, *QUIET) == at(2026, 10, 25, 9)
    assert first_allowed_tomorrow(at(2026, 12, 1, 19, 30), LONDON, *QUIET) == at(2026, 12, 2, 9)


def test_a_pause_ends_at_nine_on_its_day_whatever_the_clocks_did() -> None:
    assert day_opens(date(2026, 11, 2), LONDON, *QUIET) == at(2026, 11, 2, 9)  # GMT
    assert day_opens(date(2026, 10, 20), LONDON, *QUIET) == at(2026, 10, 20, 8)  # BST


MONDAY_19_OCT = at(2026, 10, 19, 11)


@pytest.mark.parametrize(
    ("until", "now", "expected"),
    [
        ("2w", MONDAY_19_OCT, date(2026, 11, 2)),
        ("3d", MONDAY_19_OCT, date(2026, 10, 22)),
        ("4h", MONDAY_19_OCT, date(2026, 10, 20)),
        ("30d", MONDAY_19_OCT, date(2026, 11, 18)),
        ("tomorrow", MONDAY_19_OCT, date(2026, 10, 20)),
        ("evening", MONDAY_19_OCT, date(2026, 10, 20)),
        ("monday", MONDAY_19_OCT, date(2026, 10, 26)),  # a Monday: the next one
        ("friday", MONDAY_19_OCT, date(2026, 10, 23)),
        ("weekend", MONDAY_19_OCT, date(2026, 10, 24)),
        ("next week", MONDAY_19_OCT, date(2026, 10, 26)),
        # "away next week": all of next week, so the Monday after it.
        ("after next week", MONDAY_19_OCT, date(2026, 11, 2)),
        ("after next week", at(2026, 10, 25, 12), date(2026, 11, 2)),  # said on a Sunday
        ("next month", at(2027, 1, 31, 12), date(2027, 2, 1)),
        ("day:14", at(2026, 12, 1, 10), date(2026, 12, 14)),
        ("day:14", at(2026, 12, 20, 10), date(2027, 1, 14)),
        ("day:31", at(2026, 11, 2, 10), date(2026, 11, 30)),  # November has no 31st
        ("date:12-14", at(2026, 12, 1, 10), date(2026, 12, 14)),
        ("date:12-14", at(2026, 12, 20, 10), date(2027, 12, 14)),
        ("date:02-29", at(2026, 12, 1, 10), date(2028, 2, 29)),
        # Late on Sunday evening UTC is already Monday in Auckland.
        ("tomorrow", at(2026, 10, 18, 23), date(2026, 10, 20)),
    ],
)
def test_a_pause_ends_on_the_day_they_said(until: str, now: datetime, expected: date) -> None:
    zone = "Pacific/Auckland" if now == at(2026, 10, 18, 23) else LONDON
    assert pause_end(until, now, zone) == expected


@pytest.mark.parametrize("until", [None, "I'm home", "after Christmas", "date:02-30", "day:40"])
def test_a_pause_with_no_day_said_has_no_end(until: str | None) -> None:
    assert pause_end(until, MONDAY_19_OCT, LONDON) is None


TUESDAY = at(2026, 11, 24, 9)


@pytest.mark.parametrize(
    ("rule", "more", "offered"),
    [
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0", False, "Every 2 weeks on Tuesday at 10am"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=10;BYMINUTE=0",
            False,
            "Every month on the first Tuesday at 10am",
        ),
        ("FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=10;BYMINUTE=0", False, "Every Tuesday at 10am"),
        ("FREQ=DAILY;BYHOUR=10;BYMINUTE=30", False, "Every 2 days at 10:30am"),
        (
            "FREQ=MONTHLY;BYMONTHDAY=3;BYHOUR=10;BYMINUTE=0",
            False,
            "Every 2 months on the 3rd at 10am",
        ),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0", True, "Every Tuesday and Friday at 10am"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=10;BYMINUTE=0", True, "Every Tuesday at 10am"),
        (
            "FREQ=MONTHLY;BYDAY=1TU;BYHOUR=10;BYMINUTE=0",
            True,
            "Every 2 weeks on Tuesday at 10am",
        ),
        ("FREQ=DAILY;INTERVAL=3;BYHOUR=10;BYMINUTE=30", True, "Every day at 10:30am"),
        # No time in the rule: the time of their next check-in is kept.
        ("FREQ=WEEKLY;BYDAY=TU", False, "Every 2 weeks on Tuesday at 9am"),
    ],
)
def test_a_rhythm_one_step_less_or_more_often(rule: str, more: bool, offered: str) -> None:
    rhythm = Rhythm(rule, LONDON, TUESDAY)
    proposal = propose(rhythm, more=more, now=TUESDAY)
    assert proposal is not None
    assert describe(Rhythm(proposal, LONDON, TUESDAY)) == offered


@pytest.mark.parametrize(
    ("rule", "more"),
    [
        ("FREQ=DAILY;BYHOUR=10;BYMINUTE=0", True),  # daily is as often as check-ins go
        ("FREQ=MONTHLY;INTERVAL=3;BYDAY=1TU;BYHOUR=10;BYMINUTE=0", False),
        ("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0;COUNT=1", False),  # a one-off
    ],
)
def test_a_rhythm_at_its_limit_has_no_offer(rule: str, more: bool) -> None:
    assert propose(Rhythm(rule, LONDON, TUESDAY), more=more, now=TUESDAY) is None


@pytest.mark.parametrize(
    ("named", "offered"),
    [
        ("FREQ=MONTHLY", "Every month on the first Tuesday at 10am"),
        ("FREQ=WEEKLY;INTERVAL=2", "Every 2 weeks on Tuesday at 10am"),
        ("FREQ=WEEKLY;BYDAY=MO", "Every Monday at 10am"),
        ("FREQ=DAILY", "Every day at 10am"),
    ],
)
def test_a_rhythm_the_resident_named_keeps_their_day_and_time(named: str, offered: str) -> None:
    rhythm = Rhythm("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0", LONDON, TUESDAY)
    proposal = propose_named(rhythm, named, now=TUESDAY)
    assert proposal is not None
    assert describe(Rhythm(proposal, LONDON, TUESDAY)) == offered


@pytest.mark.parametrize("named", ["FREQ=WEEKLY", "FREQ=HOURLY", "not a rule"])
def test_a_named_rhythm_that_is_theirs_already_or_no_rhythm_has_no_offer(named: str) -> None:
    rhythm = Rhythm("FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0", LONDON, TUESDAY)
    assert propose_named(rhythm, named, now=TUESDAY) is None
