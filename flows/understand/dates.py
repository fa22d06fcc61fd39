"""This module contains the reader for date answers: UK day-first, from today, never past."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flows.types import ANSWERED
from flows.understand.normalise import Reply, split_words
from flows.understand.number_words import words_to_digits
from flows.understand.phrases import PhraseMatcher
from flows.understand.results import NotUnderstood, Understanding, Understood
from flows.understand.vocabulary import ENGLISH

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
_SHORT_WEEKDAYS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "weds": 2, "thu": 3, "thur": 3,
                   "thurs": 3, "fri": 4, "sat": 5, "sun": 6}  # fmt: skip
_SHORT_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7,
                 "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
_DAYS_FROM_TODAY = {"today": 0, "tonight": 0, "tomorrow": 1, "day after tomorrow": 2,
                    "yesterday": -1, "in a week": 7, "a week today": 7,
                    "fortnight": 14}  # fmt: skip

# Full names may be misspelt ("tuesdy", "wensday"); short forms and "may" must be exact.
_WORDS: PhraseMatcher[tuple[str, int]] = PhraseMatcher(
    [(name, ("weekday", n)) for n, name in enumerate(WEEKDAYS)]
    + [(name, ("month", n)) for n, name in enumerate(MONTHS, 1) if len(name) > 4]
    + [(phrase, ("days", days)) for phrase, days in _DAYS_FROM_TODAY.items()]
    + [("next week", ("next week", 7))],
    exact_only=[(name, ("weekday", n)) for name, n in _SHORT_WEEKDAYS.items()]
    + [(name, ("month", n)) for name, n in _SHORT_MONTHS.items()]
    + [(name, ("month", n)) for n, name in enumerate(MONTHS, 1) if len(name) <= 4]
    + [("tomz", ("days", 1))],
)
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b")
_IN = re.compile(r"\bin (\d{1,3}) (day|week)s?\b")
_ORDINAL_DAY = re.compile(r"\b(\d{1,2}) ?(?:st|nd|rd|th)\b")
_LONE_DAY_COMPANY = frozenset({"on", "the"})


class _Conflict(Exception):
    """The reply names two different values for one part of a date."""


@dataclass(slots=True)
class _Parts:
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    weekday_after_today: bool = False
    days_ahead: int | None = None
    next_week: bool = False

    def set(self, name: str, value: int) -> None:
        if getattr(self, name) not in (None, value):
            raise _Conflict(name)
        setattr(self, name, value)


def label(day: date, today: date) -> str:
    """ "Tuesday 24 November", with the year only when it is not this year."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return text if day.year == today.year else f"{text} {day.year}"


class DateReader:
    """Reads a date on or after today, for residents who mean the next time a day comes round.

    - A bare weekday, "this friday", a day of the month ("21st", "the 21") or a day and month
      ("21/11", "21 nov") mean the next such date, and today counts: on a Tuesday, "tuesday"
      is today.
    - "next tuesday" is the first Tuesday strictly after today (on a Monday, tomorrow).
    - "next week" is today + 7 days; "tuesday next week" is the Tuesday of the following
      Mon–Sun week.
    - A date with a year is taken as written and refused if past. A weekday and a date together
      ("tues 24th") mean the next date that is both.
    - A month with no day is ignored beside a weekday, since "may" is also a word ("I may come
      on tuesday"); alone it is not a date.
    """

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        try:
            found = _resolve(_parts(reply.folded), today)
        except _Conflict:
            return NotUnderstood("the reply mentions more than one date")
        if isinstance(found, str):
            return NotUnderstood(found)
        if found < today:
            return NotUnderstood(f"{label(found, today)} is in the past")
        return Understood(ANSWERED, found.isoformat(), label(found, today))


def _parts(folded: str) -> _Parts:
    parts = _Parts()
    text = words_to_digits(folded)
    for pattern, fields in ((_ISO, ("year", "month", "day")), (_NUMERIC, ("day", "month", "year"))):
        for found in pattern.finditer(text):
            values = [int(v) if v else None for v in found.groups()]
            if not 1 <= (values[fields.index("month")] or 0) <= 12:
                continue  # "2.30" is a time, not the 2nd of a 30th month
            for name, value in zip(fields, values, strict=True):
                if value is not None:
                    parts.set(name, value + 2000 if name == "year" and value < 100 else value)
        text = pattern.sub(" ", text)
    for found in _IN.finditer(text):
        parts.set("days_ahead", int(found.group(1)) * (7 if found.group(2) == "week" else 1))
    for found in _ORDINAL_DAY.finditer(text):
        parts.set("day", int(found.group(1)))
    words = ENGLISH.respell(split_words(_ORDINAL_DAY.sub(" ", _IN.sub(" ", text))))
    for match in _WORDS.find(words, skip=ENGLISH.known):
        kind, value = match.key
        if kind == "weekday":
            parts.set("weekday", value)
            parts.weekday_after_today |= words[match.start - 1 : match.start] == ("next",)
        elif kind == "month":
            parts.set("month", value)
        elif kind == "next week":
            parts.next_week = True
        else:
            parts.set("days_ahead", value)
    numbers = [int(word) for word in words if word.isdecimal() and len(word) <= 4]
    others = [word for word in words if not word.isdecimal()]
    for number in numbers:
        if parts.month is not None and 1 <= number <= 31:
            parts.set("day", number)
        elif parts.month is not None and 2000 <= number < 2100:
            parts.set("year", number)
        elif len(numbers) == 1 and set(others) <= _LONE_DAY_COMPANY and number <= 31:
            parts.set("day", number)  # "21", "the 21": a day of this or next month
    return parts


def _resolve(parts: _Parts, today: date) -> date | str:
    """The date `parts` describe, or why there is none."""
    if parts.next_week:
        # "tuesday next week" is in the Mon–Sun week after this one; "next week" alone is +7.
        weekday, parts.weekday = parts.weekday, None
        parts.set("days_ahead", 7 if weekday is None else 7 - today.weekday() + weekday)
    ahead = None if parts.days_ahead is None else today + timedelta(days=parts.days_ahead)
    if parts.day is None and parts.weekday is None:
        if ahead is not None:
            return ahead
        return "a month needs a day" if parts.month else "no date found"
    found = _next_matching(parts, today)
    if ahead is not None and found != ahead:
        return "the reply mentions more than one date"
    return found


def _next_matching(parts: _Parts, today: date) -> date | str:
    start = today + timedelta(days=1) if parts.weekday_after_today else today
    if parts.day is None:
        assert parts.weekday is not None
        return start + timedelta(days=(parts.weekday - start.weekday()) % 7)
    years = [parts.year] if parts.year else range(start.year, start.year + 12)
    months = [parts.month] if parts.month else range(1, 13)
    for year in years:
        for month in months:
            try:
                found = date(year, month, parts.day)
            except ValueError:
                continue
            if parts.weekday is not None and found.weekday() != parts.weekday:
                continue
            if found >= start or parts.year:
                return found
    return "there is no such date"
