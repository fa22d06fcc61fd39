"""This module contains the escalation ladder: what happens when a resident does not answer a
check-in, and what happens when they do.

A check-in that starts is recorded 'waiting' with the time its first rung is due
(`first_rung_at`). At each rung `climb` takes the rung: a reminder where the question went
("Just checking in again, Pat. How are you this week? ..."), the question on the resident's
other channel, then a "missed check-in" alert to the catalyst that says when they last replied
and how they were, urgent after several misses in a row. Whether anything should escalate is
checked at the moment each rung is due: nothing does for a resident who is paused, has turned
check-ins down, or has a safeguarding alert open, and a rung due in the resident's quiet hours
waits for them to end. The sweep takes many rungs at once the same way (bot.checkin_climbs,
with the pure pieces here); `climb` is the reference it is tested against.

When the resident answers (`conversation_turn`, called for every turn of a conversation) the
check-in is settled 'answered' with their mood and words and the ladder stops; any message
from a resident with a missed check-in alert open closes it and tells the catalyst "all clear"
(`all_clear`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, time
from zoneinfo import ZoneInfo

import aiosqlite

from bot.conversations import CHANNEL_ORDER
from bot.ladder_reminder import reminder_text
from bot.programme import Programme
from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.unit import Tx, reading, writing
from bot.timing.ladder import MISSED, OTHER_CHANNEL, REMINDER, Ladder, LadderError, parse_ladder
from bot.timing.quiet_hours import quiet_hours_end
from flows.durations import format_duration
from flows.engine import Sprint
from storage import (
    alerts,
    audit,
    checkin_ladder,
    checkins,
    consents,
    identities,
    messages,
    people,
    sessions,
)
from storage.database import Database
from storage.records import Checkin, Identity, Resident

#: Who closes a missed check-in alert when the resident replies.
CLOSED_BY = "companion"
#: How a saved mood reads in an alert.
MOOD_WORDS = {"good": "Good", "ok": "OK", "low": "Not so good"}
#: How many words an answer needs before it is kept as what the resident said.
WORDS_SAID = 4
#: The longest ladder the admin form takes, in characters.
MAX_LADDER = 200
#: How many check-ins back misses in a row are counted (more would not change the urgency).
LOOK_BACK = 50


def ladder_for(resident: Resident, programme: Programme) -> Ladder:
    """The resident's own ladder if they have one, else the programme's."""
    if resident.ladder:
        try:
            return parse_ladder(resident.ladder)
        except LadderError:
            pass  # checked when it was set; a rule changed since must not stop the ladder
    return parse_ladder(programme.checkin_ladder)


def first_rung_at(
    resident: Resident, started_at: datetime, programme: Programme
) -> datetime | None:
    """When the first rung of a check-in that began at `started_at` is due (UTC)."""
    step = ladder_for(resident, programme).step(0)
    return allowed_at(resident, started_at + step.wait) if step else None


def allowed_at(resident: Resident, moment: datetime) -> datetime:
    """`moment`, or the end of the resident's quiet hours if it falls in them."""
    return quiet_hours_end(
        moment, resident.time_zone, _clock(resident.quiet_start), _clock(resident.quiet_end)
    )


def _clock(text: str) -> time:
    return time.fromisoformat(text)


async def climb(
    tx: aiosqlite.Connection, checkin_id: int, now: datetime, programme: Programme
) -> str:
    """Take the check-in's rung that is due; return what happened, for logs and tests:
    "reminder", "other channel", "missed", "skipped" (no other channel), "held" (quiet hours),
    "stopped" (nothing escalates) or "" (nothing was due)."""
    row = await checkins.get(tx, checkin_id)
    if row is None or row.next_rung_at is None:
        return ""
    if row.status != "waiting":
        await checkin_ladder.move_rung(tx, row.id, row.rung, None)  # settled: nothing climbs
        return "stopped"
    if datetime.fromisoformat(row.next_rung_at) > now:
        return ""
    resident = await people.get_resident(tx, row.resident_id)
    if resident is None or resident.status != "active":
        status = "paused" if resident and resident.status == "paused" else "ended"
        await checkins.settle(tx, row.id, status)
        return "stopped"
    if not (await consents.current_consents(tx, resident.id))["checkins"]:
        await checkins.settle(tx, row.id, "declined")
        return "stopped"
    if await alerts.has_open_risk(tx, resident.id):
        # A person already has this resident in hand: the ladder stops, and an answer still
        # counts when it comes.
        await checkin_ladder.move_rung(tx, row.id, row.rung, None)
        return "stopped"
    began = row.started_at or row.due_at
    if await checkin_ladder.wrote_since(tx, resident.id, began):
        # They have been in touch since the question went (in other words than an answer to
        # it, or it would be settled): they are not silent, so nothing escalates.
        await checkins.settle(tx, row.id, "ended")
        return "stopped"
    allowed = allowed_at(resident, now)
    if allowed > now:
        await checkin_ladder.move_rung(tx, row.id, row.rung, allowed)
        return "held"
    ladder = ladder_for(resident, programme)
    # A ladder shortened while this check-in climbed it goes straight to its last rung.
    step = ladder.step(row.rung) or ladder.steps[-1]
    if step.rung == MISSED:
        await _raise_missed(tx, resident, row, now, programme)
        return MISSED
    done = await _ask_again(tx, resident, row, step.rung)
    following = ladder.step(row.rung + 1)
    await checkin_ladder.move_rung(
        tx, row.id, row.rung + 1, now + following.wait if following else None
    )
    return step.rung if done else "skipped"


async def _ask_again(tx: aiosqlite.Connection, resident: Resident, row: Checkin, rung: str) -> bool:
    """Ask the question again, where the rung says; False when there is nowhere to send it."""
    session = await sessions.get_session(tx, row.session_id) if row.session_id else None
    if session is None or session.status != "waiting":
        return False  # the conversation ended another way: there is no question to repeat
    question = await checkin_ladder.last_question(tx, resident.id, session.id)
    if question is None:
        return False
    usable = usable_channels(await identities.identities_of_resident(tx, resident.id))
    there = rung_route(rung, usable, row.channel or question.channel)
    if there is None:
        return False
    await messages.queue_outbound(
        tx,
        channel=there.channel,
        address=there.address,
        body=asked_again(rung, question.body, resident, session.state.get("language")),
        purpose=question.purpose,
        routine=True,
        resident_id=resident.id,
        session_id=session.id,
        buttons=list(question.buttons),
    )
    return True


def rung_route(rung: str, usable: list[Identity], went_on: str) -> Identity | None:
    """Where a rung asks again: a reminder where the question went (or the best channel left),
    the other channel anywhere else; None when there is no such channel."""
    if rung == REMINDER:
        there = [i for i in usable if i.channel == went_on] or usable[:1]
    else:
        assert rung == OTHER_CHANNEL
        there = [i for i in usable if i.channel != went_on][:1]
    return there[0] if there else None


def asked_again(rung: str, question: str, resident: Resident, language: object) -> str:
    """The words a rung sends: a reminder reads as one, in the conversation's `language`; on
    the other channel the question as it was last asked."""
    if rung != REMINDER:
        return question
    return reminder_text(
        question, resident.preferred_name, language if isinstance(language, str) else "en"
    )


def usable_channels(found: list[Identity]) -> list[Identity]:
    """The resident's channels we may write to, best first."""
    usable = [i for i in found if i.reachable and i.opted_out_at is None]
    return sorted(
        usable, key=lambda i: CHANNEL_ORDER.index(i.channel) if i.channel in CHANNEL_ORDER else 9
    )


async def _raise_missed(
    tx: aiosqlite.Connection,
    resident: Resident,
    row: Checkin,
    now: datetime,
    programme: Programme,
) -> None:
    newest = await checkin_ladder.newest(tx, resident.id, LOOK_BACK)
    in_a_row = misses_in_a_row(row.id, [(earlier.id, earlier.status) for earlier in newest])
    last = await checkin_ladder.last_answered(tx, resident.id)
    alert = await alerts.alert_for(
        tx,
        resident,
        kind=checkin_ladder.MISSED_KIND,
        urgency=missed_urgency(in_a_row, programme),
        summary=missed_summary(resident, row, now, in_a_row, last),
    )
    await checkin_ladder.mark_missed(tx, row.id, row.rung + 1, alert.id)


def misses_in_a_row(checkin_id: int, newest: list[tuple[int, str]]) -> int:
    """How many check-ins in a row are missed, counting this one: `newest` is the resident's
    newest check-ins (id, status), newest first."""
    in_a_row = 1
    for earlier_id, status in newest:
        if earlier_id == checkin_id:
            continue
        if status != "missed":
            break
        in_a_row += 1
    return in_a_row


def missed_urgency(in_a_row: int, programme: Programme) -> str:
    return "urgent" if in_a_row >= programme.misses_for_urgent else "routine"


def missed_summary(
    resident: Resident, row: Checkin, now: datetime, in_a_row: int, last: Checkin | None
) -> str:
    """ "Pat hasn't answered Tuesday's check-in. Last reply 6 days ago; then: OK." `last` is
    their check-in answered most recently."""
    zone = ZoneInfo(resident.time_zone)
    day = datetime.fromisoformat(row.started_at or row.due_at).astimezone(zone)
    words = f"{resident.preferred_name} hasn't answered {day:%A}'s check-in."
    if in_a_row > 1:
        words += f" {in_a_row} missed in a row."
    if last is None or last.answered_at is None:
        return f"{words} No reply to a check-in yet."
    answered = datetime.fromisoformat(last.answered_at).astimezone(zone)
    days = (now.astimezone(zone).date() - answered.date()).days
    when = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
    words += f" Last reply {when}"
    if last.mood:
        words += f"; then: {MOOD_WORDS.get(last.mood, last.mood)}"
    return words + "."


async def conversation_turn(
    tx: aiosqlite.Connection,
    resident_id: int,
    session_id: int,
    sprint: Sprint,
    *,
    replied: bool,
    now: datetime,
) -> None:
    """After each turn of a conversation: a reply to a check-in settles it 'answered' (the
    ladder stops), with the mood the flow saved and the resident's own words; a check-in flow
    that ended 'missed' after its ladder stopped counts as missed."""
    row = await checkin_ladder.of_session(tx, resident_id, session_id)
    if row is None:
        return
    if replied and row.status in ("waiting", "missed", "ended", "answered"):
        mood, said = _answer(sprint.state)
        if row.status == "answered" and mood is None and said is None:
            return
        await checkin_ladder.mark_answered(tx, row.id, at=now, mood=mood, said=said)
    elif (
        sprint.ended
        and sprint.state.get("outcome") == "missed"
        # While rungs remain the ladder has the last word (it raises the missed alert).
        and row.status == "waiting"
        and row.next_rung_at is None
    ):
        await checkins.settle(tx, row.id, "missed")


def _answer(state: dict[str, object]) -> tuple[str | None, str | None]:
    """The mood the flow saved and the resident's words, if more than a bare choice."""
    results = state.get("results")
    found = results.get("mood") if isinstance(results, dict) else None
    if not isinstance(found, dict):
        return None, None
    value = found.get("value")
    mood = str(value) if value is not None else None
    typed = found.get("input")
    said = typed.strip() if isinstance(typed, str) and typed.strip() else None
    if said is not None and _bare(said, mood, str(found.get("label") or "")):
        said = None
    return mood, said


def _bare(said: str, mood: str | None, label: str) -> bool:
    """Whether the words are little more than the choice: "1", "Not so good", a thumbs up,
    "grand thanks love". Four words or more say something of their own ("my knee is bad")."""
    words = re.findall(r"[^\W_]+", said.casefold())
    return (
        not re.search(r"[^\W\d_]", " ".join(words))  # no letters at all: a number or an emoji
        or " ".join(words) in {(mood or "").casefold(), label.casefold()}
        or len(words) < WORDS_SAID
    )


async def all_clear(tx: aiosqlite.Connection, resident: Resident, at: datetime) -> int:
    """The resident is in touch: close their open missed check-in alerts and tell the catalyst
    all is clear (an alert of its own, so it reaches their phone too); how many were closed."""
    missed = await checkin_ladder.open_missed_alerts(tx, resident.id)
    if not missed:
        return 0
    clock = at.astimezone(ZoneInfo(resident.time_zone))
    note = f"All clear: {resident.preferred_name} replied at {clock:%H:%M}."
    for alert in missed:
        await alerts.close_alert(tx, alert.id, CLOSED_BY, note)
    references = ", ".join(f"A{alert.id}" for alert in missed)
    await alerts.alert_for(
        tx,
        resident,
        kind=checkin_ladder.ALL_CLEAR_KIND,
        urgency="routine",
        summary=f"{note} The missed check-in alert ({references}) is closed.",
    )
    return len(missed)


@dataclass(frozen=True, slots=True)
class LadderView:
    """A resident's escalation ladder as the admin shows it."""

    resident: Resident
    #: Their own ladder in staff's words, or None when they follow the programme's.
    own: str | None
    #: The programme's ladder (COMPANION_CHECKIN_LADDER), in the same words.
    programme: str
    #: The ladder that applies, one line per step, in plain words.
    steps: tuple[str, ...]


#: How each rung reads in the admin.
RUNG_WORDS = {
    REMINDER: "the question again, where the check-in went",
    OTHER_CHANNEL: "the question again on their other channel, if they have one",
    MISSED: "a missed check-in alert to their catalyst",
}


class CheckinLadders:
    """A resident's own escalation ladder, as the admin sets it (audited); blank follows the
    programme's. A catalyst sees and sets only their own residents'."""

    def __init__(self, db: Database, programme: Programme) -> None:
        self.db = db
        self.programme = programme

    async def view(self, viewer: Viewer, resident_id: int) -> LadderView:
        async with reading(self.db) as conn:
            resident = await resident_for_viewer(conn, viewer, resident_id)
        async with writing(self.db) as tx:
            await audit.record(tx, viewer.actor, "viewed", resident_subject(resident.id))
        return self._view(resident)

    async def set(
        self, viewer: Viewer, resident_id: int, typed: str, tx: Tx | None = None
    ) -> LadderView:
        """Set the resident's own ladder (blank: the programme's); Invalid, changing nothing,
        for one that cannot be read. The next rung of a check-in climbing now follows it."""
        words = " ".join(typed.split())
        if len(words) > MAX_LADDER:
            raise Invalid("ladder", f"That is too long: at most {MAX_LADDER} characters.")
        try:
            own = str(parse_ladder(words)) if words else None
        except LadderError as exc:
            raise Invalid("ladder", str(exc)) from None
        async with writing(self.db, tx) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            await checkin_ladder.set_resident_ladder(work, resident.id, own)
            await audit.record(
                work,
                viewer.actor,
                "set the check-in ladder",
                resident_subject(resident.id),
                ladder=own or "the programme's",
            )
        return self._view(replace(resident, ladder=own))

    def _view(self, resident: Resident) -> LadderView:
        ladder = ladder_for(resident, self.programme)
        steps = tuple(
            f"after {format_duration(step.wait)} more: {RUNG_WORDS[step.rung]}"
            if number
            else f"after {format_duration(step.wait)}: {RUNG_WORDS[step.rung]}"
            for number, step in enumerate(ladder.steps)
        )
        return LadderView(resident, resident.ladder, self.programme.checkin_ladder, steps)
