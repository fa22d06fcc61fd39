"""This module contains parsing and formatting of durations as staff write them, like "1d 12h"."""

from __future__ import annotations

import re
from datetime import timedelta

_HOW = "Write it like 30m, 4h, 2d or 1w (minutes, hours, days, weeks)."

_MINUTES_PER_UNIT = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 1),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 60),
    **dict.fromkeys(("d", "day", "days"), 60 * 24),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 60 * 24 * 7),
}

# Only whole numbers: a fraction such as "1.5h" could mean seconds, which nothing schedules.
_PART = r"[0-9]+\s*[a-z]+"
_SEPARATOR = r"(?:\s*,\s*|\s+and\s+|\s*)"
_DURATION = re.compile(rf"{_PART}(?:{_SEPARATOR}{_PART})*")
_PARTS = re.compile(r"([0-9]+)\s*([a-z]+)")


class DurationError(ValueError):
    """A duration that staff wrote could not be understood. `value` is what they wrote."""

    def __init__(self, value: str | int, message: str) -> None:
        super().__init__(message)
        self.value = value


def parse_duration(value: str | int) -> timedelta:
    """Parse "30m", "4h", "1d 12h", "90 minutes" or "2 hrs" into a positive timedelta.

    Bare numbers are refused, including ints: "4" could be minutes or hours, and guessing
    wrong would send a reminder at the wrong time.
    """
    text = str(value).strip().lower()
    if not text:
        raise DurationError(value, f"{value!r} is empty. {_HOW}")
    if text.startswith("-"):
        raise DurationError(value, f"{value!r} is negative; a duration must be at least 1m.")
    if re.fullmatch(r"\+?[0-9]+", text):
        number = text.lstrip("+")
        if not number.strip("0"):
            raise DurationError(value, f"{value!r} is zero; a duration must be at least 1m.")
        raise DurationError(
            value, f"{value!r} has no unit. Write {number}m, {number}h, {number}d or {number}w."
        )
    if not _DURATION.fullmatch(text):
        raise DurationError(value, f"{value!r} is not a duration Companion understands. {_HOW}")

    minutes = 0
    seen: set[int] = set()
    for number, unit in _PARTS.findall(text):
        if unit not in _MINUTES_PER_UNIT:
            raise DurationError(value, f"{value!r} uses {unit!r}, which is not a unit. {_HOW}")
        size = _MINUTES_PER_UNIT[unit]
        if size in seen:
            raise DurationError(value, f"{value!r} gives the same unit twice. {_HOW}")
        seen.add(size)
        # int() refuses very long digit strings with its own error, so stop them here.
        if len(number.lstrip("0")) > 9:
            raise DurationError(value, f"{value!r} is too long to be a duration.")
        minutes += int(number) * size
    if minutes == 0:
        raise DurationError(value, f"{value!r} is zero; a duration must be at least 1m.")
    try:
        return timedelta(minutes=minutes)
    except OverflowError as exc:
        raise DurationError(value, f"{value!r} is too long to be a duration.") from exc


def format_duration(delta: timedelta) -> str:
    """Write a positive, whole-minute timedelta the way staff would: "30m", "4h", "1d 12h"."""
    if delta <= timedelta(0) or delta % timedelta(minutes=1):
        raise ValueError(f"Cannot write {delta!r} as a duration: it must be whole minutes, > 0.")
    minutes = delta // timedelta(minutes=1)
    week = _MINUTES_PER_UNIT["w"]
    # Weeks only when exact: staff write "10d", not "1w 3d".
    if minutes % week == 0:
        return f"{minutes // week}w"
    days, rest = divmod(minutes, _MINUTES_PER_UNIT["d"])
    hours, minutes = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m")]
    return " ".join(f"{amount}{unit}" for amount, unit in parts if amount)
