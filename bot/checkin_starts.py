"""This module contains the sweep's fast way to start 100,000 check-ins due in the same minute,
in two steps, each a batch per transaction.

1. `queue_batch` claims each due slot (its key recorded in schedule_runs), moves its schedule on
   to the next slot (or moves a check-in out of quiet hours) and queues it (checkin_queue) with
   the channel it would go by now: a few statements per thousand slots, so all are claimed and
   queued within seconds.
2. `start_batch` starts a batch of what is queued (the sweep takes, oldest first, only as many as
   each channel can send soon: see Sweeps.start_queued_checkins), as starting one at a time would
   (Sweeps._run_slot): it records a paused or declined check-in, or begins the conversation and
   records it waiting; but it reads what the batch needs in a few statements, runs each flow's first
   turn in memory, and writes every conversation, message and check-in with one statement per table.
   Whether the resident is paused, has consented or can be reached is read here, at the start, not
   when the slot was claimed.

A check-in whose first turn does more than send messages and wait (saves a result, runs an
action, ends at once, hands over to another flow), a follow-up, or a second slot for the same
resident is started the ordinary way after the rest, inside a SAVEPOINT of its own; so is
nothing else. A flow that fails for one resident is logged and skipped (its slot claimed), and
never undoes the batch. Each step commits together: after a crash a slot is either still due or
still queued, and the next sweep runs each once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol
from zoneinfo import ZoneInfo

import aiosqlite

from bot.context import LAST, NO_LAST_TIME, context_of, last_time_of
from bot.conversations import CHANNEL_ORDER, SESSION, Conversations, Route
from bot.programme import Programme
from bot.services.checkin_ladder import first_rung_at
from bot.services.checkins import Due, begin
from bot.services.schedules import CHECKIN_PURPOSE
from bot.timing.checkin_slots import Slot, allowed_slot, clock_time, next_slot
from bot.timing.rhythm import Rhythm, next_due
from flows.engine import start
from flows.events import ActionRequested, ErrorEvent, FieldSet, MessageOut, ResultSaved
from storage import checkin_starts
from storage.checkin_starts import Begun, Claim, Outbound, Queued
from storage.database import savepoint
from storage.records import Checkin, Identity, Person, Resident, Schedule

log = logging.getLogger(__name__)

#: Where a slot of a resident that is gone is read (only to step the rhythm on).
FALLBACK_ZONE = "Europe/London"
#: Events of a first turn that only the ordinary way carries out.
_NEEDS_ORDINARY = (ResultSaved, FieldSet, ActionRequested)


@dataclass
class _Plan:
    """What a batch will write, slot by slot in order."""

    not_started: list[tuple[int, str, datetime, str, int | None, datetime | None]] = field(
        default_factory=list
    )
    begun: list[Begun] = field(default_factory=list)
    #: Started the ordinary way after the rest: (flow, resident, route, check-in or None).
    ordinary: list[tuple[str, Resident, Route, Due | None]] = field(default_factory=list)


async def start_batch(
    tx: aiosqlite.Connection,
    conversations: Conversations,
    batch: Sequence[Queued],
    now: datetime,
) -> int:
    """Start the check-ins and follow-ups of `batch` (slots the sweep claimed and queued) in
    `tx`, and take them off the queue; how many conversations began."""
    resident_ids = {slot.resident_id for slot in batch}
    residents = await checkin_starts.residents(tx, resident_ids)
    catalysts = await checkin_starts.people(
        tx, {r.catalyst_id for r in residents.values() if r.catalyst_id}
    )
    reach = await checkin_starts.identities(tx, resident_ids)
    agreed = await checkin_starts.consented(tx, resident_ids, "checkins")
    last = await checkin_starts.last_answered(tx, resident_ids)
    plan = _Plan()
    rungs = _Rungs(conversations.programme)
    # One moment for the batch's check-ins, so each kind of resident's first rung is worked out
    # once (the batch takes a fraction of a second).
    started_at = conversations.clock.now()
    # A resident with a follow-up due as well has all their slots started the ordinary way, in
    # order, so that whichever comes later is the conversation left waiting.
    started = {slot.resident_id for slot in batch if slot.kind != "checkin"}
    for slot in batch:
        resident = residents.get(slot.resident_id)
        if resident is None:
            continue
        route = _route(reach.get(resident.id, []))
        if slot.kind != "checkin":
            if resident.status == "active" and route is not None:
                again = asked_again(conversations, slot.flow_id, slot.schedule_id, slot.due_at, now)
                plan.ordinary.append((slot.flow_id, resident, route, again))
            continue
        due = Due(
            slot.flow_id, _moment(slot.due_at) or now, slot.schedule_id, _moment(slot.moved_from)
        )
        if resident.status == "paused" or (
            resident.status == "active" and resident.id not in agreed
        ):
            status = "paused" if resident.status == "paused" else "declined"
            plan.not_started.append(
                (resident.id, due.flow, due.due_at, status, due.schedule_id, due.moved_from)
            )
            continue
        if resident.status != "active" or route is None:
            continue
        if resident.id in started:
            plan.ordinary.append((slot.flow_id, resident, route, due))
            continue
        began = _first_turn(
            conversations,
            rungs,
            started_at,
            resident,
            catalysts.get(resident.catalyst_id) if resident.catalyst_id else None,
            last.get(resident.id),
            route,
            due,
        )
        started.add(resident.id)
        if began is None:
            plan.ordinary.append((slot.flow_id, resident, route, due))
        elif began is not False:
            plan.begun.append(began)
    await checkin_starts.unqueue(tx, [slot.id for slot in batch])
    await checkin_starts.record_not_started(tx, plan.not_started)
    await checkin_starts.begin_all(tx, plan.begun)
    count = len(plan.begun)
    for flow_id, resident, route, waiting_slot in plan.ordinary:
        count += await start_ordinary(tx, conversations, flow_id, resident, route, waiting_slot)
    return count


async def queue_batch(tx: aiosqlite.Connection, due: Sequence[Schedule], now: datetime) -> int:
    """Claim the slots of `due` (one sweep's batch) in `tx`: move each schedule on to its next
    slot and queue the slot to start (or move a check-in out of quiet hours); how many were
    queued. A slot already run (its key is recorded) is moved on and not queued again."""
    clocks = await checkin_starts.clocks(
        tx, {schedule.resident_id for schedule in due}, CHANNEL_ORDER
    )
    ran = await checkin_starts.already_run(
        tx, [(s.id, s.next_due_at) for s in due if s.next_due_at is not None]
    )
    moves: list[tuple[int, datetime, datetime]] = []
    claims: list[Claim] = []
    queue: list[tuple[int, int, str, str, str, str | None, str | None]] = []
    # Residents due together mostly share a rhythm: each next slot is worked out once.
    following_of = functools.lru_cache(maxsize=4096)(_following)
    for schedule in due:
        clock = clocks.get(schedule.resident_id)
        if clock is not None and schedule.kind == "checkin":
            moved = quiet_move(schedule, clock, now)
            if moved is not None:
                moves.append(moved)
                continue
        following = following_of(*_slot_facts(schedule, clock, now))
        assert schedule.next_due_at is not None
        claims.append(
            Claim(
                schedule.id,
                schedule.next_due_at,
                following.due_at if following else None,
                following.moved_from if following else None,
            )
        )
        if (schedule.id, schedule.next_due_at) in ran or clock is None:
            continue
        ran.add((schedule.id, schedule.next_due_at))
        queue.append(
            (
                schedule.id,
                schedule.resident_id,
                schedule.kind,
                schedule.flow_id,
                schedule.next_due_at,
                schedule.moved_from,
                clock.channel,
            )
        )
    await checkin_starts.move_slots(tx, moves)
    await checkin_starts.claim_slots(tx, claims)
    await checkin_starts.queue_slots(tx, queue)
    return len(queue)


class HasClock(Protocol):
    """A resident's time zone and quiet hours (a Resident, or just those: ResidentClock)."""

    @property
    def time_zone(self) -> str: ...
    @property
    def quiet_start(self) -> str: ...
    @property
    def quiet_end(self) -> str: ...


def following_slot(schedule: Schedule, resident: HasClock | None, now: datetime) -> Slot | None:
    """The next slot after both this one and now (missed slots are not replayed), moved out of
    the resident's quiet hours."""
    return _following(*_slot_facts(schedule, resident, now))


def _slot_facts(
    schedule: Schedule, resident: HasClock | None, now: datetime
) -> tuple[str | None, str, str | None, str, tuple[str, str] | None, datetime]:
    """What the next slot depends on, as `_following` takes it (hashable, for its cache)."""
    return (
        schedule.rule,
        schedule.starts_at,
        schedule.next_due_at,
        resident.time_zone if resident else FALLBACK_ZONE,
        (resident.quiet_start, resident.quiet_end) if resident else None,
        now,
    )


def _following(
    rule: str | None,
    starts_at: str,
    due_at: str | None,
    zone: str,
    quiet: tuple[str, str] | None,
    now: datetime,
) -> Slot | None:
    if rule is None or due_at is None:
        return None
    starts = datetime.fromisoformat(starts_at).astimezone(ZoneInfo(zone))
    after = max(now, datetime.fromisoformat(due_at))
    rhythm = Rhythm(rule, zone, starts)
    if quiet is None:
        due = next_due(rhythm, after)
        return Slot(due) if due else None
    return next_slot(rhythm, after, clock_time(quiet[0]), clock_time(quiet[1]))


def quiet_move(
    schedule: Schedule, resident: HasClock, now: datetime
) -> tuple[int, datetime, datetime] | None:
    """A check-in that would start now, in the resident's quiet hours (changed since it was
    set), moved to when they end: (schedule id, new time, where the rhythm had it)."""
    slot = _allowed_now(now, resident.time_zone, resident.quiet_start, resident.quiet_end)
    if slot.moved_from is None:
        return None
    had = _moment(schedule.moved_from) or _moment(schedule.next_due_at) or now
    return schedule.id, slot.due_at, had


@functools.lru_cache(maxsize=1024)
def _allowed_now(now: datetime, zone: str, quiet_start: str, quiet_end: str) -> Slot:
    # Residents due together share a few zones and quiet hours: each is looked at once.
    return allowed_slot(now, zone, clock_time(quiet_start), clock_time(quiet_end))


def _route(found: list[Identity]) -> Route | None:
    # As preferred_route: reachable, not opted out, best channel first.
    usable = [i for i in found if i.reachable and i.opted_out_at is None]
    usable.sort(key=lambda i: CHANNEL_ORDER.index(i.channel) if i.channel in CHANNEL_ORDER else 9)
    return Route(usable[0].channel, usable[0].address) if usable else None


def _first_turn(
    conversations: Conversations,
    rungs: _Rungs,
    started_at: datetime,
    resident: Resident,
    catalyst: Person | None,
    last: Checkin | None,
    route: Route,
    slot: Due,
) -> Begun | Literal[False] | None:
    """The check-in's first turn, run in memory as Conversations.start would run it: what to
    store (Begun); None when only the ordinary way can carry it out; False when the flow failed
    (logged; the slot is claimed and nothing starts, as the ordinary way's SAVEPOINT leaves it).
    """
    remembered = (
        last_time_of(
            last.mood, last.said, last.answered_at or last.due_at, resident.time_zone, started_at
        )
        if last is not None
        else dict(NO_LAST_TIME)
    )
    kept: dict[str, dict[str, Any]] = {LAST: remembered, SESSION: {"started_by": "schedule"}}
    context = context_of(resident, catalyst, conversations.programme, kept)
    try:
        sprint = start(conversations.flows, slot.flow, context=context, clock=conversations.clock)
    except Exception:
        log.exception("a due check-in could not start", extra={"flow": slot.flow})
        return False
    if not sprint.waiting or any(
        isinstance(event, _NEEDS_ORDINARY) or (isinstance(event, MessageOut) and event.reply)
        for event in sprint.events
    ):
        return None
    flow_id, revision = str(sprint.state["flow_id"]), int(sprint.state["revision"])
    purpose = conversations.purpose_of(flow_id, revision)
    messages = []
    for event in sprint.events:
        if isinstance(event, MessageOut):
            buttons = [{"label": b.label, "answer": b.answer} for b in event.buttons]
            messages.append(Outbound(route.channel, route.address, event.text, purpose, buttons))
        elif isinstance(event, ErrorEvent):
            log.warning(
                "flow error", extra={"flow": flow_id, "step": event.step, "code": event.code}
            )
    return Begun(
        resident_id=resident.id,
        flow_id=flow_id,
        revision=revision,
        state=sprint.state,
        context=kept,
        messages=messages,
        due_at=slot.due_at,
        schedule_id=slot.schedule_id,
        started_at=started_at,
        moved_from=slot.moved_from,
        channel=route.channel,
        next_rung_at=rungs.first_at(resident, started_at),
    )


class _Rungs:
    """The ladder's first rung, worked out once per kind of resident a batch holds: it depends
    only on their own ladder, time zone and quiet hours, and on when the check-in began."""

    def __init__(self, programme: Programme) -> None:
        self.programme = programme
        self.found: dict[tuple[object, ...], datetime | None] = {}

    def first_at(self, resident: Resident, started_at: datetime) -> datetime | None:
        key = (
            resident.ladder,
            resident.time_zone,
            resident.quiet_start,
            resident.quiet_end,
            started_at,
        )
        if key not in self.found:
            self.found[key] = first_rung_at(resident, started_at, self.programme)
        return self.found[key]


def asked_again(
    conversations: Conversations,
    flow_id: str,
    schedule_id: int | None,
    due_at: str | None,
    now: datetime,
) -> Due | None:
    """A follow-up that asks a check-in again ("later" said to one) is a check-in of its own:
    recorded, answered or missed, and climbing the ladder like any other. Other follow-ups
    are plain conversations (None)."""
    if conversations.purpose_of(flow_id) != CHECKIN_PURPOSE:
        return None
    return Due(flow_id, _moment(due_at) or now, schedule_id, None)


async def start_ordinary(
    tx: aiosqlite.Connection,
    conversations: Conversations,
    flow_id: str,
    resident: Resident,
    route: Route,
    slot: Due | None,
) -> int:
    """Start one slot the ordinary way, in a SAVEPOINT: a flow that fails is logged and skipped,
    and the rest of the batch stands."""
    try:
        async with savepoint(tx, "checkin_slot"):
            if slot is None:
                await conversations.start(tx, resident, flow_id, route, started_by="schedule")
            else:
                await begin(tx, conversations, resident, route, slot, started_by="schedule")
    except Exception:
        log.exception("a due check-in could not start", extra={"flow": flow_id})
        return 0
    return 1


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
