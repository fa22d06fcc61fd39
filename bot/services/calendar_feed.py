"""This module contains a catalyst's calendar of check-ins: an iCalendar feed (the `icalendar`
library) of their residents' check-ins over the next weeks, that Outlook and Google Calendar
subscribe to, behind a secret address the catalyst can reset.

The secret is the key (a calendar app cannot log in), so it is shown once and only a keyed hash
of it is kept (people.calendar_secret_hash); resetting it makes the old address answer 404.
Events carry the resident's preferred name and a link to their page in the admin, never a phone
number or anything the resident said. Each slot's UID stays the same from one fetch to the next
(the resident and the slot's time), so a calendar app updates an event rather than adding it
again. Times are given in the resident's own zone with its VTIMEZONE, so a 10:00 check-in stays
10:00 across a clock change.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.clock import SystemClock
from bot.services.access import Viewer
from bot.services.errors import Conflict, NotFound
from bot.services.unit import reading, writing
from bot.timing.rhythm import Rhythm, RhythmError, next_due
from flows.engine import Clock
from storage import audit, calendar, people, sealing
from storage.calendar import ScheduleSource
from storage.database import Database
from storage.records import Resident

#: How far ahead the feed looks.
WEEKS_AHEAD = 8
#: At most this many slots of one rhythm (a daily rhythm over eight weeks is 56).
MOST_PER_RHYTHM = 64
#: At most this many events in a feed, the soonest first: a caseload of 125 residents checked
#: in on weekly fills it; past that, a calendar app would be slow to read the feed anyway.
MOST_EVENTS = 1000
#: How long a check-in's event lasts in the calendar (the message itself takes a moment).
EVENT_LENGTH = timedelta(minutes=15)
#: What a secret in an address looks like (token_urlsafe(32) gives 43 such characters).
SECRET = re.compile(r"[A-Za-z0-9_-]{32,64}")
#: Where the feed is served, outside /admin (a calendar app cannot log in).
FEED_PATH = "/calendar/{secret}.ics"


@dataclass(frozen=True, slots=True)
class CalendarStatus:
    """What the "My calendar" page knows about the viewer's feed."""

    #: The viewer's account is linked to a person (a catalyst) whose residents the feed lists.
    linked: bool
    #: A secret address has been made (and not shown again).
    has_link: bool


@dataclass(frozen=True, slots=True)
class Slot:
    """One check-in in the calendar."""

    uid: str
    resident: Resident
    at: datetime
    follow_up: bool


def feed_path(secret: str) -> str:
    return FEED_PATH.format(secret=secret)


class CalendarFeed:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()

    async def status(self, viewer: Viewer) -> CalendarStatus:
        if viewer.person_id is None:
            return CalendarStatus(linked=False, has_link=False)
        async with reading(self.db) as conn:
            return CalendarStatus(True, await calendar.has_secret(conn, viewer.person_id))

    async def reset(self, viewer: Viewer) -> str:
        """A new secret for the viewer's feed (the old address stops working); the change is
        written to the audit log. Returned once, to show once: only its keyed hash is kept."""
        if viewer.person_id is None:
            raise Conflict(
                "Your login is not linked to a catalyst, so there are no check-ins of your own "
                "to put in a calendar. An admin can link your account to a catalyst."
            )
        secret = secrets.token_urlsafe(32)
        async with writing(self.db) as work:
            if await people.get_person(work, viewer.person_id) is None:
                raise NotFound("person", viewer.person_id)
            await calendar.set_secret_hash(work, viewer.person_id, sealing.lookup_hash(secret))
            await audit.record(
                work, viewer.actor, "reset calendar link", f"person:{viewer.person_id}"
            )
        return secret

    async def feed(self, secret: str, admin_url: str) -> bytes:
        """The iCalendar feed behind `secret`, its events linking to residents' pages under
        `admin_url` ("https://companion.example.org/admin"). NotFound for an address that is
        unknown or was reset."""
        if not SECRET.fullmatch(secret):
            raise NotFound("calendar", 0)
        now = self.clock.now().astimezone(UTC)
        async with reading(self.db) as conn:
            person = await calendar.person_with_secret(conn, sealing.lookup_hashes(secret))
            if person is None:
                raise NotFound("calendar", 0)
            residents = {r.id: r for r in await calendar.residents_in_calendar(conn, person.id)}
            sources = await calendar.schedules_in_calendar(conn, person.id)
        name = f"Check-ins for {person.first_name}"
        # In a worker thread: a big caseload takes a while to write out (icalendar spends
        # about a millisecond on an event), and the service must go on answering meanwhile.
        return await asyncio.to_thread(_feed, sources, residents, name, admin_url.rstrip("/"), now)


def _feed(
    sources: list[ScheduleSource],
    residents: dict[int, Resident],
    name: str,
    admin_url: str,
    now: datetime,
) -> bytes:
    """The feed's text: every schedule's slots merged in time order as they are worked out,
    so that only the MOST_EVENTS soonest (and one more per schedule) are ever expanded."""
    each = [
        _slots(source, residents[source.resident_id], now)
        for source in sources
        if source.resident_id in residents
    ]
    merged = heapq.merge(*each, key=lambda slot: (slot.at, slot.resident.id))
    return _ical(list(itertools.islice(merged, MOST_EVENTS)), name, admin_url, now)


def _slots(source: ScheduleSource, resident: Resident, now: datetime) -> Iterator[Slot]:
    """The schedule's slots from now to WEEKS_AHEAD on, in time order, leaving out those
    while the resident is paused (all of them, when the pause has no end)."""
    end, resumes = now + timedelta(weeks=WEEKS_AHEAD), _resumes(resident)
    start = max(now, resumes) if resumes is not None else now
    if start >= end:
        return
    if source.kind != "checkin":
        due = datetime.fromisoformat(source.next_due_at) if source.next_due_at else None
        if due is not None and start <= due < end:
            yield Slot(_uid(resident.id, f"followup-{source.id}"), resident, due, True)
        return
    try:
        rhythm = Rhythm(
            source.rule or "", resident.time_zone, datetime.fromisoformat(source.starts_at)
        )
    except RhythmError:
        return
    slot, count = _first_slot(source, rhythm, start), 0
    while slot is not None and slot[1] < end and count < MOST_PER_RHYTHM:
        yield Slot(_uid(resident.id, slot[0]), resident, slot[1], False)
        slot, count = _keyed(next_due(rhythm, datetime.fromisoformat(slot[0]))), count + 1


def _first_slot(
    source: ScheduleSource, rhythm: Rhythm, now: datetime
) -> tuple[str, datetime] | None:
    """The rhythm's next slot: (where the rhythm put it, when it will start). A slot moved
    out of quiet hours keeps the rhythm's time as its key, so its UID does not change."""
    if source.next_due_at:
        due = datetime.fromisoformat(source.next_due_at)
        if due >= now:
            return (source.moved_from or due.isoformat(), due)
    return _keyed(next_due(rhythm, now))


def _keyed(due: datetime | None) -> tuple[str, datetime] | None:
    return (due.isoformat(), due) if due is not None else None


def _resumes(resident: Resident) -> datetime | None:
    """When a paused resident's check-ins start again: the start of the day their pause ends,
    on their clock; far in the future for a pause with no end; None when not paused."""
    if resident.status != "paused":
        return None
    try:
        day = date.fromisoformat((resident.paused_until or "")[:10])
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day, time(0), ZoneInfo(resident.time_zone)).astimezone(UTC)


def _uid(resident_id: int, key: str) -> str:
    """The same for a resident's slot at every fetch: the slot's UTC time, or the follow-up."""
    if key.startswith("followup-"):
        return f"{key}-resident-{resident_id}@companion"
    moment = datetime.fromisoformat(key).astimezone(UTC)
    return f"checkin-{resident_id}-{moment:%Y%m%dT%H%M%SZ}@companion"


def _ical(slots: list[Slot], name: str, admin_url: str, now: datetime) -> bytes:
    feed = Calendar()
    feed.add("prodid", "-//Companion//Check-ins//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    # Calendar apps that honour it fetch again within the hour.
    feed.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", "PT1H")
    for slot in slots:
        resident = slot.resident
        page = f"{admin_url}/residents/{resident.id}"
        event = Event()
        event.add("uid", slot.uid)
        event.add("dtstamp", now)
        event.add("dtstart", slot.at.astimezone(ZoneInfo(resident.time_zone)))
        event.add("duration", EVENT_LENGTH)
        title = f"Check-in: {resident.preferred_name}"
        event.add("summary", f"{title} (follow-up)" if slot.follow_up else title)
        event.add("description", f"{resident.preferred_name}'s page in Companion: {page}")
        event.add("url", page)
        event.add("transp", "TRANSPARENT")
        feed.add_component(event)
    feed.add_missing_timezones()
    body: bytes = feed.to_ical()
    return body
