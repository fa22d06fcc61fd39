"""Tests for flows.durations: parsing and formatting durations as staff write them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.durations import DurationError, format_duration, parse_duration

M = timedelta(minutes=1)
H = timedelta(hours=1)
D = timedelta(days=1)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("30m", 30 * M),
        ("4h", 4 * H),
        ("2d", 2 * D),
        ("1w", 7 * D),
        ("1h30m", 90 * M),
        ("1d 12h", 36 * H),
        ("90 minutes", 90 * M),
        ("1 minute", M),
        ("45 min", 45 * M),
        ("5 mins", 5 * M),
        ("2 hours", 2 * H),
        ("1 hour", H),
        ("2 hrs", 2 * H),
        ("1 hr", H),
        ("1 day", D),
        ("3 days", 3 * D),
        ("3 weeks", 21 * D),
        ("2 wks", 14 * D),
        ("1 wk", 7 * D),
        ("1 hour and 30 minutes", 90 * M),
        ("1d, 2h", 26 * H),
        ("  4H  ", 4 * H),
        ("1 H 30 M", 90 * M),
        ("1w 2d 3h 4m", 7 * D + 2 * D + 3 * H + 4 * M),
    ],
)
def test_parse_duration_accepts_the_forms_staff_write(written: str, expected: timedelta) -> None:
    assert parse_duration(written) == expected


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "'' is empty. Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks)."),
        (
            "abc",
            "'abc' is not a duration Companion understands. "
            "Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks).",
        ),
        ("4", "'4' has no unit. Write 4m, 4h, 4d or 4w."),
        (4, "4 has no unit. Write 4m, 4h, 4d or 4w."),
        ("0", "'0' is zero; a duration must be at least 1m."),
        ("-2h", "'-2h' is negative; a duration must be at least 1m."),
        ("0m", "'0m' is zero; a duration must be at least 1m."),
        ("0h 0m", "'0h 0m' is zero; a duration must be at least 1m."),
        (
            "4 parsecs",
            "'4 parsecs' uses 'parsecs', which is not a unit. "
            "Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks).",
        ),
        (
            "1h 2h",
            "'1h 2h' gives the same unit twice. "
            "Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks).",
        ),
        (
            "1.5h",
            "'1.5h' is not a duration Companion understands. "
            "Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks).",
        ),
        ("9999999999w", "'9999999999w' is too long to be a duration."),
        ("999999999w", "'999999999w' is too long to be a duration."),
    ],
)
def test_parse_duration_refuses_bad_values_with_a_message_naming_them(
    written: str | int, message: str
) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(written)
    assert str(caught.value) == message
    assert caught.value.value == written


def test_duration_error_is_a_value_error_so_generic_handlers_catch_it() -> None:
    with pytest.raises(ValueError, match="'4 parsecs'"):
        parse_duration("4 parsecs")


@pytest.mark.parametrize(
    ("delta", "written"),
    [
        (30 * M, "30m"),
        (4 * H, "4h"),
        (36 * H, "1d 12h"),
        (90 * M, "1h 30m"),
        (D + M, "1d 1m"),
        (7 * D, "1w"),
        (14 * D, "2w"),
        (10 * D, "10d"),
        (365 * D, "365d"),
    ],
)
def test_format_duration_writes_the_shortest_staff_form(delta: timedelta, written: str) -> None:
    assert format_duration(delta) == written


@pytest.mark.parametrize("delta", [timedelta(0), -H, timedelta(seconds=90)])
def test_format_duration_refuses_durations_it_cannot_write(delta: timedelta) -> None:
    with pytest.raises(ValueError, match="whole minutes"):
        format_duration(delta)


@given(st.integers(min_value=1, max_value=365 * 24 * 60).map(lambda n: timedelta(minutes=n)))
def test_format_duration_round_trips_through_parse_duration(delta: timedelta) -> None:
    assert parse_duration(format_duration(delta)) == delta
