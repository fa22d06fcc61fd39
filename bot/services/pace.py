"""This module contains the resident setting the pace: not today, later, a call, a pause and the
return from it, and a rhythm less or more often; and the catalyst pausing or resuming check-ins
from the admin.

Everything is honoured at once, in the transaction of the message (or the admin's form), and
answered warmly in the catalyst's name. Nothing here counts as a missed check-in: the waiting
check-in is settled 'not_today', 'later' or 'paused', so the escalation ladder stops.

A call request ends nothing: "ring me" does not say how the resident is, so a waiting check-in
stays waiting (its reminder may still ask), and the catalyst's call alert says one is waiting.
The one exception is a check-in that has just asked "would you like a call?": the request is
its answer, so the conversation carries on as after "yes" (and books the call itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot import replies
from bot.context import speaker
from bot.conversations import Conversations, Route, preferred_route
from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.schedules import DEFAULT_FLOW
from bot.services.unit import Tx, reading, writing
from bot.timing.pace_rhythm import propose, propose_named
from bot.timing.pace_time import day_opens, first_allowed_tomorrow, later_moment, pause_end
from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from bot.timing.rhythm import DAY_NAMES, MONTH_NAMES, Rhythm, describe, wall_to_utc
from bot.triage.pace import PaceKind, PaceRequest
from flows.engine import Clock, Reply
from flows.types import AskKind, Branches
from storage import alerts, audit, checkins, messages, people, rows, schedules, sessions
from storage.database import Database
from storage.records import Checkin, Resident, Session

#: The built-in flow that asks the resident to confirm a new rhythm.
RHYTHM_FLOW = "rhythm_change"
#: The consent check-ins need, and the purpose of what pace sends unasked.
CHECKINS = "checkins"
#: A question a check-in saves under this name is an offer of a call.
CALL_ANSWER = "wants_call"
#: "at about 3pm": the follow-up is set on a round five minutes, so the words are honest.
ROUND_TO = timedelta(minutes=5)
#: "Not today, ask me on Friday" is honoured within the week; further is a pause.
ASK_AGAIN_WITHIN = timedelta(days=6)
#: The longest quote of the resident's own words an alert carries.
QUOTED = 120
#: The furthest ahead a catalyst may set a pause to end.
LONGEST_PAUSE = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Honoured:
    """What the pace stage does with a request: the reply to send (None when a conversation
    started or resumed already answered), and those conversation messages."""

    reply: str | None
    sent: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class PaceCall:
    """One pace request from a resident, in the message's transaction."""

    tx: aiosqlite.Connection
    resident: Resident
    request: PaceRequest
    #: The message as typed, for the catalyst when the request kept no words of its own.
    text: str
    message_id: int
    route: Route
    conversations: Conversations

    @property
    def now(self) -> datetime:
        return self.conversations.clock.now()


async def honour(call: PaceCall) -> Honoured | None:
    """Honour the request; None when it is not one here ("I'm back" from a resident who is not
    paused, "later" with no check-in waiting), so the message goes on to the next stage."""
    kind = call.request.kind
    if kind is PaceKind.RESUME:
        return await _resume(call) if call.resident.status == "paused" else None
    if kind is PaceKind.NOT_TODAY:
        return await _not_today(call)
    if kind is PaceKind.LATER:
        return await _later(call)
    if kind is PaceKind.PAUSE:
        return await _pause(call)
    if kind is PaceKind.CALL:
        return await _call(call)
    return await _rhythm(call, more=kind is PaceKind.MORE_OFTEN)


async def _not_today(call: PaceCall) -> Honoured:
    tx, resident = call.tx, call.resident
    row, session = await _waiting_checkin(call)
    await sessions.end_waiting(tx, resident.id, "not_today")
    await checkins.settle_waiting(tx, resident.id, "not_today")
    again = _asked_again_on(call, row)
    if again is None or (row is None and session is None):
        return Honoured(await _words(call, replies.NOT_TODAY))
    # "Ask me tomorrow": the same question, at the same time of day, on the day they said.
    flow = _flow_of(row, session)
    await schedules.add_followup(tx, resident.id, flow, again)
    local = again.astimezone(ZoneInfo(resident.time_zone)).date()
    today = call.now.astimezone(ZoneInfo(resident.time_zone)).date()
    day = "tomorrow" if local == today + timedelta(days=1) else f"on {DAY_NAMES[local.weekday()]}"
    when = f"{day} at about {clock_words(again, resident.time_zone)}"
    return Honoured(await _words(call, replies.NOT_TODAY_UNTIL, when=when))


def _asked_again_on(call: PaceCall, row: Checkin | None) -> datetime | None:
    """When "not today, ask me tomorrow" asks again: the check-in's time of day on that day,
    out of quiet hours; None when no day within the week was said."""
    resident = call.resident
    day = pause_end(call.request.until, call.now, resident.time_zone)
    today = call.now.astimezone(ZoneInfo(resident.time_zone)).date()
    if day is None or day - today > ASK_AGAIN_WITHIN:
        return None
    zone = ZoneInfo(resident.time_zone)
    asked = datetime.fromisoformat(row.due_at) if row is not None else call.now
    wall = datetime.combine(day, asked.astimezone(zone).time().replace(second=0, microsecond=0))
    quiet_start, quiet_end = _quiet(resident)
    moment = wall_to_utc(wall, zone)
    return quiet_hours_end(moment, resident.time_zone, quiet_start, quiet_end)


async def _later(call: PaceCall) -> Honoured | None:
    tx, resident = call.tx, call.resident
    row, session = await _waiting_checkin(call)
    if row is None and session is None:
        return None  # "later" out of the blue is news, or an answer to someone
    flow = _flow_of(row, session)
    quiet_start, quiet_end = _quiet(resident)
    now = call.now
    moment = later_moment(call.request.until, now, resident.time_zone, quiet_start, quiet_end)
    reply = replies.LATER
    if moment is None:
        moment = first_allowed_tomorrow(now, resident.time_zone, quiet_start, quiet_end)
        reply = replies.LATER_TOMORROW
    moment = _round(moment, resident)
    await sessions.end_waiting(tx, resident.id, "later")
    await checkins.settle_waiting(tx, resident.id, "later")
    await schedules.add_followup(tx, resident.id, flow, moment)
    return Honoured(await _words(call, reply, when=clock_words(moment, resident.time_zone)))


async def _pause(call: PaceCall) -> Honoured:
    tx, resident, request = call.tx, call.resident, call.request
    ends = pause_end(request.until, call.now, resident.time_zone)
    await sessions.end_waiting(tx, resident.id, "paused")
    await checkins.settle_waiting(tx, resident.id, "paused")
    await pause_resident(tx, resident, ends)
    name = resident.preferred_name
    if ends is not None:
        summary = f"{name} asked to pause check-ins until {day_words(ends)}"
    elif request.until:
        summary = f"{name} asked to pause check-ins until they say they're back ({request.until})"
    else:
        summary = f"{name} asked to pause check-ins until they say they're back"
    await _tell_catalyst(call, "pace", f"{summary}. They said: {_quote(call)}")
    if ends is None:
        return Honoured(await _words(call, replies.PAUSED))
    return Honoured(await _words(call, replies.PAUSED_UNTIL, day=day_words(ends)))


async def _resume(call: PaceCall) -> Honoured:
    await resume_resident(call.tx, call.resident)
    await _tell_catalyst(
        call,
        "pace",
        f"{call.resident.preferred_name} is back and check-ins start again. "
        f"They said: {_quote(call)}",
    )
    rhythm = await rhythm_words(call.tx, call.resident)
    if rhythm is None:
        return Honoured(await _words(call, replies.RESUMED))
    return Honoured(await _words(call, replies.WELCOME_BACK, rhythm=rhythm))


async def _call(call: PaceCall) -> Honoured:
    tx, resident = call.tx, call.resident
    session = await sessions.waiting_session(tx, resident.id)
    if session is not None and _offers_call(call.conversations, session):
        # The check-in has just offered a call: this is its "yes".
        sent = await call.conversations.resume(tx, resident, session, Reply("yes"), call.route)
        return Honoured(None, tuple(sent))
    row, waiting = await _waiting_checkin(call)
    when = f" ({_when_words(call.request.until)})" if call.request.until else ""
    summary = f"{resident.preferred_name} would like a call{when}. They said: {_quote(call)}"
    if row is not None or waiting is not None:
        summary += " (today's check-in is still waiting for an answer)"
    await _tell_catalyst(call, "call", summary)
    reply = replies.CALL if resident.catalyst_id is not None else replies.CALL_TEAM
    return Honoured(await _words(call, reply))


async def _rhythm(call: PaceCall, *, more: bool) -> Honoured:
    tx, resident = call.tx, call.resident
    change = "more often" if more else "less often"
    current = await current_rhythm(tx, resident)
    proposal = None
    if current is not None and call.request.rhythm:
        proposal = propose_named(current, call.request.rhythm, now=call.now)
    if current is not None and proposal is None:
        proposal = propose(current, more=more, now=call.now)
    if current is not None and proposal is not None:
        offered = Rhythm(proposal, resident.time_zone, current.starts_at)
        about = {
            "rhythm": {
                "current": _lower_first(describe(current)),
                "proposed": _lower_first(describe(offered)),
                "rule": proposal,
                "change": change,
            }
        }
        # The offer takes the place of a check-in still waiting: it ended, and was not missed.
        await checkins.settle_waiting(tx, resident.id, "ended")
        sent = await call.conversations.start(
            tx, resident, RHYTHM_FLOW, call.route, about, reply=True, started_by="pace"
        )
        return Honoured(None, tuple(sent))
    now_words = f" (now {_lower_first(describe(current))})" if current is not None else ""
    await _tell_catalyst(
        call,
        "pace",
        f"{resident.preferred_name} would like check-ins {change}{now_words}. "
        f"They said: {_quote(call)}",
    )
    return Honoured(await _words(call, replies.MORE_OFTEN if more else replies.LESS_OFTEN))


async def pause_resident(tx: aiosqlite.Connection, resident: Resident, ends: date | None) -> None:
    """Paused until the first allowed moment of `ends` on their clock, or until resumed."""
    quiet_start, quiet_end = _quiet(resident)
    until = day_opens(ends, resident.time_zone, quiet_start, quiet_end) if ends else None
    await people.update_resident(
        tx, resident.id, status="paused", paused_until=rows.now_text(until) if until else None
    )


async def resume_resident(tx: aiosqlite.Connection, resident: Resident) -> None:
    await people.update_resident(tx, resident.id, status="active", paused_until=None)


async def current_rhythm(tx: aiosqlite.Connection, resident: Resident) -> Rhythm | None:
    """The resident's check-in rhythm, if check-ins are set and still to come."""
    found = await schedules.checkin_schedule(tx, resident.id)
    if found is None or found.rule is None:
        return None
    starts = datetime.fromisoformat(found.starts_at)
    return Rhythm(found.rule, resident.time_zone, starts)


async def rhythm_words(tx: aiosqlite.Connection, resident: Resident) -> str | None:
    """Their rhythm as the resident reads it: "every Tuesday at 10am"."""
    rhythm = await current_rhythm(tx, resident)
    return _lower_first(describe(rhythm)) if rhythm is not None else None


async def welcome_back(
    tx: aiosqlite.Connection, resident: Resident, conversations: Conversations
) -> str:
    """The hello a resident gets when their pause ends: their catalyst, and their rhythm."""
    who = await speaker(tx, resident, conversations.programme)
    rhythm = await rhythm_words(tx, resident)
    template = replies.WELCOME_BACK if rhythm is not None else replies.RESUMED
    return template.format(
        name=resident.preferred_name, catalyst=who["first_name"], rhythm=rhythm or ""
    )


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


async def _waiting_checkin(call: PaceCall) -> tuple[Checkin | None, Session | None]:
    """The check-in waiting for the resident's answer: its row, and its conversation if that
    is a check-ins conversation."""
    row = await checkins.waiting(call.tx, call.resident.id)
    session = await sessions.waiting_session(call.tx, call.resident.id)
    if (
        session is not None
        and call.conversations.purpose_of(session.flow_id, session.revision) != CHECKINS
    ):
        session = None
    return row, session


def _flow_of(row: Checkin | None, session: Session | None) -> str:
    """The flow to run again: the waiting check-in's."""
    if row is not None:
        return row.flow_id
    return session.flow_id if session is not None else DEFAULT_FLOW


def _offers_call(conversations: Conversations, session: Session) -> bool:
    """Whether the conversation is waiting on a yes or no to a call."""
    flow = conversations.flows.get(session.flow_id, session.revision)
    step = flow.steps.get(str(session.state.get("step"))) if flow is not None else None
    if step is None or not isinstance(step.exit, Branches):
        return False
    ask = step.exit.ask
    return ask.kind is AskKind.YES_NO and ask.save_as == CALL_ANSWER


async def _words(call: PaceCall, template: str, **values: str) -> str:
    who = await speaker(call.tx, call.resident, call.conversations.programme)
    return template.format(name=call.resident.preferred_name, catalyst=who["first_name"], **values)


async def _tell_catalyst(call: PaceCall, kind: str, summary: str) -> None:
    await alerts.alert_for(
        call.tx,
        call.resident,
        kind=kind,
        urgency="routine",
        summary=summary,
        message_id=call.message_id,
    )


def _when_words(until: str) -> str:
    """When a resident would like something, for the catalyst: "2h" as "in 2h", "day:14" as
    "on the 14th", "date:12-14" as "on 14 December", "afternoon" as "this afternoon", a day
    word as it is."""
    if until.startswith("day:") and until[4:].isdigit():
        return f"on the {_ordinal(int(until[4:]))}"
    if until.startswith("date:"):
        month, _, day = until[5:].partition("-")
        if month.isdigit() and day.isdigit() and 1 <= int(month) <= 12:
            return f"on {int(day)} {MONTH_NAMES[int(month) - 1]}"
    if until[:1].isdigit():
        return f"in {until}"
    if until in ("morning", "afternoon", "evening"):
        return f"this {until}"
    return until


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _quote(call: PaceCall) -> str:
    said = " ".join((call.request.words or call.text).split())
    if len(said) > QUOTED:
        said = said[: QUOTED - 1].rstrip() + "…"
    return f'"{said}"'


def _quiet(resident: Resident) -> tuple[time, time]:
    return time.fromisoformat(resident.quiet_start), time.fromisoformat(resident.quiet_end)


def _round(moment: datetime, resident: Resident) -> datetime:
    """Up to a round five minutes, or down where up would be in quiet hours."""
    step = ROUND_TO.total_seconds()
    up = datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, UTC)
    if in_quiet_hours(up, resident.time_zone, *_quiet(resident)):
        return datetime.fromtimestamp(math.floor(moment.timestamp() / step) * step, UTC)
    return up


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]
