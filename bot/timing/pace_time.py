"""This module turns when a resident said ("later", "this afternoon", "for a fortnight", "back on
the 14th") into a moment on their own wall clock: when to ask again, or when a pause ends.

`until` comes from bot/triage/pace.py: a duration as flows write them ("2h", "3d", "2w"), a day
word ("tomorrow", "monday", "weekend", "next week", "next month", "after next week"), a part of
today ("morning", "afternoon", "evening"), a time of day ("clock:15:00"; "clock:08:00am" when
said as the morning), a day of the month ("day:14"), a date ("date:12-14", month first), or the
resident's own free words. Everything here is pure time maths; quiet hours are the
resident's, read on their wall clock, so a clock change never moves "at about 3pm".
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from bot.timing.rhythm import DAY_NAMES, wall_to_utc, zone_named
from bot.triage.pace_when import AFTER_NEXT_WEEK, CLOCK, SAID_AS_MORNING
from flows.durations import DurationError, parse_duration

#: "later" with no time said: ask again this long after.
DEFAULT_LATER: Final = timedelta(hours=2)
#: Asking again sooner than this would feel like not listening.
SOONEST_AGAIN: Final = timedelta(hours=1)
#: When the default "later" lands in the evening's quiet hours, this long before they begin is
#: still a fair "later", if it is at least SOONEST_AGAIN away.
BEFORE_QUIET: Final = timedelta(minutes=30)
#: Parts of the day, as wall-clock times to ask again at.
MORNING: Final = time(10, 0)
AFTERNOON: Final = time(14, 0)
EVENING: Final = time(18, 0)

_DAY_OF_MONTH: Final = re.compile(r"day:(\d{1,2})")
_DATE: Final = re.compile(r"date:(\d{1,2})-(\d{1,2})")
_WEEKDAYS: Final = {name.lower(): number for number, name in enumerate(DAY_NAMES)}
_SATURDAY: Final = 5


def later_moment(
    until: str | None,
    now: datetime,
    zone: str,
    quiet_start: time,
    quiet_end: time,
) -> datetime | None:
    """When to ask again later today (UTC), or None if today has no allowed time left for it.

    No time said is DEFAULT_LATER on; "2h" two hours on; "morning", "afternoon" and "evening"
    10:00, 14:00 and 18:00 (the evening is an hour before quiet hours when 18:00 is quiet),
    or an hour on if that part of the day has begun. A time of day ("clock:08:00") from 1am
    to before noon that has passed is the same time after noon ("busy till 8" said at 2pm);
    one that has passed after noon too is an hour on. One said as the morning that has passed
    ("ask me at 8am" at 2pm) is not today (see `said_time_tomorrow`). A moment in the morning's
    quiet hours moves to their end; one in the evening's is not today.
    """
    tz = zone_named(zone)
    local_now = now.astimezone(tz)
    target = _later_target(until, local_now, tz, quiet_start)
    if target is None:
        return None
    if in_quiet_hours(target, zone, quiet_start, quiet_end):
        if until is None and (fallback := _before_quiet(local_now, tz, quiet_start)):
            target = fallback
        else:
            target = quiet_hours_end(target, zone, quiet_start, quiet_end)
    if target.astimezone(tz).date() != local_now.date():
        return None
    return target.astimezone(UTC)


def said_time_tomorrow(
    until: str | None, now: datetime, zone: str, quiet_start: time, quiet_end: time
) -> datetime | None:
    """Tomorrow at the time of day the resident said as the morning, when it has passed today
    ("ask me at 8am" said at 2pm), out of quiet hours (UTC); None for any other `until`."""
    said = _clock((until or "").strip().lower())
    if said is None or not said[1]:
        return None
    tz = zone_named(zone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    moment = wall_to_utc(datetime.combine(tomorrow, said[0]), tz)
    return quiet_hours_end(moment, zone, quiet_start, quiet_end)


def said_clock(said: str | None) -> time | None:
    """The time of day in a clock form ("clock:15:00", "clock:09:00am"), or None."""
    found = _clock((said or "").strip().lower())
    return found[0] if found else None


def first_allowed_tomorrow(
    now: datetime, zone: str, quiet_start: time, quiet_end: time
) -> datetime:
    """The first moment outside quiet hours on the resident's next day (UTC)."""
    tomorrow = now.astimezone(zone_named(zone)).date() + timedelta(days=1)
    return day_opens(tomorrow, zone, quiet_start, quiet_end)


def day_opens(day: date, zone: str, quiet_start: time, quiet_end: time) -> datetime:
    """The first moment of `day` outside the resident's quiet hours (UTC): when a pause that
    ends that day ends."""
    start = wall_to_utc(datetime.combine(day, time(0, 0)), zone_named(zone))
    return quiet_hours_end(start, zone, quiet_start, quiet_end)


def pause_end(until: str | None, now: datetime, zone: str) -> date | None:
    """The day a pause ends on the resident's calendar, or None for "until I say I'm back".

    A duration counts whole days from today ("2w" is a fortnight today, "4h" tomorrow); a day
    word is the next such day after today ("after next week" the Monday after next week's);
    "day:14" the next 14th after today (a month with no 31st ends on its last day);
    "date:12-14" the next 14 December after today. A part of today ends tomorrow. Free words,
    and a date that does not exist, are None.
    """
    if until is None:
        return None
    today = now.astimezone(zone_named(zone)).date()
    word = until.strip().lower()
    if word in ("morning", "afternoon", "evening", "tomorrow"):
        return today + timedelta(days=1)
    if word in _WEEKDAYS:
        return _next_weekday(today, _WEEKDAYS[word])
    if word == "weekend":
        return _next_weekday(today, _SATURDAY)
    if word == "next week":
        return _next_weekday(today, 0)
    if word == AFTER_NEXT_WEEK:
        return _next_weekday(today, 0) + timedelta(weeks=1)
    if word == "next month":
        return _add_months(today.replace(day=1), 1)
    if match := _DAY_OF_MONTH.fullmatch(word):
        return _next_day_of_month(today, int(match.group(1)))
    if match := _DATE.fullmatch(word):
        return _next_date(today, int(match.group(1)), int(match.group(2)))
    duration = _duration(word)
    if duration is None:
        return None
    days = -(-duration // timedelta(days=1))  # whole days, rounded up
    return today + timedelta(days=max(days, 1))


def _later_target(
    until: str | None, local_now: datetime, tz: ZoneInfo, quiet_start: time
) -> datetime | None:
    word = (until or "").strip().lower()
    said = _clock(word)
    part = {"morning": MORNING, "afternoon": AFTERNOON}.get(word) or (said and said[0])
    if word == "evening":
        part = _evening(quiet_start)
    if part is not None:
        at = wall_to_utc(datetime.combine(local_now.date(), part), tz)
        if at <= local_now and said is not None and said[1]:
            return None  # "at 8am", and 8am has gone: not today
        if at <= local_now and time(1, 0) <= part < time(12, 0):
            # "busy till 8" said at 2pm means 8pm: an hour said without am or pm reads as
            # the morning, so one already past is the same hour after noon.
            at = wall_to_utc(datetime.combine(local_now.date(), _after_noon(part)), tz)
        return at if at > local_now else local_now + SOONEST_AGAIN
    duration = _duration(word) if word else None
    return local_now + (duration or DEFAULT_LATER)


def _clock(word: str) -> tuple[time, bool] | None:
    """A time of day the resident gave ("clock:16:00", from "about 4"), and whether they said
    it as the morning ("clock:08:00am", from "8am"); or None."""
    if not word.startswith(CLOCK):
        return None
    text = word.removeprefix(CLOCK)
    morning = text.endswith(SAID_AS_MORNING)
    try:
        return time.fromisoformat(text.removesuffix(SAID_AS_MORNING)), morning
    except ValueError:
        return None


def _after_noon(morning: time) -> time:
    return morning.replace(hour=morning.hour + 12)


def _evening(quiet_start: time) -> time:
    """18:00, or an hour before quiet hours begin when they begin by 18:00 (in the evening)."""
    if time(12, 0) < quiet_start <= EVENING:
        return time(quiet_start.hour - 1, quiet_start.minute)
    return EVENING


def _before_quiet(local_now: datetime, tz: ZoneInfo, quiet_start: time) -> datetime | None:
    starts = wall_to_utc(datetime.combine(local_now.date(), quiet_start), tz)
    fallback = starts - BEFORE_QUIET
    return fallback if fallback >= local_now + SOONEST_AGAIN else None


def _duration(word: str) -> timedelta | None:
    try:
        return parse_duration(word)
    except DurationError:
        return None


def _next_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _next_day_of_month(today: date, day: int) -> date | None:
    if not 1 <= day <= 31:
        return None
    first = today.replace(day=1)
    for months in range(2):
        month = _add_months(first, months)
        found = month.replace(day=min(day, _month_length(month.year, month.month)))
        if found > today:
            return found
    return None


def _next_date(today: date, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    for year in range(today.year, today.year + 9):  # 29 February comes within eight years
        if day <= _month_length(year, month) and (found := date(year, month, day)) > today:
            return found
    return None
