"""This module contains a resident's pause: paused until a day (it ends at the start of their
waking hours that day, on their clock) or until resumed, the hello when it ends, and the
catalyst pausing or resuming check-ins from the admin. The resident's own "pause" and "I'm back"
come through bot/services/pace.py; the pause ending by itself is the sweep in bot/resume.py.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot.conversations import Conversations, preferred_route
from bot.programme import Programme
from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.unit import Tx, reading, writing
from bot.timing.pace_time import day_opens
from bot.timing.rhythm import DAY_NAMES, MONTH_NAMES, Rhythm, describe
from bot.triage.pace_replies import PaceVoice, voice_for
from bot.triage.pace_reply_files import placeholders
from flows.engine import Clock
from storage import audit, checkins, messages, people, rows, schedules, sessions
from storage.database import Database
from storage.records import Resident

#: The purpose of the hello when a pause ends: it is about check-ins, so it needs that consent.
CHECKINS = "checkins"
#: The furthest ahead a catalyst may set a pause to end.
LONGEST_PAUSE = timedelta(days=366)


async def pause_resident(tx: aiosqlite.Connection, resident: Resident, ends: date | None) -> None:
    """Paused until the first allowed moment of `ends` on their clock, or until resumed."""
    quiet_start, quiet_end = quiet_hours_of(resident)
    until = day_opens(ends, resident.time_zone, quiet_start, quiet_end) if ends else None
    await people.update_resident(
        tx, resident.id, status="paused", paused_until=rows.now_text(until) if until else None
    )


async def resume_resident(tx: aiosqlite.Connection, resident: Resident) -> None:
    await people.update_resident(tx, resident.id, status="active", paused_until=None)


async def current_rhythm(tx: aiosqlite.Connection, resident: Resident) -> Rhythm | None:
    """The resident's check-in rhythm, if check-ins are set and still to come."""
    found = await schedules.checkin_schedule(tx, resident.id)
    if found is None or found.rule is None or not found.active:
        return None  # none set, or a one-off that has been
    starts = datetime.fromisoformat(found.starts_at)
    return Rhythm(found.rule, resident.time_zone, starts)


async def rhythm_words(tx: aiosqlite.Connection, resident: Resident) -> str | None:
    """Their rhythm as the resident reads it: "every Tuesday at 10am"."""
    rhythm = await current_rhythm(tx, resident)
    return in_a_sentence(describe(rhythm)) if rhythm is not None else None


async def welcome_back(
    tx: aiosqlite.Connection, resident: Resident, conversations: Conversations
) -> str:
    """The hello a resident gets when their pause ends (or they say they are back), in their
    language: their catalyst, and when they will hear next ("as usual: every Tuesday at 10am";
    with no check-ins to come, just the hello)."""
    voice = voice_for(resident.language, "welcome_back", "next_at")
    when = await _when_next(tx, resident, voice)
    text = "welcome_back"
    if when is None:
        voice, text, when = voice_for(resident.language, "resumed"), "resumed", ""
    who = await speaker_words(tx, resident, conversations.programme, voice)
    return voice.say(text, name=resident.preferred_name, catalyst=who, rhythm=when, next=when)


async def _when_next(tx: aiosqlite.Connection, resident: Resident, voice: PaceVoice) -> str | None:
    """When the resident hears next, as the hello says it: their rhythm in words, or, in a
    language whose hello names the next check-in instead (only English describes rhythms, see
    bot/timing/rhythm.py), that check-in ("15 grudnia o 10:00"); None with none to come."""
    rhythm = await current_rhythm(tx, resident)
    if rhythm is None:
        return None
    if "next" not in placeholders(voice.book.texts["welcome_back"]):
        return in_a_sentence(describe(rhythm))
    found = await schedules.checkin_schedule(tx, resident.id)
    if found is None or found.next_due_at is None:
        return None
    due = datetime.fromisoformat(found.next_due_at)
    day = due.astimezone(ZoneInfo(resident.time_zone)).date()
    return voice.say(
        "next_at",
        day=voice.day(day),
        weekday=voice.weekday(day),
        time=voice.clock(due, resident.time_zone),
    )


async def speaker_words(
    tx: aiosqlite.Connection, resident: Resident, programme: Programme, voice: PaceVoice
) -> str:
    """Who speaks to the resident, in `voice`'s language: their catalyst's first name, or,
    with no catalyst yet, the team ("the Companion team", "zespół Companion")."""
    catalyst = await people.get_person(tx, resident.catalyst_id) if resident.catalyst_id else None
    return catalyst.first_name if catalyst is not None else voice.team(programme.name)


async def say_welcome_back(
    tx: aiosqlite.Connection, resident: Resident, conversations: Conversations
) -> int | None:
    """Queue the hello again on the resident's best channel, as a routine message (quiet hours
    hold it); the message id, or None when they cannot be reached."""
    route = await preferred_route(tx, resident.id)
    if route is None:
        return None
    return await messages.queue_outbound(
        tx,
        channel=route.channel,
        address=route.address,
        body=await welcome_back(tx, resident, conversations),
        purpose=CHECKINS,
        routine=True,
        resident_id=resident.id,
    )


class Pauses:
    """The catalyst pauses a resident's check-ins (until a day, or until resumed) or resumes
    them, from the resident's page."""

    def __init__(self, db: Database, clock: Clock, conversations: Conversations) -> None:
        self.db = db
        self.clock = clock
        self.conversations = conversations

    async def view(self, viewer: Viewer, resident_id: int) -> Resident:
        """The resident whose check-ins the form pauses (NotFound if `viewer` may not see
        them); the view is written to the audit log."""
        async with reading(self.db) as conn:
            resident = await resident_for_viewer(conn, viewer, resident_id)
        async with writing(self.db) as tx:
            await audit.record(tx, viewer.actor, "viewed", resident_subject(resident.id))
        return resident

    async def pause(
        self, viewer: Viewer, resident_id: int, until: str, tx: Tx | None = None
    ) -> date | None:
        """Pause until the day `until` (blank: until resumed); the day. Invalid (nothing
        changed) for a day that is not one, is past or over a year away, or for a resident
        who has stopped all messages."""
        typed = until.strip()
        async with writing(self.db, tx) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            if resident.status not in ("active", "paused"):
                raise Invalid("pause_until", _nothing_to_pause(resident))
            ends = _pause_day(typed, self.clock.now(), resident.time_zone)
            await sessions.end_waiting(work, resident.id, "paused")
            await checkins.settle_waiting(work, resident.id, "paused")
            await pause_resident(work, resident, ends)
            await audit.record(
                work,
                viewer.actor,
                "paused check-ins",
                resident_subject(resident.id),
                until=ends.isoformat() if ends else "until resumed",
            )
        return ends

    async def resume(self, viewer: Viewer, resident_id: int, tx: Tx | None = None) -> bool:
        """Resume check-ins and say hello again; False if they were not paused (no change)."""
        async with writing(self.db, tx) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            if resident.status != "paused":
                return False
            await resume_resident(work, resident)
            await say_welcome_back(work, resident, self.conversations)
            await audit.record(
                work, viewer.actor, "resumed check-ins", resident_subject(resident.id)
            )
        return True


def clock_words(moment: datetime, zone: str) -> str:
    """A time on the resident's clock as they would say it: "3pm", "10:30am", "12pm"."""
    local = moment.astimezone(ZoneInfo(zone))
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def paused_words(resident: Resident) -> str:
    """A paused resident's status in words: "Paused until Monday 14 December, 9am" (their
    clock), or "Paused" when it lasts until resumed."""
    if not resident.paused_until:
        return "Paused"
    ends = datetime.fromisoformat(resident.paused_until)
    local = ends.astimezone(ZoneInfo(resident.time_zone))
    return f"Paused until {day_words(local.date())}, {clock_words(ends, resident.time_zone)}"


def day_words(day: date) -> str:
    """ "Monday 14 December"."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def _nothing_to_pause(resident: Resident) -> str:
    name = resident.preferred_name
    if resident.status == "stopped":
        return f"{name} has stopped all messages: there is nothing to pause."
    return f"{name} is not on the programme yet: there is nothing to pause."


def _pause_day(typed: str, now: datetime, zone: str) -> date | None:
    """The day a pause typed in the admin ends: YYYY-MM-DD as a date field sends it, or
    DD/MM/YYYY as typed where the browser shows a plain text box."""
    if not typed:
        return None
    day = _typed_date(typed)
    if day is None:
        raise Invalid("pause_until", "Give the day check-ins start again, such as 14/12/2026.")
    today = now.astimezone(ZoneInfo(zone)).date()
    if day <= today:
        raise Invalid(
            "pause_until", "The pause must end after today; leave the day blank for no end."
        )
    if day > today + LONGEST_PAUSE:
        raise Invalid("pause_until", "A pause can end at most a year from today.")
    return day


def _typed_date(typed: str) -> date | None:
    try:
        return date.fromisoformat(typed)
    except ValueError:
        pass
    try:
        return datetime.strptime(typed, "%d/%m/%Y").date()
    except ValueError:
        return None


def quiet_hours_of(resident: Resident) -> tuple[time, time]:
    """The resident's quiet hours, as wall-clock times."""
    return time.fromisoformat(resident.quiet_start), time.fromisoformat(resident.quiet_end)


def in_a_sentence(words: str) -> str:
    """A rhythm's description inside a sentence: "Every Tuesday" as "every Tuesday"."""
    return words[:1].lower() + words[1:]
