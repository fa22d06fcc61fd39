"""This module contains pace words: a resident saying not today, later, pause, or less often."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.triage.phrases import Hit, PhraseBook, Speller, read_words
from flows.durations import format_duration
from flows.understand.number_words import token_number


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
    reads it back; a month is "30d"); a day word, folded ("tomorrow", "monday", "next week",
    "weekend"); or the resident's own words after "until" or "till", as typed ("I'm home",
    "after Christmas"), for the catalyst to read. It is None when they did not say, and
    always None for LESS_OFTEN, MORE_OFTEN and RESUME.
    """

    kind: PaceKind
    until: str | None = None
    #: The resident's own words of the request, as typed, for the catalyst to read ("going
    #: into hospital tomorrow").
    words: str = ""


# Strong phrases count at the start of a clause whatever follows, usually a reason: "not today,
# I'm tired", "pause until I'm home from hospital". Weak phrases are everyday words that also
# answer questions ("later", "busy", "I'm home"), so they count only as a whole clause, give or
# take a time and courtesy words: "later please" is a pace request, "later today I'm going to
# bingo" is news. A phrase further into a clause never counts: "it's not today, it's Thursday".
_STRONG = "strong"
_WEAK = "weak"

_ME = "(ask|message|text|try|contact|catch|call|check on|check in with|check in on) me"
_MESSAGES = "(messages|texts|check ins|checkins)"
# Calls and chats are things to have more or less of, but "no calls, just texts" is no pause.
_CONTACT = "(messages|texts|check ins|checkins|chats|calls)"
# fmt: off
_PHRASES: dict[PaceKind, dict[str, tuple[str, ...]]] = {
    PaceKind.NOT_TODAY: {
        _STRONG: (
            "not today", f"no (more |){_MESSAGES} today", "skip today", "give today a miss",
            "leave it today", "leave it for today",
            "not (really |)(up to|feeling up to) (it|talking|chatting|much)",
        ),
        _WEAK: (
            "tomorrow", "(try|maybe|ask me|message me|text me) tomorrow",
        ),
    },
    PaceKind.LATER: {
        _STRONG: (
            "not now", "not right now", "not just now", "not at the moment",
            f"{_ME} (again |)later", "try (again |)later", "maybe later",
            "(cant|cannot|can not) (talk|chat|reply|answer|text) (now|right now|just now"
            "|at the moment)",
            "busy (right |just |)now",
            "give me (a|an) (bit|while|minute|min|moment|hour|sec|second|mo)",
        ),
        _WEAK: (
            "later", "laters", "l8r", "latr", "ltr", "later on", "later please", "bad time",
            "(another|some other|an other) time",
            "in a (bit|while|minute|min|moment|hour|sec|second|mo)",
            "(im |i am |bit |a bit |too |very |really |so |)busy",
        ),
    },
    PaceKind.PAUSE: {
        _STRONG: (
            "pause (it|them|for now|for a bit|for a while|please|)",
            f"pause (the |my |){_MESSAGES}",
            "(please |)hold off", "need a break", "give me a break",
            "not (until|till|til|untill)", "leave me (alone|be)",
            # Inside a longer message "no more messages" pauses at once; alone it is an
            # opt-out, caught by the carrier keywords before this.
            f"no (more |){_MESSAGES}",
            f"stop (the |my |){_MESSAGES} (for|until|till|til)",
        ),
        _WEAK: (
            "(im|i am|ill be|i will be|going) away", "on holiday", "(take|have|having) a break",
        ),
    },
    PaceKind.LESS_OFTEN: {
        _STRONG: (
            "less often", "not (so|as) often", f"(less|fewer) {_CONTACT}", "too often",
            f"too many {_CONTACT}", "(send|sending|sent) (me |)too many", f"{_ME} less",
            "not every day",
        ),
        _WEAK: ("(thats|its|it is) too many",),
    },
    PaceKind.MORE_OFTEN: {
        _STRONG: (
            "more often", f"(more|extra) {_CONTACT}", f"{_ME} more",
        ),
    },
    PaceKind.RESUME: {
        _STRONG: (
            "resume", "unpause", "un pause",
            "(you can|please) (start|message|text|contact) (me |)again",
            "(message|text|contact) me again", "start (messaging|texting|sending) (me |)again",
        ),
        _WEAK: (
            "start again", "restart", "carry on", "(ready|ready to start) again",
            "(im|i am) (back|home|back home) (now|again|)", "(back|home) now",
        ),
    },
}
# fmt: on

# Words a resident puts before a request without changing it: "ok, not today", "sorry Abby"
# is not here (names cannot be), so "sorry abby not today" needs its comma to count.
_LEAD_INS = frozenset((
    "ok", "okay", "oh", "ah", "hi", "hello", "hiya", "morning", "afternoon", "evening", "sorry",
    "soz", "no", "nah", "nope", "um", "erm", "hmm", "please", "pls", "plz", "just", "thanks",
    "thank", "you", "thankyou", "ta", "love", "dear", "yes", "yeah", "well", "but", "and", "so",
    "can", "could", "would", "will", "u", "maybe", "perhaps", "think", "i", "id", "like", "to",
))  # fmt: skip
_NO = frozenset(("no", "nah", "nope"))
_NOT_AFTER_NO = frozenset((PaceKind.MORE_OFTEN, PaceKind.RESUME))
_COURTESY = frozenset((
    "please", "pls", "plz", "thanks", "thank", "you", "thankyou", "ta", "thx", "x", "xx", "xxx",
    "love", "dear", "mate", "hun", "pet", "darling", "sorry", "then", "ok", "okay", "now",
    "if", "thats", "that", "is", "alright", "again",
))  # fmt: skip

# Time words after a request: the value kept in `until` (None when it adds nothing: "today").
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIMES: dict[str, str | None] = {
    **{day: day for day in _DAYS},
    **{f"on {day}": day for day in _DAYS},
    **{f"till {day}": day for day in _DAYS},
    **dict.fromkeys(("tomorrow", "tmrw", "tmw", "tmr", "tomorow", "tommorow", "tommorrow",
                     "2moro", "2morrow", "2morow"), "tomorrow"),
    **dict.fromkeys(("the weekend", "weekend", "this weekend", "at the weekend"), "weekend"),
    "next week": "next week", "next month": "next month",
    **dict.fromkeys(("today", "tonight", "this afternoon", "this evening", "this morning",
                     "later", "later on", "for now", "for today"), None),
}  # fmt: skip
_UNITS = {
    **dict.fromkeys(("min", "mins", "minute", "minutes"), timedelta(minutes=1)),
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), timedelta(hours=1)),
    **dict.fromkeys(("day", "days"), timedelta(days=1)),
    **dict.fromkeys(("week", "weeks", "wk", "wks"), timedelta(weeks=1)),
    **dict.fromkeys(("fortnight", "fortnights"), timedelta(weeks=2)),
    # A calendar month varies; 30 days is near enough for a pause the catalyst can adjust.
    **dict.fromkeys(("month", "months"), timedelta(days=30)),
}
_AMOUNTS = {"a": 1, "an": 1, "one": 1, "couple": 2, "few": 3}
_UNTIL = re.compile(r"(?<!\w)['’]?(?:until|till|til|untill|untl)\b[\s:]*(?P<rest>.*)", re.I | re.S)
_CLAUSE_BREAK = re.compile(r"[.,;!?\n]+|\s[-–—]+\s")
_DIGITS_UNIT = re.compile(r"(\d+)([a-z]+)")
_UNTIL_WORDS = frozenset(("until", "till", "til", "untill", "untl"))
_TRAILING_COURTESY = re.compile(
    r"(?:[\s,.!]|\b(?:x+|please|pls|plz|thanks|thank you|thankyou|ta|love|dear)\b)+$", re.I
)
# Words that may open a clause that only says when: "pause, back on Friday", "maybe tomorrow".
_TIME_LEAD_INS = _LEAD_INS | {"try", "ask", "me", "back", "message", "text", "again", "or"}
_MAX_CLAUSES = 20

_BOOK: PhraseBook[tuple[PaceKind, str]] = PhraseBook(
    (pattern, (kind, strength))
    for kind, strengths in _PHRASES.items()
    for strength, patterns in strengths.items()
    for pattern in patterns
)
_TIME_BOOK: PhraseBook[str | None] = PhraseBook(_TIMES.items())
_SPELLER = Speller(
    _BOOK.vocabulary | _TIME_BOOK.vocabulary | _LEAD_INS | _COURTESY,
    ("pause", "later", "resume", "often", "messages", "another", "holiday", "tomorrow"),
    # Everyday words one edit from a target, from the 60,000 commonest English words.
    ("alter", "latter", "presume", "massages", "messaged"),
)  # fmt: skip


def pace_intent(text: str, languages: Sequence[str] = ("en",)) -> PaceRequest | None:
    """The pace request `text` makes, or None if it makes none."""
    del languages  # only English phrases so far
    clauses = [clause for clause in _CLAUSE_BREAK.split(text) if clause.strip()][:_MAX_CLAUSES]
    for index, clause in enumerate(clauses):
        words = _SPELLER.correct(read_words(clause))
        found = _request_in(words)
        if found is None:
            continue
        kind, hit = found
        if kind in (PaceKind.LESS_OFTEN, PaceKind.MORE_OFTEN, PaceKind.RESUME):
            return PaceRequest(kind)
        following = clauses[index + 1] if index + 1 < len(clauses) else ""
        return PaceRequest(kind, _until(clause, words, hit, following))
    return None


def _request_in(words: Sequence[str]) -> tuple[PaceKind, Hit[tuple[PaceKind, str]]] | None:
    """The request a clause starts with, after any lead-in words, if it counts."""
    hits = _BOOK.find(words)
    for start in range(len(words)):
        here = [hit for hit in hits if hit.start == start]
        # The longest phrase wins: "not right now" over "not", "start again" over "start".
        for hit in sorted(here, key=lambda hit: hit.start - hit.end):
            kind, strength = hit.key
            if kind in _NOT_AFTER_NO and not _NO.isdisjoint(words[:start]):
                # "no more messages today", "nah, more often is too much": not asking for more.
                return None
            if strength == _STRONG or _only_time_and_courtesy(words[hit.end :]):
                return kind, hit
        if words[start] not in _LEAD_INS:
            return None
    return None


def _only_time_and_courtesy(tail: Sequence[str]) -> bool:
    """Whether a weak phrase's tail is just a time ("until…", "for 2 weeks", "tomorrow")."""
    at = 0
    while at < len(tail) and tail[at] in _COURTESY:
        at += 1
    if at < len(tail) and tail[at] in _UNTIL_WORDS:
        return True
    used = _duration_at(tail, at)[1] or _time_at(tail, at)[1]
    return all(word in _COURTESY for word in tail[at + used :])


def _until(
    clause: str, words: Sequence[str], hit: Hit[tuple[PaceKind, str]], following: str
) -> str | None:
    """When the request ends: said in its own clause, or in the next if that only says when.

    Only words right after the request count ("pause for 2 weeks", "ask me tomorrow"), so that
    "not today, I'm at the hospital on Monday" is not read as a pause until Monday.
    """
    found = _free_until(clause) or _time_from(words, hit.start, hit.end)
    if found is not None:
        return found
    after = _SPELLER.correct(read_words(following))
    lead = 0
    while lead < len(after) and after[lead] in _TIME_LEAD_INS:
        lead += 1
    if lead < len(after) and after[lead] in _UNTIL_WORDS:
        return _free_until(following)
    if _only_time_and_courtesy(after[lead:]):
        return _time_from(after, lead, lead)
    return None


def _free_until(clause: str) -> str | None:
    """The words after "until" or "till" in `clause`, as typed; a day in one form."""
    said = _UNTIL.search(clause)
    if said is None:
        return None
    free = _TRAILING_COURTESY.sub("", said.group("rest")).strip()
    if not free:
        return None
    # A day is kept in one form, "Monday" as "monday"; anything else as typed, for the
    # catalyst to read.
    return _TIMES.get(" ".join(read_words(free))) or free


def _time_from(words: Sequence[str], start: int, end: int) -> str | None:
    """A duration or time within words[start:end] or right after it, courtesy words aside."""
    at = end
    while at < len(words) and words[at] in _COURTESY:
        at += 1
    for position in [*range(start, end), at]:
        duration, used = _duration_at(words, position)
        if used:
            return duration
        time, used = _time_at(words, position)
        if used and time is not None:
            return time
    return None


def _time_at(words: Sequence[str], at: int) -> tuple[str | None, int]:
    """A time word or phrase at words[at]: its value and how many words it takes (0 if none)."""
    hits = [hit for hit in _TIME_BOOK.find(words[at:]) if hit.start == 0]
    if not hits:
        return None, 0
    best = max(hits, key=lambda hit: hit.end)
    return best.key, best.end


def _duration_at(words: Sequence[str], at: int) -> tuple[str | None, int]:
    """A duration at words[at] ("for two weeks", "3 days", "a couple of weeks", "2wks")."""
    start = at
    if at < len(words) and words[at] == "for":
        at += 1
    if at < len(words) and (digits := _DIGITS_UNIT.fullmatch(words[at])):
        amount, unit, at = int(digits.group(1)), digits.group(2), at + 1
    else:
        if at + 1 < len(words) and words[at] in ("a", "an") and words[at + 1] in _AMOUNTS:
            at += 1
        amount_word = words[at] if at < len(words) else ""
        number = _AMOUNTS.get(amount_word, token_number(amount_word) if amount_word else None)
        if number is None:
            return None, 0
        at += 1
        if at < len(words) and words[at] == "of":
            at += 1
        amount, unit = number, words[at] if at < len(words) else ""
        at += 1
    size = _UNITS.get(unit)
    if size is None or not 0 < amount <= 999:
        return None, 0
    return format_duration(amount * size), at - start
