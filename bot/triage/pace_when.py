"""This module contains the reading of a time in a pace request: "for two weeks", "tomorrow",
"this afternoon", "back on the 14th", "till 14 December", in every configured language.

The words of time (days, parts of the day, units, numbers, months) come from the pace phrase
files (see pace_files.py). A time is kept in one of the forms PaceRequest.until documents:
a duration ("2w"), a day word ("monday", "tomorrow"), a part of today ("afternoon"), a day of
the month ("day:14"), a date ("date:12-14", month then day) or a time of day ("clock:15:30",
on a 24-hour clock: "3pm", "4.30pm", "13:00", "at 4 o'clock", "3 baje", or a bare hour after
"at", "after", "o" or "till", read as the afternoon from 1 to 7). A time said as the morning
("8am", "9 in the morning", "07:30") ends in "am" ("clock:08:00am"): it never means the evening,
where a bare "till 8" said at 2pm does. A day with a time of day after it ("tomorrow at 9am",
"kal 9 baje") is read as one time and kept as the day, since `until` holds one time;
PaceRequest.at keeps the hour. "4ish" is about 4 o'clock.

A bare hour after "until" is a time of day when it is one a clock of the language shows:
"busy till 3" is 15:00, but "till 14" is the 14th in English (12-hour talk), and the Polish
"do 15" is 15:00 (24-hour talk). With a month, an ordinal or a day word it is a date ("till 3
December", "till the 3rd"), and after an absence always a day: "away till 3" does not end today.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from bot.triage.pace_files import PaceLanguage
from bot.triage.phrases import PhraseBook, compile_pattern
from flows.durations import DurationError, format_duration, parse_duration
from flows.understand.number_words import NUMBER_WORDS, ORDINALS, token_number

_DIGITS_UNIT = re.compile(r"(\d{1,3})([^\W\d_]+)")
_DAY_OF_MONTH = re.compile(r"(\d{1,2})(st|nd|rd|th|o|a|ea|lea|ego|go)?")
_MAX_LEADS = 2  # time lead words before a time: "on the 14th"
# An hour, and what is glued to it: "3", "3pm", "15h", Bengali "৩টায়" (at 3).
_HOUR = re.compile(r"(\d{1,2})(\D*)")
_MINUTES = re.compile(r"(\d{2})(am|pm)?")
_HALVES = ("am", "pm")
#: A bare hour up to this is in the afternoon ("after 3" is 15:00); from 8 on, as said.
_AFTERNOON_UNTIL = 7
#: The prefix of a time of day in PaceRequest.until.
CLOCK = "clock:"
#: The end of a time of day said as the morning ("clock:08:00am").
SAID_AS_MORNING = "am"
#: The end of an absence said as a week ("away next week"): the Monday after that week.
AFTER_NEXT_WEEK = "after next week"
_LONGEST_TIME = 6  # words of the longest time phrase ("sfârșitul săptămânii")


class When(NamedTuple):
    """A time read at some place: its value (None when it adds nothing, as "today") and how
    many words it took."""

    value: str | None
    used: int
    #: Said before a request with a word that ties it to its end (Urdu "tak", until).
    tied: bool = False


NO_TIME = When(None, 0)


def words_of(files: Iterable[PaceLanguage], name: str) -> frozenset[tuple[str, ...]]:
    """The word sequences of one word list ("until", "back") of every file."""
    return frozenset(words for file in files for words in file.words.get(name, ()))


class Sequences:
    """Word sequences ("until", "aż do"), indexed by their first word, so that finding the
    longest one at a place costs a lookup."""

    def __init__(self, sequences: Iterable[tuple[str, ...]]) -> None:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for sequence in sorted(set(sequences), key=len, reverse=True):
            by_first.setdefault(sequence[0], []).append(sequence)
        self._by_first = {word: tuple(found) for word, found in by_first.items()}

    def at(self, words: Sequence[str], at: int) -> int:
        """The length of the longest sequence at words[at] (0 if none is there)."""
        if at >= len(words):
            return 0
        for sequence in self._by_first.get(words[at], ()):
            if tuple(words[at : at + len(sequence)]) == sequence:
                return len(sequence)
        return 0


class TimeReader:
    """Reads a time at a place in a message's words, with the time words of some languages."""

    def __init__(self, files: Sequence[PaceLanguage]) -> None:
        self._times: PhraseBook[str | None] = PhraseBook(
            (time for file in files for time in file.times), fold=True
        )
        self._time_firsts = first_words(pattern for file in files for pattern, _ in file.times)
        self._units = {word: size for file in files for word, size in file.units.items()}
        self._numbers = {word: n for file in files for word, n in file.numbers.items()}
        self._months = {word: n for file in files for word, n in file.months.items()}
        self._joiners = frozenset(w[0] for w in words_of(files, "joiners") if len(w) == 1)
        self._date_words = frozenset(w[0] for w in words_of(files, "date_words") if len(w) == 1)
        self._time_leads = Sequences(words_of(files, "time_leads"))
        self._clock_leads = Sequences(words_of(files, "clock_leads"))
        self._clock_leads_24 = Sequences(words_of(_of_24_hours(files), "clock_leads"))
        self._clock_after = frozenset(w[0] for w in words_of(files, "clock_after") if len(w) == 1)
        self._until_post = Sequences(words_of(files, "until_post"))
        self._halves = {half: Sequences(words_of(files, f"{half}_words")) for half in _HALVES}
        # The words a time can begin with, digits aside: a word not among them starts none,
        # and most words of a message are passed over with one lookup.
        self._time_starts = (
            self._time_firsts
            | frozenset(self._numbers)
            | frozenset(self._months)
            | frozenset(self._units)
            | frozenset(sequence[0] for sequence in words_of(files, "time_leads"))
            | NUMBER_WORDS
            | frozenset(ORDINALS)
        )
        # Words that begin only a time of day ("o 15", "às 3"): common words in their
        # languages, and a time only with an hour after them, so only a clock is looked for.
        self._clock_starts = (
            frozenset(sequence[0] for sequence in words_of(files, "clock_leads"))
            - self._time_starts
        )
        #: Every word of time, for the speller to leave alone.
        self.vocabulary = (
            self._times.vocabulary
            | frozenset(self._units)
            | frozenset(self._numbers)
            | frozenset(self._months)
            | self._clock_after
        )

    def at(self, words: Sequence[str], at: int, *, led: bool = False) -> When:
        """A time at words[at], after up to two lead words ("on the 14th", "for two weeks").

        `led` says a word that leads to a time stands before (a request such as "za" (in), or
        "until"), so a unit alone is one of it ("za godzinę": in an hour) and a bare number a day.
        """
        if at >= len(words):
            return NO_TIME
        if not (words[at] in self._time_starts or words[at][0].isdigit()):
            return self._clock_at(words, at) if words[at] in self._clock_starts else NO_TIME
        clock = self._clock_at(words, at)
        if clock.used:
            return clock
        best = NO_TIME
        lead = 0
        for _ in range(_MAX_LEADS + 1):
            for found in (
                # A time word first, so that on a tie it wins: Romanian "luni" is Monday as
                # a day and months as a unit.
                self._time_word_at(words, at + lead),
                self._duration_at(words, at + lead, led or bool(lead)),
                self._date_at(words, at + lead, led or bool(lead)),
            ):
                if found.used and lead + found.used > best.used:
                    best = When(found.value, lead + found.used)
            step = self._time_leads.at(words, at + lead)
            if not step:
                break
            lead += step
        return best

    def after_until(self, words: Sequence[str], at: int, hours: int) -> When:
        """A time at words[at], right after an "until" word of a language that says a bare
        hour in `hours` (12 or 24; 0 where a bare number is a day, as after an absence)."""
        if hours:
            clock = self._clock_at(words, at, bare_hours=hours)
            if clock.used:
                return clock
        return self.at(words, at, led=True)

    def lead_at(self, words: Sequence[str], at: int) -> When:
        """A time said before a request, where the language puts it first: as `at`, and a bare
        hour before an "until" that follows it ("3 tak": till 3). A day and a time of day after
        it are one time, the day's ("kal 9 baje phone karein": tomorrow at 9, ring me)."""
        when = self.at(words, at)
        if not when.used and self._until_post.at(words, at + 1):
            return self._clock_at(words, at, bare_hours=12)
        return self.with_clock(words, at, when)

    def with_clock(self, words: Sequence[str], at: int, when: When) -> When:
        """`when`, read at words[at], taking in a time of day right after it, as in "tomorrow
        at 9am" or "on Friday about 2": the day is kept, since PaceRequest.until holds one
        time (PaceRequest.at keeps the hour)."""
        if not when.used or when.value is None or when.value.startswith(CLOCK):
            return when
        after = self._clock_at(words, at + when.used)
        return When(when.value, when.used + after.used, when.tied) if after.used else when

    def clock_at(self, words: Sequence[str], at: int) -> When:
        """A time of day at words[at], read from a word that leads to an hour ("after 6",
        "at 11", "any time after 4"), or NO_TIME."""
        return self._clock_at(words, at)

    def _clock_at(self, words: Sequence[str], at: int, *, bare_hours: int = 0) -> When:
        """A time of day at words[at]: "3pm", "4 30pm", "13 00", "4 oclock", "3 baje", or an
        hour after a clock lead ("after 3", "at about 4", "o 15"); never an hour followed by a
        unit ("after 2 weeks", "3 ta din") or a month ("from 3 December").

        `bare_hours` (12 or 24) says a word before it ("until") makes a bare hour a time of
        day, up to 12 or up to 23; a clock lead says so in its own language's hours.
        """
        lead = self._clock_leads.at(words, at)
        if lead:
            bare_hours = 24 if self._clock_leads_24.at(words, at) == lead else 12
        start = at + lead
        # "half 4", "half past 4": half an hour after the hour.
        past = 0
        if start < len(words) and words[start] == "half":
            past = 2 if start + 1 < len(words) and words[start + 1] == "past" else 1
            start += past
        if start >= len(words):
            return NO_TIME
        hour_match = _HOUR.fullmatch(words[start])
        if hour_match is not None:
            digits, glued = hour_match.groups()
        elif words[start] in NUMBER_WORDS and 1 <= (token_number(words[start]) or 0) <= 12:
            digits, glued = str(token_number(words[start])), ""  # "till four", "half four"
        else:
            return NO_TIME
        if glued and glued not in _HALVES and glued not in self._clock_after:
            return NO_TIME  # "3rd", "2wks"
        hour, half = int(digits), glued if glued in _HALVES else None
        used, minute, with_minutes = 1, 30 if past else 0, False
        marked = bool(glued)  # an am, a pm or a clock word makes a number a time
        following = words[start + 1] if start + 1 < len(words) else ""
        if not glued and not past and (minutes := _MINUTES.fullmatch(following)):
            minute, half, used = int(minutes.group(1)), minutes.group(2), 2
            marked = with_minutes = True
        elif not glued and following in _HALVES:
            half, used, marked = following, 2, True
        elif not glued and following in self._clock_after:
            used, marked = 2, True
        if half is None and (said := self._half_at(words, start + used)):
            half, size = said  # "at 8 tonight", "o 8 wieczorem", "às 8 da noite"
            used, marked = used + size, True
        if not (marked or past or bare_hours):
            return NO_TIME  # a bare number, with nothing to make it a time
        if self._not_an_hour(words, start + used):
            return NO_TIME
        if with_minutes and not lead and half is None and 1 <= minute <= 12:
            return NO_TIME  # "till 3/12" is a date; "till 3.30" and "till 13:00" are times
        # The highest hour: 12 with am or pm, or "half 4"; 23 with minutes or a clock word
        # ("13:00", "15 val.", "15h"), or bare in a language of 24-hour talk ("o 15").
        if half is not None or past:
            highest = 12
        elif marked or bare_hours == 24:
            highest = 23
        else:
            highest = 12
        if not (0 if with_minutes else 1) <= hour <= highest or minute > 59:
            return NO_TIME
        if half == "pm" and hour != 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        elif half is None and 1 <= hour <= _AFTERNOON_UNTIL and not digits.startswith("0"):
            hour += 12  # "after 3" is 15:00; "07:30" is said on a 24-hour clock
        morning = hour < 12 and (half == "am" or digits.startswith("0"))
        ends = SAID_AS_MORNING if morning else ""
        return When(f"{CLOCK}{hour:02d}:{minute:02d}{ends}", lead + used + past)

    def _half_at(self, words: Sequence[str], at: int) -> tuple[str, int] | None:
        """The half of the day words at words[at] put an hour in ("am" or "pm"), and how many
        words say so."""
        for half, sequences in self._halves.items():
            if size := sequences.at(words, at):
                return half, size
        return None

    def _not_an_hour(self, words: Sequence[str], after: int) -> bool:
        """Whether the word after a number says it was no hour: a unit ("3 weeks"), a month
        ("3 December", "3 of December") or a word of a date ("15 d.", "14 tarikh")."""
        if after >= len(words):
            return False
        word = words[after]
        if word in self._joiners and after + 1 < len(words):
            word = words[after + 1]
        return word in self._units or word in self._months or word in self._date_words

    def _time_word_at(self, words: Sequence[str], at: int) -> When:
        if at >= len(words) or words[at] not in self._time_firsts:
            return NO_TIME
        hits = [hit for hit in self._times.find(words[at : at + _LONGEST_TIME]) if hit.start == 0]
        if not hits:
            return NO_TIME
        best = max(hits, key=lambda hit: hit.end)
        return When(best.key, best.end)

    def _number_at(self, words: Sequence[str], at: int) -> tuple[int | None, int]:
        if at >= len(words):
            return None, 0
        number = self._numbers.get(words[at])
        if number is None:
            number = token_number(words[at]) if words[at] not in ORDINALS else None
        if number is None:
            return None, 0
        # "a couple", "a few": the second word says how many.
        if at + 1 < len(words) and words[at + 1] in self._numbers and number == 1:
            return self._numbers[words[at + 1]], 2
        return number, 1

    def _duration_at(self, words: Sequence[str], at: int, after_lead: bool) -> When:
        """A duration at words[at] ("two weeks", "a couple of hours", "2wks", "48 hours")."""
        if at >= len(words):
            return NO_TIME
        start = at
        glued = _DIGITS_UNIT.fullmatch(words[at])
        if glued and glued.group(2) in self._units:
            amount, size, at = int(glued.group(1)), self._units[glued.group(2)], at + 1
        else:
            number, used = self._number_at(words, at)
            at += used
            while at < len(words) and words[at] in self._joiners and number is not None:
                at += 1
            size_found = self._units.get(words[at]) if at < len(words) else None
            # A unit alone is one of it only after a lead word: "in an hour", "za godzinę".
            if size_found is None or (number is None and not after_lead):
                return NO_TIME
            amount, size, at = (1 if number is None else number), size_found, at + 1
        if not 0 < amount <= 999:
            return NO_TIME
        return When(format_duration(amount * size), at - start)

    def _date_at(self, words: Sequence[str], at: int, after_lead: bool) -> When:
        """A day of the month or a date: "the 14th", "14 December", "Dec 14th", "14/12"."""
        if at >= len(words):
            return NO_TIME
        month = self._months.get(words[at])
        if month is not None:  # "December 14th", "dec the 14"
            skip = self._time_leads.at(words, at + 1)
            day = _day_of_month(words[at + 1 + skip]) if at + 1 + skip < len(words) else None
            if day is None:
                return NO_TIME
            end = at + 2 + skip
            while end < len(words) and words[end] in self._date_words:
                end += 1
            return _date(month, day[0], end - at)
        day = _day_of_month(words[at]) or _ordinal_word(words[at])
        if day is None:
            return NO_TIME
        number, ordinal = day
        next_at = at + 1
        while next_at < len(words) and words[next_at] in self._date_words:
            ordinal, next_at = True, next_at + 1
        joiner = next_at
        while joiner < len(words) and words[joiner] in self._joiners:
            joiner += 1
        if joiner < len(words) and words[joiner] in self._months:
            return _date(self._months[words[joiner]], number, joiner + 1 - at)
        # "14/12": a day and a month, both in digits.
        if next_at < len(words) and words[next_at].isdecimal() and not ordinal:
            month_digits = int(words[next_at]) if len(words[next_at]) <= 2 else 0
            if 1 <= month_digits <= 12:
                return _date(month_digits, number, next_at + 1 - at)
        if ordinal or after_lead:
            return When(f"day:{number}", next_at - at)
        return NO_TIME


def _of_24_hours(files: Iterable[PaceLanguage]) -> list[PaceLanguage]:
    return [file for file in files if file.hours == 24]


def first_words(patterns: Iterable[str]) -> frozenset[str]:
    """The folded words the patterns can begin with (past their optional first choices)."""
    firsts: set[str] = set()
    for pattern in patterns:
        for slot in compile_pattern(pattern, fold=True):
            firsts.update(option[0] for option in slot if option)
            if () not in slot:
                break
    return frozenset(firsts)


def is_duration(until: str) -> bool:
    """Whether `until` is a duration ("2w", "30m") rather than a day or a date."""
    try:
        parse_duration(until)
    except DurationError:
        return False
    return True


def _day_of_month(word: str) -> tuple[int, bool] | None:
    """The day a word gives ("14", "14th") and whether it was written as an ordinal."""
    found = _DAY_OF_MONTH.fullmatch(word)
    if found is None or not 1 <= int(found.group(1)) <= 31:
        return None
    return int(found.group(1)), found.group(2) is not None


def _ordinal_word(word: str) -> tuple[int, bool] | None:
    number = ORDINALS.get(word)
    return None if number is None else (number, True)


# The most days each month has (a leap year's February), so that "31 February" is no date.
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(month: int, day: int, used: int) -> When:
    if day > _MONTH_DAYS[month - 1]:
        return NO_TIME
    return When(f"date:{month:02d}-{day:02d}", used)
