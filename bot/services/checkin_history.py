"""This module says how a resident's check-ins have gone, for their catalyst: the last few
weeks as a row of marks (one per check-in, each with a colour, a letter and words, so colour is
never the only signal) with the same in a sentence, and the history on the resident's page
(the day on the resident's clock, how it went, their mood, their own words, and whether quiet
hours moved it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.services.unit import Tx
from storage import checkin_history, rows
from storage.checkin_history import CheckinMark
from storage.records import Checkin, Resident

#: How far back the row of marks looks.
WEEKS = 4
#: Check-ins a resident's page lists.
SHOWN = 30


@dataclass(frozen=True, slots=True)
class Look:
    """How one way a check-in can go is shown: a style, a letter inside the mark, words."""

    style: str
    letter: str
    words: str


#: An answered check-in, by the mood the flow saved.
MOODS = {
    "good": Look("good", "G", "good"),
    "ok": Look("ok", "O", "OK"),
    "low": Look("low", "L", "low"),
}
#: Every other way a check-in goes (see migration 0016), and an answer with no mood saved.
STATUSES = {
    "answered": Look("answered", "A", "answered"),
    "missed": Look("missed", "M", "missed"),
    "not_today": Look("skipped", "N", "not today"),
    "later": Look("skipped", "T", "asked for later"),
    "paused": Look("paused", "P", "paused"),
    "declined": Look("paused", "X", "check-ins turned down"),
    "ended": Look("skipped", "E", "ended early"),
    "waiting": Look("waiting", "?", "waiting for a reply"),
}
#: The legend shown beside the marks, in the order people meet them.
LEGEND = (
    MOODS["good"],
    MOODS["ok"],
    MOODS["low"],
    STATUSES["answered"],
    STATUSES["missed"],
    STATUSES["not_today"],
    STATUSES["later"],
    STATUSES["paused"],
    STATUSES["waiting"],
)


def look(status: str, mood: str | None) -> Look:
    """How a check-in that went `status` (with `mood`, if answered) is shown."""
    if status == "answered" and mood in MOODS:
        return MOODS[mood]
    return STATUSES.get(status, Look("skipped", "?", status.replace("_", " ")))


@dataclass(frozen=True, slots=True)
class Mark:
    """One check-in in the row: its day on the resident's clock ("Tue 3 Nov") and its look."""

    day: str
    look: Look

    @property
    def label(self) -> str:
        return f"{self.day}: {self.look.words}"


@dataclass(frozen=True, slots=True)
class RecentCheckins:
    """The last few weeks of check-ins, oldest first, and the same in a sentence."""

    marks: list[Mark]
    #: "Last 4 weeks: good, good, missed, low" or "Last 4 weeks: no check-ins".
    words: str
    #: The same counted, to show beside the marks: "2 good, 1 missed, 1 low" or "None".
    counts: str

    @property
    def legend(self) -> tuple[Look, ...]:
        """What each look means, for a key shown beside the marks."""
        return LEGEND


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One check-in on the resident's page."""

    #: When it was due (or began, if quiet hours moved it), UTC; shown in the resident's zone.
    at: str
    #: Its mark: by mood when answered, else by how it went.
    look: Look
    #: How it went in words: answered, missed, not today...
    went: str
    #: good, OK or low; empty when none was saved.
    mood: str
    #: The resident's own words in answer, as they wrote them.
    said: str | None
    #: Where the rhythm had put it when quiet hours moved it (UTC), else None.
    moved_from: str | None
    channel: str | None


@dataclass(frozen=True, slots=True)
class CheckinHistory:
    recent: RecentCheckins
    #: Newest first.
    lines: list[HistoryLine]


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_words(stamp: str, zone: ZoneInfo) -> str:
    """A stored UTC time's day on the resident's clock: "Tue 3 Nov"."""
    # Spelt out rather than strftime'd: a page of the residents list says up to thousands.
    local = datetime.fromisoformat(stamp).astimezone(zone)
    return f"{_DAYS[local.weekday()]} {local.day} {_MONTHS[local.month - 1]}"


def recent(marks: Sequence[CheckinMark | Checkin], zone_name: str) -> RecentCheckins:
    """The row of marks for check-ins given oldest first, in the resident's zone."""
    zone = ZoneInfo(zone_name)
    shown = [Mark(day_words(m.due_at, zone), look(m.status, m.mood)) for m in marks]
    said = ", ".join(mark.look.words for mark in shown) or "no check-ins"
    counted = Counter(mark.look.words for mark in shown)
    counts = ", ".join(f"{n} {words}" for words, n in counted.items()) or "None"
    return RecentCheckins(shown, f"Last {WEEKS} weeks: {said}", counts)


def since(now: datetime | None = None) -> datetime:
    """Where the row of marks starts: WEEKS before now (the service's clock, which the
    composition root gives storage, unless `now` is given)."""
    return (now or datetime.fromisoformat(rows.now_text())) - timedelta(weeks=WEEKS)


async def recent_for_page(
    conn: Tx, residents: Sequence[Resident], now: datetime | None = None
) -> dict[int, RecentCheckins]:
    """The row of marks for every resident on a page, read in one query."""
    found = await checkin_history.marks_for(conn, [r.id for r in residents], since(now))
    return {r.id: recent(found.get(r.id, []), r.time_zone) for r in residents}


async def history(conn: Tx, resident: Resident, now: datetime | None = None) -> CheckinHistory:
    """The resident's check-ins for their page: the row of marks and the latest few in words.
    The caller has already checked that the viewer may see the resident."""
    latest = await checkin_history.history_of(conn, resident.id, SHOWN)
    # Stored times are UTC ISO text of one width, so text order is time order.
    start = rows.now_text(since(now))
    weeks = [c for c in reversed(latest) if c.due_at >= start]
    lines = [
        HistoryLine(
            at=c.started_at or c.due_at,
            look=look(c.status, c.mood),
            went=look(c.status, None).words,
            mood=MOODS[c.mood].words if c.mood in MOODS else "",
            said=c.said,
            moved_from=c.moved_from,
            channel=c.channel,
        )
        for c in latest
    ]
    return CheckinHistory(recent(weeks, resident.time_zone), lines)
