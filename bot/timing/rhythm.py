"""This module contains a resident's check-in rhythm: an RFC 5545 recurrence in their time zone."""

# Longer than most modules because parsing a rule, stepping through it and describing it share
# one private model of a rule (_Rule); splitting them would turn that model into public API.

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, weekday


class RhythmError(ValueError):
    """A rhythm, rule, day, time or time zone that cannot be used; the message says why."""


DAY_CODES: Final = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MAX_COUNT: Final = 1000  # dateutil walks a COUNT rule from its start; 1000 keeps that quick

_FREQUENCIES: Final[dict[str, Literal[0, 1, 2, 3]]] = {
    "DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY,
}  # fmt: skip
_TOO_OFTEN: Final = ("HOURLY", "MINUTELY", "SECONDLY")
# name: (lowest, highest, whether -highest..-1 counts back from the end)
_NUMBER_PARTS: Final = {
    "BYMONTH": (1, 12, False),
    "BYWEEKNO": (1, 53, True),
    "BYYEARDAY": (1, 366, True),
    "BYMONTHDAY": (1, 31, True),
    "BYHOUR": (0, 23, False),
    "BYMINUTE": (0, 59, False),
    "BYSECOND": (0, 59, False),
    "BYSETPOS": (1, 366, True),
}
_ORDER: Final = (
    "FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY",
    "BYHOUR", "BYMINUTE", "BYSECOND", "BYSETPOS", "WKST", "COUNT", "UNTIL",
)  # fmt: skip
_EXAMPLE: Final = "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0"
_BYDAY_ITEM: Final = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)", re.ASCII)
_NUMBER: Final = re.compile(r"[+-]?[0-9]{1,4}", re.ASCII)
_UNTIL: Final = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(?:T([0-9]{2})([0-9]{2})([0-9]{2})Z)?")
# A year near the end of the calendar: dateutil stops there, so a rule that can never happen is
# found in milliseconds instead of walking every day to 9999. 9960 is a leap year.
_PROBE_START: Final = datetime(9960, 1, 1)
_SEARCH_MARGIN: Final = timedelta(days=2)


@dataclass(frozen=True)
class Rhythm:
    """A resident's check-in rhythm: an RRULE body read in their time zone from `starts_at`.

    Building one checks all three fields and normalises them: `rule` to the form parse_rule
    gives, `starts_at` (aware; the earliest a slot may be) to the resident's own zone.
    """

    rule: str
    time_zone: str
    starts_at: datetime

    def __post_init__(self) -> None:
        zone = zone_named(self.time_zone)
        object.__setattr__(self, "rule", parse_rule(self.rule))
        object.__setattr__(self, "starts_at", _aware("starts_at", self.starts_at).astimezone(zone))


@dataclass(frozen=True)
class _Rule:
    freq: str
    interval: int
    numbers: tuple[tuple[str, tuple[int, ...]], ...]
    # BYDAY as (ordinal, weekday): (0, 1) is every Tuesday, (-1, 4) the last Friday.
    days: tuple[tuple[int, int], ...]
    wkst: int | None
    count: int | None
    until: date | datetime | None  # a local date (inclusive), or a UTC instant

    def number(self, name: str) -> tuple[int, ...]:
        return dict(self.numbers).get(name, ())

    @property
    def text(self) -> str:
        parts = {"FREQ": self.freq, "INTERVAL": str(self.interval)}
        parts.update((name, ",".join(map(str, values))) for name, values in self.numbers)
        if self.days:
            parts["BYDAY"] = ",".join(f"{n or ''}{DAY_CODES[day]}" for n, day in self.days)
        if self.wkst is not None:
            parts["WKST"] = DAY_CODES[self.wkst]
        if self.count is not None:
            parts["COUNT"] = str(self.count)
        if isinstance(self.until, datetime):
            parts["UNTIL"] = f"{_yyyymmdd(self.until)}T{self.until:%H%M%S}Z"
        elif self.until is not None:
            parts["UNTIL"] = _yyyymmdd(self.until)
        return ";".join(f"{name}={parts[name]}" for name in _ORDER if name in parts)


def zone_named(name: str) -> ZoneInfo:
    """The IANA time zone called `name`, such as Europe/London; RhythmError if there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: "Europe" is a folder
        raise RhythmError(
            f"{name!r} is not a time zone Companion knows. Use a name such as Europe/London."
        ) from exc


def wall_to_utc(wall: datetime, zone: ZoneInfo, *, fold: int = 0) -> datetime:
    """The UTC instant at which clocks in `zone` show the wall time `wall` (its tzinfo ignored).

    A wall time the clocks skip in spring becomes the moment they jump, the first valid time
    after it: 01:30 on 29 March 2026 in London is 02:00 BST (01:00 UTC). A wall time shown twice
    in autumn is its first showing (01:30 BST on 25 October 2026), or its second with fold=1.
    """
    # RFC 5545 would read a skipped time with the offset from before the jump (01:30 becomes
    # 02:30 BST); firing at the jump instead keeps a check-in as close as it can be to its hour.
    naive = wall.replace(tzinfo=None)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    # Python reads a skipped time with the offset from before the jump when fold=0 and from
    # after it when fold=1; so the first offset is the smaller only in a gap.
    if _offset(first) < _offset(second):
        return _moment_clocks_jump(naive, zone)
    return (second if fold else first).astimezone(UTC)


def parse_rule(rule: str) -> str:
    """`rule` (an RRULE body, "RRULE:" optional) checked and written in one canonical form.

    Check-ins are at most daily, so HOURLY, MINUTELY and SECONDLY rules, and more than one
    BYHOUR, BYMINUTE or BYSECOND, are refused, as are a rule that can never happen and the
    combinations RFC 5545 forbids. Raises RhythmError saying what is wrong in plain words.
    """
    return _parse(rule).text


def rhythm_from_words(
    every: str,
    days: list[str] | None,
    at: str,
    time_zone: str,
    starts_at: datetime,
    interval: int = 1,
) -> Rhythm:
    """The rhythm staff mean by "every (day|week|fortnight|month) on these days at this time".

    A week or fortnight with no days keeps the weekday of `starts_at`; a month is on the day of
    the month of `starts_at`, the month's last day when that day is past its end (the 30th is
    28 February). `interval` (1 to 12) counts the unit: every 3 weeks, every 2 fortnights.
    """
    unit = every.strip().lower()
    units = {"day": "DAILY", "week": "WEEKLY", "fortnight": "WEEKLY", "month": "MONTHLY"}
    freq, weeks_each = units.get(unit, ""), 2 if unit == "fortnight" else 1
    if not freq:
        raise RhythmError(
            f"{every!r} is not a rhythm Companion knows. Choose day, week, fortnight or month."
        )
    if not 1 <= interval <= 12:
        raise RhythmError(f"Every {interval} {unit}s is not allowed: choose from 1 to 12.")
    hour, minute = parse_clock(at)
    local = _aware("starts_at", starts_at).astimezone(zone_named(time_zone))
    chosen = sorted({_weekday_named(day) for day in days or ()})
    parts = [f"FREQ={freq}", f"INTERVAL={interval * weeks_each}"]
    if chosen and freq != "WEEKLY":
        raise RhythmError(
            "Every day already means every day of the week; to choose days, use every week."
            if freq == "DAILY"
            else "A monthly check-in is on a date (the day of the month it starts on), "
            "so leave the days out."
        )
    if freq == "WEEKLY":
        parts.append("BYDAY=" + ",".join(DAY_CODES[day] for day in chosen or [local.weekday()]))
    elif freq == "MONTHLY":
        parts.append(_month_day(local.day))
    parts += [f"BYHOUR={hour}", f"BYMINUTE={minute}"]
    return Rhythm(";".join(parts), time_zone, starts_at)


def rhythm_once(on: date, at: str, time_zone: str) -> Rhythm:
    """A one-off check-in on the day `on` at the time `at` on the resident's clock.

    It is a daily rule that happens once (COUNT=1) from the start of that day, so it reads back
    as "Once, on Tuesday 8 December at 10am" and the sweep ends it after it runs.
    """
    hour, minute = parse_clock(at)
    zone = zone_named(time_zone)
    start = wall_to_utc(datetime.combine(on, datetime.min.time()), zone)
    return Rhythm(f"FREQ=DAILY;BYHOUR={hour};BYMINUTE={minute};COUNT=1", time_zone, start)


def next_due(rhythm: Rhythm, after: datetime) -> datetime | None:
    """The first slot of `rhythm` strictly after `after`, in UTC; None once the rule has ended.

    Slots are stepped through in the resident's wall time, so "Tuesdays at 10:00" stays 10:00
    local across clock changes. See wall_to_utc for slots the clocks skip or show twice: a
    skipped slot fires when the clocks jump, a doubled one fires once, at its first showing.
    """
    rule, zone = _parse(rhythm.rule), zone_named(rhythm.time_zone)
    after = _aware("after", after)
    # Start a little before `after` in wall time: when the clocks go back in between, a slot
    # whose wall time reads earlier than `after`'s can still come later.
    cursor = after.astimezone(zone).replace(tzinfo=None) - _SEARCH_MARGIN
    start = _local_start(rhythm)
    for slot in _recurrence(rule, _rebased(rule, start, cursor)).xafter(cursor, inc=True):
        due = wall_to_utc(slot, zone)
        # Wall time to UTC never runs backwards, so the first slot past UNTIL ends the search.
        if _past_until(rule.until, slot, due):
            return None
        if due > after and due >= rhythm.starts_at:
            return due
    return None


def describe(rhythm: Rhythm) -> str:
    """Plain words for staff ("Every Tuesday at 10am"), or the rule itself when words fail."""
    rule = _parse(rhythm.rule)
    when = _describe_when(rule, _local_start(rhythm))
    if when is None:
        return rhythm.rule
    if _is_once(rule):
        first = next(iter(_recurrence(rule, _local_start(rhythm))))
        day = f"{DAY_NAMES[first.weekday()]} {first.day} {MONTH_NAMES[first.month - 1]}"
        return f"Once, on {day} at {time_of_day_words(first.hour, first.minute)}"
    if rule.count is not None:
        return f"{when}, once" if rule.count == 1 else f"{when}, {rule.count} times"
    if rule.until is not None:
        zone = zone_named(rhythm.time_zone)
        last = rule.until.astimezone(zone) if isinstance(rule.until, datetime) else rule.until
        return f"{when}, until {last.day} {MONTH_NAMES[last.month - 1]} {last.year}"
    return when


# -- reading a rule ---------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _parse(rule: str) -> _Rule:
    written = _split(rule)
    freq = written.pop("FREQ", None)
    if freq is None:
        raise RhythmError(
            f"The rule {rule.strip()!r} has no FREQ. Start it with FREQ=DAILY, WEEKLY, MONTHLY "
            "or YEARLY."
        )
    if freq in _TOO_OFTEN:
        raise RhythmError(
            f"FREQ={freq} would check in more than once a day; check-ins are at most daily, so "
            "use FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."
        )
    if freq not in _FREQUENCIES:
        raise RhythmError(f"FREQ={freq} is not a frequency. Use DAILY, WEEKLY, MONTHLY or YEARLY.")
    interval = _whole_number("INTERVAL", written.pop("INTERVAL", "1"), 366)
    count = _whole_number("COUNT", written["COUNT"], MAX_COUNT) if "COUNT" in written else None
    if count is not None and "UNTIL" in written:
        raise RhythmError("A rule ends either after COUNT check-ins or at UNTIL, not both.")
    numbers = tuple(
        (name, _numbers(name, written[name], *_NUMBER_PARTS[name]))
        for name in _ORDER
        if name in _NUMBER_PARTS and name in written
    )
    for name, values in numbers:
        if name in ("BYHOUR", "BYMINUTE", "BYSECOND") and len(values) > 1:
            raise RhythmError(
                f"{name}={written[name]} would check in more than once a day; check-ins are at "
                f"most daily, so give one {name[2:].lower()}."
            )
    wkst = _days("WKST", written["WKST"])[0][1] if "WKST" in written else None
    parsed = _Rule(
        freq=freq,
        interval=interval,
        numbers=numbers,
        days=_days("BYDAY", written["BYDAY"]) if "BYDAY" in written else (),
        wkst=wkst,
        count=count,
        until=_until(written["UNTIL"]) if "UNTIL" in written else None,
    )
    _check_combination(parsed, written)
    probe = _recurrence(dataclasses.replace(parsed, count=None), _PROBE_START)
    if next(iter(probe), None) is None:
        raise RhythmError(
            f"The rule {parsed.text} never happens: no day matches all of its parts together."
        )
    return parsed


def _split(rule: str) -> dict[str, str]:
    body = rule.strip()
    if body[:6].upper() == "RRULE:":
        body = body[6:]
    written: dict[str, str] = {}
    for piece in body.split(";"):
        if not piece.strip():
            continue  # a stray or trailing ";" is harmless
        name, equals, value = (text.strip().upper() for text in piece.partition("="))
        if not equals or not name or not value:
            raise RhythmError(f"{piece.strip()!r} in the rule is not written as NAME=VALUE.")
        if name not in _ORDER:
            raise RhythmError(
                f"{name!r} is not a part of a rule Companion knows. The parts are "
                f"{', '.join(_ORDER)}."
            )
        if name in written:
            raise RhythmError(f"{name} appears twice in the rule; give it once.")
        written[name] = value
    if not written:
        raise RhythmError(f"The rule is empty. Write it like {_EXAMPLE}.")
    return written


def _whole_number(name: str, value: str, high: int) -> int:
    if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= high:
        raise RhythmError(
            f"{name}={value} is not right: it must be a whole number from 1 to {high}."
        )
    return int(value)


def _numbers(name: str, value: str, low: int, high: int, signed: bool) -> tuple[int, ...]:
    found: set[int] = set()
    for item in value.split(","):
        number = int(item) if _NUMBER.fullmatch(item.strip()) else None
        if number is None or not (low <= number <= high or (signed and -high <= number <= -1)):
            back = f", or -{high} to -1 counting back from the end" if signed else ""
            raise RhythmError(
                f"{name}={value} is not right: each value must be a whole number from {low} to "
                f"{high}{back}."
            )
        found.add(number)
    return tuple(sorted(found))


def _days(name: str, value: str) -> tuple[tuple[int, int], ...]:
    found: set[tuple[int, int]] = set()
    for item in value.split(","):
        match = _BYDAY_ITEM.fullmatch(item.strip())
        if match is None or (name == "WKST" and (match[1] or "," in value)):
            example = "MO" if name == "WKST" else "MO or TU, or 1MO (the first Monday)"
            raise RhythmError(f"{name}={value} is not right: write days like {example}.")
        ordinal = int(match[1] or 0)
        if match[1] and ordinal == 0:
            raise RhythmError(f"{name}={value} is not right: there is no 0th {match[2]}.")
        found.add((ordinal, DAY_CODES.index(match[2])))
    return tuple(sorted(found, key=lambda pair: (pair[1], pair[0])))


def _until(value: str) -> date | datetime:
    match = _UNTIL.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        if match[4] is None:
            return date(year, month, day)
        return datetime(year, month, day, int(match[4]), int(match[5]), int(match[6]), tzinfo=UTC)
    except ValueError as exc:
        raise RhythmError(
            f"UNTIL={value} is not right: write a date (20261124) or a UTC time ending in Z "
            "(20261124T100000Z)."
        ) from exc


def _check_combination(rule: _Rule, written: dict[str, str]) -> None:
    """Refuse what RFC 5545 forbids, so every rule Companion keeps is portable."""
    numbered = any(ordinal for ordinal, _ in rule.days)
    if numbered and rule.freq not in ("MONTHLY", "YEARLY"):
        raise RhythmError(
            f"BYDAY={written['BYDAY']} counts weekdays within a month or year (1MO is the "
            "first Monday), so it needs FREQ=MONTHLY or FREQ=YEARLY."
        )
    if numbered and rule.number("BYWEEKNO"):
        raise RhythmError(f"BYDAY={written['BYDAY']} can't be numbered together with BYWEEKNO.")
    most = 5 if rule.freq == "MONTHLY" or rule.number("BYMONTH") else 53
    if any(abs(ordinal) > most for ordinal, _ in rule.days):
        raise RhythmError(
            f"BYDAY={written['BYDAY']} is not right: a {'month' if most == 5 else 'year'} has "
            f"at most {most} of each weekday."
        )
    if rule.number("BYMONTHDAY") and rule.freq == "WEEKLY":
        raise RhythmError("BYMONTHDAY can't be used with FREQ=WEEKLY; use FREQ=MONTHLY.")
    for name in ("BYYEARDAY", "BYWEEKNO"):
        if rule.number(name) and rule.freq != "YEARLY":
            raise RhythmError(f"{name} can only be used with FREQ=YEARLY.")
    others = [name for name, _ in rule.numbers if name != "BYSETPOS"]
    if rule.number("BYSETPOS") and not (rule.days or others):
        raise RhythmError(
            "BYSETPOS picks among the days the other BY parts give, so it needs one of them, "
            "such as BYDAY or BYMONTHDAY."
        )


# -- stepping through a rule ------------------------------------------------------------------


def _recurrence(rule: _Rule, start: datetime) -> rrule:
    numbers = dict(rule.numbers)
    return rrule(
        _FREQUENCIES[rule.freq],
        dtstart=start,
        interval=rule.interval,
        # RFC 5545's default; dateutil's follows calendar.firstweekday(), which is global state.
        wkst=0 if rule.wkst is None else rule.wkst,
        count=rule.count,
        bymonth=numbers.get("BYMONTH"),
        byweekno=numbers.get("BYWEEKNO"),
        byyearday=numbers.get("BYYEARDAY"),
        bymonthday=numbers.get("BYMONTHDAY"),
        byweekday=[weekday(day, ordinal or None) for ordinal, day in rule.days] or None,
        byhour=numbers.get("BYHOUR"),
        byminute=numbers.get("BYMINUTE"),
        bysecond=numbers.get("BYSECOND"),
        bysetpos=numbers.get("BYSETPOS"),
    )


def _local_start(rhythm: Rhythm) -> datetime:
    local = rhythm.starts_at.replace(tzinfo=None)
    # A rule without BYSECOND takes its seconds from the start; rounding the start up to the
    # minute keeps slots on whole minutes without letting one come before starts_at.
    whole = local.replace(second=0, microsecond=0)
    return whole if whole == local else whole + timedelta(minutes=1)


def _rebased(rule: _Rule, start: datetime, cursor: datetime) -> datetime:
    """A later start giving the same slots from `cursor` on, so an old rhythm costs no more.

    dateutil walks every slot from the start. Moving the start on by whole periods keeps the
    slots, provided the weekday, day of month and time that stand in for missing BY parts stay
    the same, and the new start's period (which it may cut short) ends before the cursor.
    """
    if rule.count is not None or start >= cursor:
        return start  # COUNT counts from the real start
    step = rule.interval
    if rule.freq in ("DAILY", "WEEKLY"):
        days = step if rule.freq == "DAILY" else 7 * step
        return start + timedelta(days=max((cursor - start).days // days - 1, 0) * days)
    dated = any(rule.number(name) for name in ("BYMONTHDAY", "BYYEARDAY", "BYWEEKNO"))
    dated = dated or bool(rule.days)
    if rule.freq == "MONTHLY":
        if start.day > 28 and not dated:
            return start
        months = (cursor.year - start.year) * 12 + cursor.month - start.month
        years, month = divmod(start.month - 1 + max(months // step - 1, 0) * step, 12)
        return start.replace(year=start.year + years, month=month + 1, day=min(start.day, 28))
    if (start.month, start.day) == (2, 29) and not dated:
        return start
    years = max((cursor.year - start.year) // step - 1, 0) * step
    day = min(start.day, 28) if start.month == 2 else start.day
    return start.replace(year=start.year + years, day=day)


def _past_until(until: date | datetime | None, slot: datetime, due: datetime) -> bool:
    if isinstance(until, datetime):
        return due > until
    return until is not None and slot.date() > until


def _offset(moment: datetime) -> timedelta:
    offset = moment.utcoffset()
    assert offset is not None, "every ZoneInfo gives an offset"
    return offset


def _moment_clocks_jump(naive: datetime, zone: ZoneInfo) -> datetime:
    before = _offset(naive.replace(tzinfo=zone, fold=0))
    after = _offset(naive.replace(tzinfo=zone, fold=1))
    # The jump is later than `naive` read with the new offset and no later than `naive` read
    # with the old one; zoneinfo has no public list of transitions, so bisect to the second.
    low = int((naive - after).replace(tzinfo=UTC).timestamp())
    high = int((naive - before).replace(tzinfo=UTC).timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(datetime.fromtimestamp(middle, zone)) == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, UTC)


# -- words ------------------------------------------------------------------------------------

_TWELVE_HOUR: Final = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*([ap])\.?\s*m\.?", re.ASCII)
_TWENTY_FOUR_HOUR: Final = re.compile(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?", re.ASCII)
_NAMED_TIMES: Final = {"midday": (12, 0), "noon": (12, 0), "midnight": (0, 0)}
_ORDINAL_WORDS: Final = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def parse_clock(at: str) -> tuple[int, int]:
    text = at.strip().lower()
    if text in _NAMED_TIMES:
        return _NAMED_TIMES[text]
    twelve, twenty_four = _TWELVE_HOUR.fullmatch(text), _TWENTY_FOUR_HOUR.fullmatch(text)
    match = twelve or twenty_four
    if match is not None:
        hour, minute = int(match[1]), int(match[2] or 0)
        if twelve and 1 <= hour <= 12 and minute <= 59:
            return hour % 12 + (12 if twelve[3] == "p" else 0), minute
        if twenty_four and hour <= 23 and minute <= 59:
            return hour, minute
    raise RhythmError(f"{at!r} is not a time of day. Write it like 10:00, 10am or 2:30pm.")


def _weekday_named(word: str) -> int:
    text = word.strip().lower().rstrip(".")
    text = {"weds": "wed"}.get(text, text)
    if len(text) > 6 and text.endswith("days"):
        text = text[:-1]  # "Tuesdays"
    # Two letters are enough to tell the days apart (MO, TU, WE, TH, FR, SA, SU).
    found = [day for day, name in enumerate(DAY_NAMES) if name.lower().startswith(text)]
    if len(text) < 2 or len(found) != 1:
        raise RhythmError(f"{word!r} is not a day of the week. Write a day such as Tuesday or Tue.")
    return found[0]


def _month_day(day: int) -> str:
    if day <= 28:
        return f"BYMONTHDAY={day}"
    if day == 31:
        return "BYMONTHDAY=-1"
    # The 29th or 30th where the month has it, otherwise the last day (RFC 5545 would skip).
    return f"BYMONTHDAY={','.join(map(str, range(28, day + 1)))};BYSETPOS=-1"


def _is_once(rule: _Rule) -> bool:
    """The one-off form rhythm_once writes: daily, once, at a time, on no chosen days."""
    named = {name for name, _ in rule.numbers}
    return (
        rule.freq == "DAILY"
        and rule.count == 1
        and not rule.days
        and named <= {"BYHOUR", "BYMINUTE"}
    )


def _describe_when(rule: _Rule, start: datetime) -> str | None:
    numbers = dict(rule.numbers)
    if set(numbers) - {"BYHOUR", "BYMINUTE", "BYSECOND", "BYMONTHDAY", "BYMONTH", "BYSETPOS"}:
        return None
    if numbers.get("BYSECOND", (0,)) != (0,):
        return None
    at = time_of_day_words(
        numbers.get("BYHOUR", (start.hour,))[0], numbers.get("BYMINUTE", (start.minute,))[0]
    )
    step, positions = rule.interval, numbers.get("BYSETPOS", ())
    months, month_days = numbers.get("BYMONTH", ()), numbers.get("BYMONTHDAY", ())
    weekdays = [day for _, day in rule.days]
    numbered = any(ordinal for ordinal, _ in rule.days)
    if rule.freq in ("DAILY", "WEEKLY"):
        if months or month_days or positions or numbered:
            return None
        if rule.freq == "DAILY" and not weekdays:
            return f"Every day at {at}" if step == 1 else f"Every {step} days at {at}"
        names = _join([DAY_NAMES[day] for day in weekdays or [start.weekday()]])
        if step == 1:
            return f"Every {names} at {at}"
        return f"Every {step} weeks on {names} at {at}" if rule.freq == "WEEKLY" else None
    if rule.freq == "MONTHLY":
        on = None if months else _month_on(rule.days, month_days, positions, start)
        every = "Every month" if step == 1 else f"Every {step} months"
        return None if on is None else f"{every} on {on} at {at}"
    if rule.days or positions or len(months) > 1 or len(month_days) > 1:
        return None
    if min(month_days, default=1) < 0:
        return None
    month, day = (months or (start.month,))[0], (month_days or (start.day,))[0]
    every = "Every year" if step == 1 else f"Every {step} years"
    return f"{every} on {day} {MONTH_NAMES[month - 1]} at {at}"


def _month_on(
    days: tuple[tuple[int, int], ...],
    month_days: tuple[int, ...],
    positions: tuple[int, ...],
    start: datetime,
) -> str | None:
    if days:
        if month_days or positions or any(ordinal not in _ORDINAL_WORDS for ordinal, _ in days):
            return None
        return _join([f"the {_ORDINAL_WORDS[ordinal]} {DAY_NAMES[day]}" for ordinal, day in days])
    if positions:
        # The month-end form rhythm_from_words writes for the 29th and 30th.
        last = month_days[-1] if month_days else 0
        if (
            positions != (-1,)
            or last not in (29, 30, 31)
            or month_days != tuple(range(28, last + 1))
        ):
            return None
        if last == 31:
            return "the last day"
        return f"the {ordinal(last)} (or the last day of a shorter month)"
    if any(day < -1 for day in month_days):
        return None
    in_order = sorted(month_days or (start.day,), key=lambda day: (day < 0, day))
    return _join(["the last day" if day == -1 else f"the {ordinal(day)}" for day in in_order])


def time_of_day_words(hour: int, minute: int) -> str:
    """A time of day as people say it, GOV.UK style: 10am, 2:30pm, midday, midnight."""
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "midday"
    hours, suffix = hour % 12 or 12, "am" if hour < 12 else "pm"
    return f"{hours}{suffix}" if minute == 0 else f"{hours}:{minute:02d}{suffix}"


def ordinal(number: int) -> str:
    """1 as "1st", 22 as "22nd", 13 as "13th"."""
    if 11 <= number % 100 <= 13:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def _join(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _yyyymmdd(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _aware(name: str, moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise RhythmError(f"{name} must say its time zone; {moment.isoformat()} does not.")
    return moment
