"""Tests for bot.timing.quiet_hours: routine messages wait for the resident's waking hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end

LDN, NYC = "Europe/London", "America/New_York"
NIGHT = (time(20), time(9))  # the programme's default: quiet 20:00 to 09:00
LUNCH = (time(13), time(14))  # a window that does not cross midnight
LATE = (time(20), time(1, 30))  # ends at a time the clocks skip or repeat in London


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# (now, zone, (quiet start, quiet end), quiet?)
IN_QUIET_HOURS = [
    ("2026-01-15T08:59Z", LDN, NIGHT, True),
    ("2026-01-15T09:00Z", LDN, NIGHT, False),  # exactly 09:00 is waking time
    ("2026-01-15T19:59:59Z", LDN, NIGHT, False),
    ("2026-01-15T20:00Z", LDN, NIGHT, True),  # exactly 20:00 is quiet
    ("2026-01-15T00:00Z", LDN, NIGHT, True),
    ("2026-07-15T07:59Z", LDN, NIGHT, True),  # 08:59 BST
    ("2026-07-15T08:00Z", LDN, NIGHT, False),  # 09:00 BST
    ("2026-07-15T19:00Z", LDN, NIGHT, True),  # 20:00 BST
    ("2026-03-29T00:30Z", LDN, NIGHT, True),  # 00:30 GMT, the night the clocks go forward
    ("2026-03-29T07:59Z", LDN, NIGHT, True),  # 08:59 BST
    ("2026-03-29T08:00Z", LDN, NIGHT, False),  # 09:00 BST
    ("2026-10-25T00:30Z", LDN, NIGHT, True),  # 01:30 BST, the night the clocks go back
    ("2026-10-25T08:59Z", LDN, NIGHT, True),  # 08:59 GMT
    ("2026-10-25T09:00Z", LDN, NIGHT, False),  # 09:00 GMT
    ("2026-01-15T13:59Z", NYC, NIGHT, True),  # 08:59 EST
    ("2026-01-15T14:00Z", NYC, NIGHT, False),  # 09:00 EST
    ("2026-01-15T12:59Z", LDN, LUNCH, False),
    ("2026-01-15T13:00Z", LDN, LUNCH, True),
    ("2026-01-15T13:30Z", LDN, LUNCH, True),
    ("2026-01-15T14:00Z", LDN, LUNCH, False),
    ("2026-01-15T22:00Z", LDN, LUNCH, False),
    ("2026-01-15T03:00Z", LDN, (time(9), time(9)), False),  # start == end: never quiet
    ("2026-01-15T09:00Z", LDN, (time(9), time(9)), False),
]


@pytest.mark.parametrize(("now", "zone", "window", "quiet"), IN_QUIET_HOURS)
def test_in_quiet_hours_reads_the_residents_wall_clock(
    now: str, zone: str, window: tuple[time, time], quiet: bool
) -> None:
    assert in_quiet_hours(at(now), zone, *window) is quiet


def test_the_default_quiet_hours_are_the_programmes_20_00_to_09_00() -> None:
    assert in_quiet_hours(at("2026-01-15T08:59Z"), LDN)
    assert not in_quiet_hours(at("2026-01-15T09:00Z"), LDN)
    assert quiet_hours_end(at("2026-01-15T20:00Z"), LDN) == at("2026-01-16T09:00Z")


# (now, zone, (quiet start, quiet end), when the quiet period ends)
QUIET_HOURS_END = [
    ("2026-01-15T12:00Z", LDN, NIGHT, "2026-01-15T12:00Z"),  # not quiet: now
    ("2026-01-15T06:00Z", LDN, NIGHT, "2026-01-15T09:00Z"),
    ("2026-01-15T20:00Z", LDN, NIGHT, "2026-01-16T09:00Z"),
    ("2026-07-15T19:00Z", LDN, NIGHT, "2026-07-16T08:00Z"),  # 20:00 BST to 09:00 BST
    ("2026-03-28T23:00Z", LDN, NIGHT, "2026-03-29T08:00Z"),  # Sat 23:00 GMT to Sun 09:00 BST
    ("2026-10-24T22:00Z", LDN, NIGHT, "2026-10-25T09:00Z"),  # Sat 23:00 BST to Sun 09:00 GMT
    ("2026-03-08T04:00Z", NYC, NIGHT, "2026-03-08T13:00Z"),  # Sat 23:00 EST to Sun 09:00 EDT
    ("2026-01-15T13:30Z", LDN, LUNCH, "2026-01-15T14:00Z"),
    ("2026-03-28T23:00Z", LDN, LATE, "2026-03-29T01:00Z"),  # 01:30 never shows: 02:00 BST
    ("2026-10-24T22:00Z", LDN, LATE, "2026-10-25T00:30Z"),  # 01:30 shows twice: the first
    ("2026-10-25T01:10Z", LDN, LATE, "2026-10-25T01:30Z"),  # quiet in the second 01:xx hour
    # Awake only 01:30 to 01:45, which 29 March skips entirely: wait for the next day's.
    ("2026-03-28T23:00Z", LDN, (time(1, 45), time(1, 30)), "2026-03-30T00:30Z"),
]


@pytest.mark.parametrize(("now", "zone", "window", "ends"), QUIET_HOURS_END)
def test_quiet_hours_end_is_the_next_quiet_end_on_the_wall_clock_in_utc(
    now: str, zone: str, window: tuple[time, time], ends: str
) -> None:
    end = quiet_hours_end(at(now), zone, *window)
    assert end == at(ends)
    assert end.tzinfo is UTC


def test_quiet_hours_end_gives_now_in_utc_when_not_quiet() -> None:
    now = datetime(2026, 1, 15, 12, tzinfo=ZoneInfo(NYC))
    end = quiet_hours_end(now, NYC)
    assert end == now
    assert end.tzinfo is UTC


@pytest.mark.parametrize(
    ("now", "zone", "window", "message"),
    [
        (datetime(2026, 1, 15, 12), LDN, NIGHT, "now must say its time zone"),
        (at("2026-01-15T12:00Z"), LDN, (time(20, tzinfo=UTC), time(9)), "quiet_start is a time"),
        (at("2026-01-15T12:00Z"), LDN, (time(20), time(9, tzinfo=UTC)), "quiet_end is a time"),
        (at("2026-01-15T12:00Z"), "Mars/Olympus", NIGHT, "'Mars/Olympus' is not a time zone"),
    ],
)
def test_quiet_hours_refuse_a_naive_now_zoned_quiet_times_and_unknown_zones(
    now: datetime, zone: str, window: tuple[time, time], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{message}"):
        in_quiet_hours(now, zone, *window)
    with pytest.raises(ValueError, match=f"^{message}"):
        quiet_hours_end(now, zone, *window)


minutes_of_the_day = st.integers(0, 24 * 60 - 1).map(lambda minute: time(*divmod(minute, 60)))


@given(
    now=st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    zone=st.sampled_from([LDN, NYC, "Australia/Sydney", "Asia/Kolkata"]),
    start=minutes_of_the_day,
    end=minutes_of_the_day,
)
def test_a_held_message_goes_at_the_first_waking_moment(
    now: datetime, zone: str, start: time, end: time
) -> None:
    goes = quiet_hours_end(now, zone, start, end)
    assert not in_quiet_hours(goes, zone, start, end)
    if in_quiet_hours(now, zone, start, end):
        assert goes > now
        # A minute earlier it was still quiet, unless the clocks jumped over the end.
        a_minute_before = goes - timedelta(minutes=1)
        assert in_quiet_hours(a_minute_before, zone, start, end) or a_minute_before < now
    else:
        assert goes == now
