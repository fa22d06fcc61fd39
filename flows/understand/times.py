"""This module contains the reader for time-of-day answers, as "HH:MM" on a 24-hour clock."""

from __future__ import annotations

import re
from datetime import date

from flows.types import ANSWERED
from flows.understand.normalise import Reply
from flows.understand.number_words import words_to_digits
from flows.understand.phrases import PhraseMatcher
from flows.understand.results import NotUnderstood, Understanding, Understood
from flows.understand.vocabulary import ENGLISH

_MERIDIEM = re.compile(r"\b([ap])\.? ?m\b\.?")
_TIME = re.compile(
    r"""
      (?P<count>half|quarter|\d{1,2})\ (?:mins?\ |minutes\ )?(?P<dir>past|after|to|til|till)
      \ (?P<base>\d{1,2})(?!\d)
    | \bhalf\ (?P<half>\d{1,2})(?!\d)
    | (?<![\d:./-])(?P<hour>\d{1,2})
      (?:\ ?[:.h]\ ?(?P<minute>\d{2})|(?P<joined>\d{2})|\ (?P<spaced>[0-5]\d))?(?![\d/-])
      (?:\ ?(?P<meridiem>am|pm)|\ ?(?P<oclock>o\ ?clock))?
    """,
    re.VERBOSE,
)
#: Part-of-day words: the am/pm they give an hour, and the time they mean alone.
_PARTS_OF_DAY = {
    "morning": ("am", (10, 0)),
    "afternoon": ("pm", (14, 0)),
    "evening": ("pm", (18, 0)),
    "tonight": ("pm", (19, 0)),
    "night": ("pm", (20, 0)),
    "noon": ("pm", (12, 0)),
    "midday": ("pm", (12, 0)),
    "lunchtime": ("pm", (12, 30)),
    "lunch time": ("pm", (12, 30)),
    "midnight": ("am", (0, 0)),
}
# Short words must be exact: "soon" is one letter from "noon".
_WORDS: PhraseMatcher[str] = PhraseMatcher(
    [(word, word) for word in _PARTS_OF_DAY if len(word) > 4],
    exact_only=[(word, word) for word in _PARTS_OF_DAY if len(word) <= 4],
)


def label(hour: int, minute: int) -> str:
    """ "2:30pm", "2pm", "12pm" (noon), "12am" (midnight)."""
    minutes = f":{minute:02d}" if minute else ""
    return f"{(hour - 1) % 12 + 1}{minutes}{'am' if hour < 12 else 'pm'}"


def _to_24_hour(hour: int, minute: int, meridiem: str | None, written: str) -> tuple[int, int]:
    if minute > 59 or hour > 23:
        raise ValueError(written)
    if meridiem == "am" and hour <= 12:
        return hour % 12, minute
    if meridiem == "pm" and hour <= 12:
        return hour % 12 + 12, minute
    if meridiem or hour >= 13 or hour == 0 or written.startswith("0"):
        if meridiem == "am":
            raise ValueError(written)  # "14am"
        return hour, minute
    return (hour + 12 if hour <= 7 else hour), minute


class TimeReader:
    """Reads a time of day, for a programme whose visits and calls happen in the day.

    - An hour without am/pm is read as a daytime hour: 1–7 are afternoon ("half two" → 14:30),
      8–11 morning, 12 noon. A leading zero or an hour of 13+ is a 24-hour time ("09:00",
      "14:00").
    - "morning" / "afternoon" / "evening" / "tonight" / "night" set am or pm for an hour given
      with them; alone they mean 10:00, 14:00, 18:00, 19:00 and 20:00. "noon"/"midday" is 12:00,
      "lunchtime" 12:30, "midnight" 00:00.
    - "1430" and "930" are 14:30 and 9:30. A bare number counts only when nothing more
      time-like is in the reply, so in "the 1 at 2pm" the time is 2pm.
    """

    def read(self, reply: Reply, *, language: str, today: date) -> Understanding:
        parts_of_day = {
            m.key for m in _WORDS.find(ENGLISH.respell(reply.words), skip=ENGLISH.known)
        }
        meridiems = {_PARTS_OF_DAY[part][0] for part in parts_of_day}
        if len(meridiems) > 1:
            return NotUnderstood("the reply mentions more than one time of day")
        meridiem = next(iter(meridiems), None)
        try:
            strong, weak = _times(reply.folded, meridiem)
        except ValueError as exc:
            return NotUnderstood(f"{exc} is not a time of day")
        times = strong or weak or [_PARTS_OF_DAY[part][1] for part in parts_of_day]
        distinct = list(dict.fromkeys(times))
        if not distinct:
            return NotUnderstood("no time found")
        if len(distinct) > 1:
            return NotUnderstood(
                f"the reply mentions more than one time: {', '.join(label(*t) for t in distinct)}"
            )
        hour, minute = distinct[0]
        return Understood(ANSWERED, f"{hour:02d}:{minute:02d}", label(hour, minute))


def _times(
    folded: str, meridiem: str | None
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Times written in the reply: those clearly times, and bare numbers that may be hours."""
    text = _MERIDIEM.sub(r"\1m", words_to_digits(folded))
    strong: list[tuple[int, int]] = []
    weak: list[tuple[int, int]] = []
    for found in _TIME.finditer(text):
        written = found.group()
        if found["base"]:
            count = found["count"]
            minutes = {"half": 30, "quarter": 15}.get(count) or int(count)
            hour = int(found["base"])
            if not (0 < minutes < 60 and 0 < hour <= 12):
                raise ValueError(written)  # "61 to 3", "quarter past 14": not how clocks talk
            if found["dir"] not in ("past", "after"):
                hour, minutes = (hour - 1) % 12 or 12, 60 - minutes
            strong.append(_to_24_hour(hour, minutes, meridiem, written))
        elif found["half"]:
            strong.append(_to_24_hour(int(found["half"]), 30, meridiem, written))
        else:
            minute = found["minute"] or found["joined"] or found["spaced"]
            given = found["meridiem"] or meridiem
            time = _to_24_hour(int(found["hour"]), int(minute or 0), given, written)
            clear = minute or found["meridiem"] or found["oclock"] or meridiem
            (strong if clear else weak).append(time)
    return strong, weak
