"""This module contains the resident setting the pace: not today, later, a call, a pause and the
return from it, and a rhythm less or more often (the pause itself, and the admin's pause form,
are bot/services/pauses.py).

Everything is honoured at once, in the transaction of the message (or the admin's form), and
answered warmly in the catalyst's name, in the resident's language where it has the words
(bot/triage/pace_replies.yaml; English otherwise), with times and days in it too. Nothing
here counts as a missed check-in: the waiting check-in is settled 'not_today', 'later' or
'paused', so the escalation ladder stops.

A call request ends nothing: "ring me" does not say how the resident is, so a waiting check-in
stays waiting (its reminder may still ask), and the catalyst's call alert says one is waiting.
The one exception is a check-in that has just asked "would you like a call?": the request is
its answer, so the conversation carries on as after "yes" (and books the call itself).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot.conversations import Conversations, Route
from bot.services.pauses import (
    current_rhythm,
    day_words,
    in_a_sentence,
    pause_resident,
    quiet_hours_of,
    resume_resident,
    speaker_words,
    welcome_back,
)
from bot.services.schedules import DEFAULT_FLOW
from bot.timing.pace_rhythm import propose, propose_named
from bot.timing.pace_time import (
    first_allowed_tomorrow,
    later_moment,
    pause_end,
    said_clock,
    said_time_tomorrow,
)
from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from bot.timing.rhythm import (
    MONTH_NAMES,
    Rhythm,
    describe,
    ordinal,
    time_of_day_words,
    wall_to_utc,
)
from bot.triage.pace import PaceKind, PaceRequest
from bot.triage.pace_replies import PaceVoice, voice_for
from bot.triage.pace_when import CLOCK, SAID_AS_MORNING
from flows.engine import Reply
from flows.types import AskKind, Branches
from storage import alerts, checkins, schedules, sessions
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
        return Honoured(await _words(call, _voice(call, "not_today"), "not_today"))
    # "Ask me tomorrow": the same question, at the same time of day, on the day they said.
    flow = _flow_of(row, session)
    await schedules.add_followup(tx, resident.id, flow, again)
    local = again.astimezone(ZoneInfo(resident.time_zone)).date()
    today = call.now.astimezone(ZoneInfo(resident.time_zone)).date()
    piece = "tomorrow_at" if local == today + timedelta(days=1) else "on_day_at"
    voice = _voice(call, "not_today_until", piece)
    when = voice.say(
        piece,
        time=voice.clock(again, resident.time_zone),
        day=voice.day(local),
        weekday=voice.weekday(local),
    )
    return Honoured(await _words(call, voice, "not_today_until", when=when))


def _asked_again_on(call: PaceCall, row: Checkin | None) -> datetime | None:
    """When "not today, ask me tomorrow" asks again: the time of day they said with the day
    ("tomorrow at 3"), or else the check-in's own, on that day, out of quiet hours; None when
    no day within the week was said."""
    resident = call.resident
    day = pause_end(call.request.until, call.now, resident.time_zone)
    today = call.now.astimezone(ZoneInfo(resident.time_zone)).date()
    if day is None or day - today > ASK_AGAIN_WITHIN:
        return None
    zone = ZoneInfo(resident.time_zone)
    asked = datetime.fromisoformat(row.due_at) if row is not None else call.now
    # At the time they said ("ask me tomorrow at 10am"), or the check-in's own time of day.
    at = said_clock(call.request.at) or asked.astimezone(zone).time()
    wall = datetime.combine(day, at.replace(second=0, microsecond=0))
    quiet_start, quiet_end = quiet_hours_of(resident)
    moment = wall_to_utc(wall, zone)
    return quiet_hours_end(moment, resident.time_zone, quiet_start, quiet_end)


async def _later(call: PaceCall) -> Honoured | None:
    tx, resident = call.tx, call.resident
    row, session = await _waiting_checkin(call)
    if row is None and session is None:
        return None  # "later" out of the blue is news, or an answer to someone
    flow = _flow_of(row, session)
    quiet_start, quiet_end = quiet_hours_of(resident)
    now = call.now
    zone, until = resident.time_zone, call.request.until
    moment = later_moment(until, now, zone, quiet_start, quiet_end)
    reply = "later"
    if moment is None and (named := said_time_tomorrow(until, now, zone, quiet_start, quiet_end)):
        # "ask me at 8am", said after 8am: at 8 tomorrow morning.
        moment, reply = named, "not_today_until"
    elif moment is None:
        moment = first_allowed_tomorrow(now, zone, quiet_start, quiet_end)
        reply = "later_tomorrow"
    moment = _round(moment, resident)
    await sessions.end_waiting(tx, resident.id, "later")
    await checkins.settle_waiting(tx, resident.id, "later")
    await schedules.add_followup(tx, resident.id, flow, moment)
    if reply == "not_today_until":
        voice = _voice(call, reply, "tomorrow_at")
        when = voice.say("tomorrow_at", time=voice.clock(moment, zone))
        return Honoured(await _words(call, voice, reply, when=when))
    voice = _voice(call, reply)
    return Honoured(await _words(call, voice, reply, when=voice.clock(moment, zone)))


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
        return Honoured(await _words(call, _voice(call, "paused"), "paused"))
    voice = _voice(call, "paused_until")
    day, weekday = voice.day(ends), voice.weekday(ends)
    return Honoured(await _words(call, voice, "paused_until", day=day, weekday=weekday))


async def _resume(call: PaceCall) -> Honoured:
    await resume_resident(call.tx, call.resident)
    await _tell_catalyst(
        call,
        "pace",
        f"{call.resident.preferred_name} is back and check-ins start again. "
        f"They said: {_quote(call)}",
    )
    return Honoured(await welcome_back(call.tx, call.resident, call.conversations))


async def _call(call: PaceCall) -> Honoured:
    tx, resident = call.tx, call.resident
    session = await sessions.waiting_session(tx, resident.id)
    if session is not None and _offers_call(call.conversations, session):
        # The check-in has just offered a call: this is its "yes".
        sent = await call.conversations.resume(tx, resident, session, Reply("yes"), call.route)
        return Honoured(None, tuple(sent))
    row, waiting = await _waiting_checkin(call)
    said = [_when_words(part) for part in (call.request.until, call.request.at) if part]
    when = f" ({' '.join(said)})" if said else ""
    summary = f"{resident.preferred_name} would like a call{when}. They said: {_quote(call)}"
    if row is not None or waiting is not None:
        summary += " (today's check-in is still waiting for an answer)"
    await _tell_catalyst(call, "call", summary)
    reply = "call" if resident.catalyst_id is not None else "call_team"
    return Honoured(await _words(call, _voice(call, reply), reply))


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
                "current": in_a_sentence(describe(current)),
                "proposed": in_a_sentence(describe(offered)),
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
    now_words = f" (now {in_a_sentence(describe(current))})" if current is not None else ""
    await _tell_catalyst(
        call,
        "pace",
        f"{resident.preferred_name} would like check-ins {change}{now_words}. "
        f"They said: {_quote(call)}",
    )
    reply = "more_often" if more else "less_often"
    return Honoured(await _words(call, _voice(call, reply), reply))


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


def _voice(call: PaceCall, *texts: str) -> PaceVoice:
    """The resident's language, if it has each of `texts`; English otherwise."""
    return voice_for(call.resident.language, *texts)


async def _words(call: PaceCall, voice: PaceVoice, text: str, **values: str) -> str:
    """The reply `text` to the resident, in `voice`, in their catalyst's name."""
    who = await speaker_words(call.tx, call.resident, call.conversations.programme, voice)
    return voice.say(text, name=call.resident.preferred_name, catalyst=who, **values)


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
        return f"on the {ordinal(int(until[4:]))}"
    if until.startswith("date:"):
        month, _, day = until[5:].partition("-")
        if month.isdigit() and day.isdigit() and 1 <= int(month) <= 12:
            return f"on {int(day)} {MONTH_NAMES[int(month) - 1]}"
    if until[:1].isdigit():
        return f"in {until}"
    if until in ("morning", "afternoon", "evening"):
        return f"this {until}"
    if until.startswith(CLOCK):
        hour, _, minute = until.removeprefix(CLOCK).removesuffix(SAID_AS_MORNING).partition(":")
        if hour.isdigit() and minute.isdigit():
            return f"at about {time_of_day_words(int(hour), int(minute))}"
    return until


def _quote(call: PaceCall) -> str:
    said = " ".join((call.request.words or call.text).split())
    if len(said) > QUOTED:
        said = said[: QUOTED - 1].rstrip() + "…"
    return f'"{said}"'


def _round(moment: datetime, resident: Resident) -> datetime:
    """Up to a round five minutes, or down where up would be in quiet hours."""
    step = ROUND_TO.total_seconds()
    up = datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, UTC)
    if in_quiet_hours(up, resident.time_zone, *quiet_hours_of(resident)):
        return datetime.fromtimestamp(math.floor(moment.timestamp() / step) * step, UTC)
    return up
