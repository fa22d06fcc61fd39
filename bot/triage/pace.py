"""This module contains pace words: a resident asking for not today, later, a pause, a call, or
check-ins less or more often, in any configured language.

The phrases and the words of time are in bot/triage/pace_phrases/<language>.yaml (read by
pace_files.py); this module finds the request in a message, and pace_when.py the time it
gives. A message is read clause by clause, and
a request counts only at the start of a clause, after lead-in words ("ok", "sorry"): "it's not
today, it's Thursday" is news, not a request. How each phrase counts is in pace_files.STRENGTHS.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from bot.triage.pace_files import PaceLanguage, pace_language
from bot.triage.pace_when import (
    AFTER_NEXT_WEEK,
    CLOCK,
    NO_TIME,
    Sequences,
    TimeReader,
    When,
    first_words,
    is_duration,
    words_of,
)
from bot.triage.phrases import GAP, GAP_WORDS, Hit, PhraseBook, Speller, compile_pattern, read_words
from flows.durations import DurationError, parse_duration


class PaceKind(StrEnum):
    """What the resident asks of the rhythm of their messages."""

    NOT_TODAY = "not_today"  # skip today's conversation
    LATER = "later"  # ask again later the same day
    PAUSE = "pause"  # nothing until `until`, or until they resume
    LESS_OFTEN = "less_often"
    MORE_OFTEN = "more_often"
    #: "I'm back", "start again". From a resident who is not paused it means nothing, and the
    #: pipeline should pass the message on (to the session) rather than answer it.
    RESUME = "resume"
    #: "give me a ring", "can someone phone me": the resident would like a call from a person.
    CALL = "call"


@dataclass(frozen=True, slots=True)
class PaceRequest:
    """A pace request, and until when it holds if the resident said.

    `until` is one of: a duration as staff write them ("2w", "3d", "4h"; `parse_duration`
    reads it back; a month is "30d"); a day word ("tomorrow", "monday".."sunday", "weekend",
    "next week", "next month"; "after next week" for the Monday after it, from "away next
    week"); a part of today ("morning", "afternoon", "evening"); a day of
    the month ("day:14", for "back on the 14th"); a date ("date:12-14", month then day, for
    "till 14 December"); or the resident's own words after "until" or "till", as typed ("I'm
    home", "after Christmas"), for the catalyst to read. It is None when they did not say, and
    always None for LESS_OFTEN, MORE_OFTEN and RESUME. For LATER it is always a time today (a
    part of the day, a time of day as pace_when writes it, "clock:15:00" or "clock:08:00am",
    or a duration under a day); for a CALL it is when they would like it.
    """

    kind: PaceKind
    until: str | None = None
    #: The resident's own words of the request, as typed, for the catalyst to read ("going
    #: into hospital tomorrow"): the clause that asks, and the one after it if that says when.
    words: str = ""
    #: For LESS_OFTEN and MORE_OFTEN, the rhythm they named, if they named one, as the part of
    #: an RFC 5545 recurrence it gives: "once a month is enough" gives "FREQ=MONTHLY", "every
    #: other week" "FREQ=WEEKLY;INTERVAL=2", "only on Mondays" "FREQ=WEEKLY;BYDAY=MO". The
    #: time of day is not in it: it stays the resident's usual time.
    rhythm: str | None = None
    #: When `until` is a day ("tomorrow", "friday", "day:14"), the time of day said with it, in
    #: the clock form of `until` ("ring me tomorrow at 9am": "tomorrow", and here
    #: "clock:09:00am"); None when none was said. `until` keeps the day alone, so that every
    #: reader of its documented forms reads it as before.
    at: str | None = None


#: The kind each section of a phrase file asks for ("ask_again" is decided by its time).
_KINDS = {
    "not_today": PaceKind.NOT_TODAY,
    "later": PaceKind.LATER,
    "pause": PaceKind.PAUSE,
    "absent": PaceKind.PAUSE,
    "away": PaceKind.PAUSE,
    "less_often": PaceKind.LESS_OFTEN,
    "more_often": PaceKind.MORE_OFTEN,
    "resume": PaceKind.RESUME,
    "call": PaceKind.CALL,
}
#: The sections of a pause said as an absence, where a day after it says when it starts.
_ABSENCES = frozenset(("absent", "away"))
_NO_UNTIL = frozenset((PaceKind.LESS_OFTEN, PaceKind.MORE_OFTEN, PaceKind.RESUME))
_RHYTHM_KINDS = frozenset((PaceKind.LESS_OFTEN, PaceKind.MORE_OFTEN))
# After "no", these are refusals: "no, more often is too much", "nah I'm not back". A call is
# not: "nah just ring me" asks for one ("no need to call" is an everyday phrase).
_NOT_AFTER_NO = frozenset(("more_often", "resume"))
# Times that keep the question today: an "ask me" with one of these is LATER.
_TODAY = frozenset(("morning", "afternoon", "evening"))
_DAYS = frozenset(("tomorrow", "weekend"))
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# A clause ends at punctuation or a dash; a point or comma between digits ("14.12") does not
# end one, since it is a date, nor a point after a number's clock or date word, since it is an
# abbreviation's (the Lithuanian "po 15 val. ateis dukra": after 15:00 my daughter comes).
_CLAUSE_BREAK = r"(?:[;!?\n]|(?<!\d)(?:,|{point})|(?:,|{point})(?!\d)|\s[-–—]+\s)+"
_TOKEN = re.compile(r"\S+")
_MAX_CLAUSES = 20
_MAX_SAID = 300  # characters of `words`: a request is a sentence, not a letter


#: Requests whose "when" may come in a request of its own, in the next clause.
_UNTIL_LATER = frozenset((PaceKind.PAUSE, PaceKind.LATER))


class _Entry(NamedTuple):
    section: str
    strength: str
    time_first: bool


@dataclass(frozen=True, slots=True)
class _Found:
    """A request found at the start of a clause, with what is needed to read when it ends."""

    entry: _Entry
    hit: Hit[_Entry]
    lead_time: When  # a time said before it, where the language puts time first
    clause: str  # as typed
    words: tuple[str, ...]  # the clause's words as read
    following: str  # the next clause as typed, or ""
    both: str  # this clause and the next, as typed


def pace_intent(text: str, languages: Sequence[str] = ("en",)) -> PaceRequest | None:
    """The pace request `text` makes in any of `languages`, or None if it makes none."""
    return _reader(tuple(languages)).read(text)


@lru_cache(maxsize=16)
def _reader(languages: tuple[str, ...]) -> _Reader:
    return _Reader([pace_language(language) for language in dict.fromkeys(languages)])


class _Reader:
    """Reads messages with the phrase files of some languages, merged into one book."""

    def __init__(self, files: Sequence[PaceLanguage]) -> None:
        self._book: PhraseBook[_Entry] = PhraseBook(
            (
                (phrase.pattern, _Entry(phrase.section, phrase.strength, file.time_first))
                for file in files
                for phrase in file.phrases
            ),
            fold=True,
        )
        self._when = TimeReader(files)
        self._rhythms: PhraseBook[str] = PhraseBook(
            (rhythm for file in files for rhythm in file.rhythms), fold=True
        )
        # The words a phrase can begin with: most clauses begin with none of them, and are
        # passed over without a search.
        self._firsts = first_words(phrase.pattern for file in files for phrase in file.phrases)
        self._longest = max(
            (_most_words(phrase.pattern) for file in files for phrase in file.phrases), default=0
        )
        self._lead_ins = _single_words(files, "lead_ins")
        self._courtesy = _single_words(files, "courtesy")
        self._no = _single_words(files, "no")
        self._until = Sequences(words_of(files, "until"))
        self._until_time = Sequences(words_of(files, "until_time"))
        self._any_until = Sequences(words_of(files, "until") | words_of(files, "until_time"))
        self._until_after = Sequences(
            words_of(files, "until_after") | words_of(files, "until_post")
        )
        # The "until" words of languages that say a bare hour up to 23 ("do 15": till 15:00).
        files_24 = [file for file in files if file.hours == 24]
        self._until_24 = Sequences(words_of(files_24, "until") | words_of(files_24, "until_time"))
        self._back = Sequences(words_of(files, "back"))
        self._so = _single_words(files, "so")
        self._since = Sequences(words_of(files, "since"))
        self._so_intensifies = _single_words(files, "so_intensifies")
        self._clause_break = _clause_break(
            word[0]
            for name in ("clock_after", "date_words")
            for word in words_of(files, name)
            if len(word) == 1 and word[0].isascii()
        )
        self._time_first = any(file.time_first for file in files)
        self._shorthand = {typed: word for file in files for typed, word in file.shorthand.items()}
        small = {word for name in ("until", "until_time", "until_after", "until_post", "back",
                                   "time_leads")
                 for sequence in words_of(files, name) for word in sequence}  # fmt: skip
        self._speller = Speller(
            self._book.vocabulary | self._when.vocabulary | self._lead_ins | self._courtesy | small,
            [target for file in files for target in file.typo_targets],
            [word for file in files for word in file.protected],
        )

    def read(self, text: str) -> PaceRequest | None:
        spans = _clause_spans(text, self._clause_break)
        for index, (start, end) in enumerate(spans):
            clause = text[start:end]
            words = self._words(clause)
            found = self._request_in(words)
            reason: tuple[str, ...] = ()
            begin = start  # where the request's own words begin
            if found is None and (after_so := self._after_so(words)) is not None:
                # "my son is visiting this weekend so don't message": the request after "so".
                reason, because = words[: after_so - 1], _typed_from(clause, 0, after_so)
                clause, words = _typed_from(clause, after_so, len(words)), words[after_so:]
                begin = start + text[start:end].rfind(clause)
                found = self._request_in(words)
            if found is None:
                continue
            entry, hit, lead_time = found
            following = text[slice(*spans[index + 1])] if index + 1 < len(spans) else ""
            both = text[start : spans[index + 1][1]] if following else clause
            request = self._request(_Found(entry, hit, lead_time, clause, words, following, both))
            if request.kind in _UNTIL_LATER | {PaceKind.NOT_TODAY} and request.until is None:
                # "going into hospital tomorrow, pause for a fortnight please", "not now, try
                # me at half 4", "not today, ask me on Friday": the request first, when in a
                # request of its own after it.
                rest = self.read(text[spans[index + 1][0] :]) if following else None
                if rest is not None and _says_when(request.kind, rest):
                    said = " ".join(text[begin:].split())[:_MAX_SAID]
                    request = PaceRequest(request.kind, rest.until, said, request.rhythm, rest.at)
            if reason:
                return self._for_reason(request, reason, f"{because} {request.words}")
            return request
        return None

    def _after_so(self, words: Sequence[str]) -> int | None:
        """Where a request may begin after "so" inside a clause, if the clause has a "so"."""
        if self._so.isdisjoint(words):
            return None
        return next(
            (
                at + 1
                for at in range(1, len(words) - 1)
                if words[at] in self._so and words[at + 1] not in self._so_intensifies
            ),
            None,
        )

    def _for_reason(self, request: PaceRequest, reason: Sequence[str], said: str) -> PaceRequest:
        """A request after "so", with the reason before it in the resident's words, and a time
        in the reason before "so" saying how long a pause with no end of its own lasts: "my
        daughter is coming on Friday so no messages" pauses through Friday."""
        until = request.until
        if request.kind is PaceKind.PAUSE and until is None:
            until = next(
                (
                    _through(when.value)
                    for at in range(len(reason))
                    if (when := self._when.at(reason, at)).used and when.value is not None
                ),
                None,
            )
        said = " ".join(said.split())[:_MAX_SAID]
        return PaceRequest(request.kind, until, said, request.rhythm, request.at)

    def _words(self, clause: str) -> tuple[str, ...]:
        """A clause's words, folded, text-speak written out, and likely typos corrected."""
        shorthand = self._shorthand
        return self._speller.correct([shorthand.get(word, word) for word in read_words(clause)])

    # Finding the request -------------------------------------------------------------------

    def _request_in(self, words: Sequence[str]) -> tuple[_Entry, Hit[_Entry], When] | None:
        """The request a clause starts with, after lead-in words, if it counts; and a time
        said before it (only where the language puts time first)."""
        window = self._window(words)
        hits: dict[int, list[Hit[_Entry]]] = {}
        if not self._firsts.isdisjoint(words[: window - self._longest]):
            for hit in self._book.find(words[:window]):
                hits.setdefault(hit.start, []).append(hit)
        at, lead_time = 0, NO_TIME
        while at < len(words):
            # The longest phrase wins ("not right now" over "not"); an everyday one on a tie.
            here = sorted(
                hits.get(at, ()),
                key=lambda hit: (hit.start - hit.end, hit.key.section != "everyday"),
            )
            for hit in here:
                entry = hit.key
                if entry.section == "everyday":
                    return None
                if lead_time.used and not entry.time_first:
                    continue
                if entry.section in _NOT_AFTER_NO and not self._no.isdisjoint(words[:at]):
                    return None
                if self._counts(entry, words, hit, lead_time):
                    return entry, hit, lead_time
            if words[at] in self._lead_ins:
                at += 1
                continue
            if self._time_first and not lead_time.used:
                when = self._when.lead_at(words, at)
                if when.used:
                    tie = self._until_after.at(words, at + when.used)
                    lead_time = When(when.value, when.used + tie, bool(tie))
                    at += lead_time.used
                    continue
            return None
        return None

    def _window(self, words: Sequence[str]) -> int:
        """How many words a request may take: it starts after the lead-ins (and a time, where
        the language puts it first), so a long clause is not searched end to end."""
        at = 0
        for _ in range(2 if self._time_first else 1):
            while at < len(words) and words[at] in self._lead_ins:
                at += 1
            if self._time_first:
                when = self._when.lead_at(words, at)
                at += when.used + self._until_after.at(words, at + when.used) if when.used else 0
        return at + 1 + self._longest

    def _counts(self, entry: _Entry, words: Sequence[str], hit: Hit[_Entry], lead: When) -> bool:
        if entry.section == "at_time":
            # "after 6pm", "depois das 18h": the phrase ends in the words that lead to the hour,
            # read with them.
            for start in range(hit.start, hit.end):
                clock = self._when.clock_at(words, start)
                if clock.used and start + clock.used > hit.end:
                    return self._all_courtesy(words[start + clock.used :])
            return False
        if entry.strength == "strong":
            return True
        if entry.strength == "timed" and lead.used and self._all_courtesy(words[hit.end :]):
            return True  # the time said first: "jumma ko poochna" (on Friday, ask)
        if entry.strength == "weak":
            return self._only_time_and_courtesy(words[hit.end :])
        # Timed: a time must follow, and nothing else but courtesy. The time is looked for
        # before courtesy too: the Portuguese "por" is "please" and "por volta das 16" a time.
        at = hit.end
        # An "until" that ends the phrase ("out till") or follows it ("give me" "till 3").
        since = next(
            (k for k in range(hit.start, at) if self._any_until.at(words, k) == at - k), None
        )
        if since is None and (after := self._any_until.at(words, at)):
            since, at = at, at + after
        if since is not None:
            when = self._when.after_until(words, at, self._hours_after(words, since, at - since))
            if when.value is None and since == hit.end:
                return False  # "give me until later" says no time
        else:
            when = self._when.with_clock(words, at, self._when.at(words, at, led=True))
        if not when.used:
            at = self._skip_courtesy(words, at)
            when = self._when.with_clock(words, at, self._when.at(words, at, led=True))
        return bool(when.used) and self._all_courtesy(words[at + when.used :])

    def _hours_after(self, words: Sequence[str], at: int, used: int) -> int:
        """How the language of the "until" of `used` words at words[at] says a bare hour."""
        return 24 if self._until_24.at(words, at) == used else 12

    def _only_time_and_courtesy(self, tail: Sequence[str]) -> bool:
        """Whether a weak phrase's tail is just a time ("until…", "for 2 weeks", "tomorrow")."""
        at = self._skip_courtesy(tail, 0)
        if self._until.at(tail, at) or self._back.at(tail, at):
            return True
        timed = self._until_time.at(tail, at)
        if timed:
            # "zajęta do 15": a bare hour after it is a time of day.
            when = self._when.after_until(tail, at + timed, self._hours_after(tail, at, timed))
            if self._all_courtesy(tail[at + timed + when.used :]):
                return True
        at += self._when.with_clock(tail, at, self._when.at(tail, at)).used
        if self._all_courtesy(tail[at:]):
            return True
        # A day and how long: "going away next week for a fortnight".
        return self._all_courtesy(tail[at + self._when.at(tail, at).used :])

    def _skip_courtesy(self, words: Sequence[str], at: int) -> int:
        while at < len(words) and words[at] in self._courtesy:
            at += 1
        return at

    def _all_courtesy(self, words: Sequence[str]) -> bool:
        at = 0
        while at < len(words):
            used = self._until_after.at(words, at)
            if not used and words[at] not in self._courtesy:
                return False
            at += used or 1
        return True

    # When it ends ---------------------------------------------------------------------------

    def _request(self, found: _Found) -> PaceRequest:
        """The request found, with when it ends, the resident's words and any rhythm."""
        until, said = self._end_of(found)
        kind = _kind(found.entry.section, until)
        if kind in _NO_UNTIL or (kind is PaceKind.NOT_TODAY and until and is_duration(until)):
            # "skip this week" is no pause of a week (and "ten" is the Polish "this").
            until = None
        rhythm = self._rhythm(found.words) if kind in _RHYTHM_KINDS else None
        at = self._time_of_day(found.words) if _is_day(until) else None
        return PaceRequest(kind, until, " ".join(said.split())[:_MAX_SAID], rhythm, at)

    def _time_of_day(self, words: Sequence[str]) -> str | None:
        """The first time of day in a clause that asks for a day ("tomorrow at 9am")."""
        for position in range(len(words)):
            when = self._when.at(words, position)
            if when.value is not None and when.value.startswith(CLOCK):
                return when.value
        return None

    def _end_of(self, found: _Found) -> tuple[str | None, str]:
        """When the request ends, and the words that said it: its clause, or with the next
        clause if that said when."""
        section, hit, words = found.entry.section, found.hit, found.words
        until = self._free_until(found.clause, words, hit.start, absent=section in _ABSENCES)
        # A time before an absence says when it starts ("rytoj einu į ligoninę": tomorrow I go
        # into hospital) unless a word ties it to the end ("14 tarikh porjonto": until the 14th).
        if until is None and (found.lead_time.tied or section not in _ABSENCES):
            until = found.lead_time.value
        elif until is None and section == "away" and self._all_of_it(words):
            until = _after_absence(found.lead_time.value)
        if until is None:
            until = self._back_time(words, hit.end)
        if until is None:
            # A time inside a call request is not when to call: "when you get a minute".
            inside = hit.end if section == "call" else hit.start
            time = self._time_from(words, inside, hit.end)
            # After an absence only a duration says when it ends ("away for 2 weeks"); a day
            # says when it starts ("in hospital next week"), but away all of a week said
            # ("on holiday next week") is back the Monday after it.
            if section not in _ABSENCES or (time is not None and is_duration(time)):
                # "no messages this weekend": the pause lasts through the day said.
                until = _through(time) if section == "pause" else time
            elif section == "away" and self._all_of_it(words):
                until = _after_absence(time)
        if until is None and found.following:
            until = self._following_time(found.following, absent=section in _ABSENCES)
            if until is not None:
                return until, found.both
        return until, found.clause

    def _all_of_it(self, words: Sequence[str]) -> bool:
        """Whether an absence said with a day lasts all of it: not when the clause says the day
        is when it starts ("away from next week") or says how long ("next week for a
        fortnight"), which leave the end to when they say they are back."""
        for at in range(len(words)):
            if self._since.at(words, at):
                return False
            value = self._when.at(words, at).value
            if value is not None and is_duration(value):
                return False
        return True

    def _rhythm(self, words: Sequence[str]) -> str | None:
        """The rhythm a clause names, the first and longest: "every other week"."""
        hits = self._rhythms.find(words)
        if not hits:
            return None
        first = min(hits, key=lambda hit: (hit.start, hit.start - hit.end))
        return first.key

    def _free_until(
        self, clause: str, words: Sequence[str], start: int, *, absent: bool = False
    ) -> str | None:
        """The words after "until" or "till" from words[start] on: a time in one form, or else
        as typed, for the catalyst to read. A bare hour there is a time of day ("busy till 3")
        except after an absence ("away till 3": the 3rd)."""
        for at in range(start, len(words)):
            free = self._until.at(words, at)
            used = free or self._until_time.at(words, at)
            if not used:
                continue
            rest = words[at + used :]
            end = len(rest)
            while end and rest[end - 1] in self._courtesy:
                end -= 1
            hours = 0 if absent else self._hours_after(words, at, used)
            when = self._when.after_until(rest, 0, hours)
            if end and when.used >= end:
                return when.value  # None for a time that adds nothing: "till later"
            if free and end:
                return _typed_from(clause, at + used, at + used + end) or None
        return None

    def _back_time(self, words: Sequence[str], at: int) -> str | None:
        """A return time later in the clause: "in hospital, back on the 14th"."""
        for position in range(at, len(words)):
            used = self._back.at(words, position)
            if used:
                when = self._when.at(words, position + used)
                if when.used and when.value is not None:
                    return when.value
        return None

    def _following_time(self, following: str, *, absent: bool) -> str | None:
        """A time the next clause gives, if that is all it says ("not today - maybe tomorrow");
        after an absence only a return counts ("on holiday, back on Friday")."""
        after = self._words(following)
        lead, back_seen = 0, False
        while lead < len(after):
            back = self._back.at(after, lead)
            if not back and after[lead] not in self._lead_ins:
                break
            lead, back_seen = lead + (back or 1), back_seen or bool(back)
        if self._any_until.at(after, lead):
            return self._free_until(following, after, lead, absent=absent)
        if absent and not back_seen:
            return None
        if self._only_time_and_courtesy(after[lead:]):
            return self._time_from(after, lead, lead)
        return None

    def _time_from(self, words: Sequence[str], start: int, end: int) -> str | None:
        """A time within words[start:end] or right after it, courtesy words aside."""
        after = self._skip_courtesy(words, end)
        for position in dict.fromkeys([*range(start, end), end, after]):
            when = self._when.at(words, position, led=position >= end > start)
            if when.used and when.value is not None:
                return when.value
        return None

    # Reading a time -------------------------------------------------------------------------


def _through(until: str | None) -> str | None:
    """When a pause through the day `until` ends: the day after it ("weekend": Monday, "next
    week": the Monday after it)."""
    if until == "weekend":
        return "monday"
    if until == "next week":
        return AFTER_NEXT_WEEK
    if until == "tomorrow":
        return "2d"
    if until in _WEEKDAYS:
        return _WEEKDAYS[(_WEEKDAYS.index(until) + 1) % 7]
    return until


def _after_absence(starts: str | None) -> str | None:
    """When an absence from home that starts at `starts` ends, where the time says: "away next
    week" is away all of it. A day says only when it starts ("off to my son's tomorrow")."""
    return AFTER_NEXT_WEEK if starts == "next week" else None


def _is_day(until: str | None) -> bool:
    """Whether `until` is a day, one a time of day may be said with."""
    return until is not None and (
        until in _DAYS or until in _WEEKDAYS or until.startswith(("day:", "date:"))
    )


def _says_when(kind: PaceKind, rest: PaceRequest) -> bool:
    """Whether a request after one of `kind` with no time only says when that one ends."""
    if rest.until is None:
        return False
    if kind is PaceKind.NOT_TODAY:
        # "not today, ask me on Friday" (an "ask me" on a day is read as a pause to it).
        return rest.kind in (PaceKind.NOT_TODAY, PaceKind.PAUSE) and not is_duration(rest.until)
    return rest.kind is kind


def _single_words(files: Sequence[PaceLanguage], name: str) -> frozenset[str]:
    return frozenset(words[0] for words in words_of(files, name) if len(words) == 1)


def _most_words(pattern: str) -> int:
    """The most words a match of `pattern` can take, a gap "*" counted at its widest."""
    return sum(
        GAP_WORDS if slot == ((GAP,),) else max(len(option) for option in slot)
        for slot in compile_pattern(pattern, fold=True)
    )


def _kind(section: str, until: str | None) -> PaceKind:
    """The kind of a request from its section, or from its time where the time decides."""
    kind = _KINDS.get(section) or _kind_for(until)
    if kind is PaceKind.PAUSE and until is not None and until.startswith(CLOCK):
        # "not till 4", "pause till 3": a pause that ends today is a question asked later.
        return PaceKind.LATER
    if kind is PaceKind.NOT_TODAY and until is not None and (_ends_today(until) or _is_long(until)):
        # "leave it till 3" ends today (later); "leave it till next month" is a pause. A
        # day of the week is a day to ask again on: "leave it till Monday".
        return _kind_for(until)
    if until is not None and (
        kind is PaceKind.LATER or (section in _ABSENCES and _kind_for(until) is PaceKind.LATER)
    ):
        # "busy tomorrow" is later but not today; "off to the shops for an hour" ends today.
        kind = _kind_for(until)
    return kind


def _ends_today(until: str) -> bool:
    return until.startswith(CLOCK) or until in _TODAY


def _is_long(until: str) -> bool:
    """Whether `until` may be more than a week away: a month, a date or a day of the month."""
    return until == "next month" or until.startswith(("date:", "day:"))


def _kind_for(until: str | None) -> PaceKind:
    """The kind of an "ask me <time>": later today, tomorrow, or a pause until then."""
    if until is None or until in _TODAY or until.startswith(CLOCK):
        return PaceKind.LATER
    if until == "tomorrow":
        return PaceKind.NOT_TODAY
    try:
        if parse_duration(until) < timedelta(days=1):
            return PaceKind.LATER
    except DurationError:
        pass  # a day or a date
    return PaceKind.PAUSE


def _clause_break(abbreviations: Iterable[str]) -> re.Pattern[str]:
    """Where a clause ends, a point after a number and one of `abbreviations` aside."""
    # Looked behind from the point, so that other characters are passed over at once.
    not_after = "".join(
        rf"(?<!\d {re.escape(word)}\.)(?<!\d{re.escape(word)}\.)" for word in sorted(abbreviations)
    )
    # Nor between two lone letters: "3 p.m.", "10 a.m.".
    letters = r"(?!(?<=\b[^\W\d_]\.)[^\W\d_]\b)"
    return re.compile(_CLAUSE_BREAK.format(point=rf"\.{not_after}{letters}"), re.IGNORECASE)


def _clause_spans(text: str, breaks: re.Pattern[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for found in breaks.finditer(text):
        if text[start : found.start()].strip():
            spans.append((start, found.start()))
        start = found.end()
        if len(spans) >= _MAX_CLAUSES:
            return spans
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _typed_from(clause: str, first: int, end: int) -> str:
    """The clause as typed from its word number `first` up to word number `end`."""
    tokens = list(_TOKEN.finditer(clause))
    position = 0
    begin: int | None = None
    finish = len(clause)
    for token in tokens:
        count = len(read_words(token.group()))
        if begin is None and position + count > first:
            begin = token.start()
        position += count
        if begin is not None and position >= end:
            finish = token.end()
            break
    if begin is None:
        return ""
    return clause[begin:finish].strip().rstrip(".,!?")
