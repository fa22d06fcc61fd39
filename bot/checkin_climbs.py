"""This module contains climbing a batch of due escalation rungs in one transaction: the ladder
sweep's fast way to take 100,000 reminders due in the same minute.

It does what climbing them one at a time does (bot.services.checkin_ladder.climb: stop the
ladder of a settled check-in, of a paused or withdrawn resident, of one with a safeguarding
alert open or who wrote since; hold a rung in quiet hours; ask again; raise the missed check-in
alert, urgent after misses in a row), but reads what the batch needs in a few statements,
decides in memory and writes with one statement per table.

A resident with more than one check-in in the batch has theirs climbed the ordinary way after
the rest, each inside a SAVEPOINT of its own; so is nothing else. A rung that fails the ordinary
way is logged and tried again after RETRY, and a batch that fails as a whole is undone and its
rungs climbed the ordinary way, so one bad check-in never holds up the others' ladders.
Everything commits together.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import aiosqlite

from bot.programme import Programme
from bot.services.checkin_ladder import (
    LOOK_BACK,
    allowed_at,
    asked_again,
    climb,
    ladder_for,
    missed_summary,
    missed_urgency,
    misses_in_a_row,
    rung_route,
    usable_channels,
)
from bot.timing.ladder import MISSED, REMINDER, Ladder
from storage import checkin_climbs, checkin_ladder, checkin_starts, messages
from storage.checkin_climbs import Missed
from storage.database import savepoint
from storage.messages import RoutineMessage
from storage.records import Checkin, Identity, Resident

log = logging.getLogger(__name__)

#: How long a rung that failed waits before it is tried again, so that one check-in that
#: cannot climb neither stops the sweep nor is tried again at once, forever.
RETRY = timedelta(minutes=15)


@dataclass
class _Plan:
    """What a batch will write."""

    moves: list[tuple[int, int, datetime | None]] = field(default_factory=list)
    settled: list[tuple[int, str]] = field(default_factory=list)
    #: Rungs that ask again: (check-in, resident, rung), worked out once their question is read.
    asks: list[tuple[Checkin, Resident, str]] = field(default_factory=list)
    #: Rungs that raise the missed alert: (check-in, resident).
    missed: list[tuple[Checkin, Resident]] = field(default_factory=list)
    #: Climbed the ordinary way after the rest.
    ordinary: list[int] = field(default_factory=list)


async def climb_batch(
    tx: aiosqlite.Connection, checkin_ids: Sequence[int], now: datetime, programme: Programme
) -> int:
    """Take the due rung of each of `checkin_ids` (one sweep's batch) in `tx`; how many rungs
    were taken or held (as `climb` counts them, a non-empty outcome). Should the batch fail as
    a whole, its writes are undone and each rung is taken the ordinary way instead."""
    try:
        async with savepoint(tx, "ladder_batch"):
            climbed = await _climb_together(tx, checkin_ids, now, programme)
    except Exception:
        log.exception("a batch of rungs could not be taken together; each is taken on its own")
        climbed = 0
        for checkin_id in checkin_ids:
            climbed += await climb_ordinary(tx, checkin_id, now, programme)
    return climbed


async def _climb_together(
    tx: aiosqlite.Connection, checkin_ids: Sequence[int], now: datetime, programme: Programme
) -> int:
    found = await checkin_climbs.checkins(tx, checkin_ids)
    due = [found[i] for i in checkin_ids if i in found]
    per_resident = Counter(row.resident_id for row in due)
    resident_ids = set(per_resident)
    residents = await checkin_starts.residents(tx, resident_ids)
    agreed = await checkin_starts.consented(tx, resident_ids, "checkins")
    risky = await checkin_climbs.with_open_risk(tx, resident_ids)
    wrote = await checkin_climbs.wrote_since(
        tx, [(row.id, row.resident_id, row.started_at or row.due_at) for row in due]
    )
    plan = _Plan()
    ladders: dict[str | None, Ladder] = {}
    allowed: dict[tuple[str, str, str], datetime] = {}
    climbed = 0
    for row in due:
        if row.next_rung_at is None:
            continue
        if per_resident[row.resident_id] > 1:
            plan.ordinary.append(row.id)
            continue
        if row.status != "waiting":
            plan.moves.append((row.id, row.rung, None))  # settled: nothing climbs
            climbed += 1
            continue
        if datetime.fromisoformat(row.next_rung_at) > now:
            continue
        climbed += 1
        resident = residents.get(row.resident_id)
        if resident is None or resident.status != "active":
            status = "paused" if resident and resident.status == "paused" else "ended"
            plan.settled.append((row.id, status))
        elif resident.id not in agreed:
            plan.settled.append((row.id, "declined"))
        elif resident.id in risky:
            plan.moves.append((row.id, row.rung, None))
        elif row.id in wrote:
            plan.settled.append((row.id, "ended"))
        else:
            # Residents due together share a few zones and quiet hours, and mostly one ladder.
            key = (resident.time_zone, resident.quiet_start, resident.quiet_end)
            if key not in allowed:
                allowed[key] = allowed_at(resident, now)
            if allowed[key] > now:
                plan.moves.append((row.id, row.rung, allowed[key]))
                continue
            if resident.ladder not in ladders:
                ladders[resident.ladder] = ladder_for(resident, programme)
            ladder = ladders[resident.ladder]
            # A ladder shortened while this check-in climbed it goes straight to its last rung.
            step = ladder.step(row.rung) or ladder.steps[-1]
            if step.rung == MISSED:
                plan.missed.append((row, resident))
                continue
            plan.asks.append((row, resident, step.rung))
            following = ladder.step(row.rung + 1)
            plan.moves.append((row.id, row.rung + 1, now + following.wait if following else None))
    reminders = await _reminders(tx, plan.asks)
    missed = await _missed(tx, plan.missed, now, programme)
    await checkin_climbs.settle(tx, plan.settled)
    await checkin_climbs.move_rungs(tx, plan.moves)
    await messages.queue_routine(tx, reminders)
    await checkin_climbs.raise_missed(tx, missed)
    for checkin_id in plan.ordinary:
        climbed += await climb_ordinary(tx, checkin_id, now, programme)
    return climbed


async def _reminders(
    tx: aiosqlite.Connection, asks: list[tuple[Checkin, Resident, str]]
) -> list[RoutineMessage]:
    """The messages of the rungs that ask again, where each has somewhere to go (as
    checkin_ladder._ask_again)."""
    if not asks:
        return []
    reach = await checkin_starts.identities(tx, {row.resident_id for row, _, _ in asks})
    hopeful: list[tuple[Checkin, int, Resident, str, list[Identity]]] = []
    for row, resident, rung in asks:
        usable = usable_channels(reach.get(resident.id, []))
        if row.session_id is None or (
            # Nowhere to send it (most often: no other channel): nothing more to read.
            row.channel is not None and rung_route(rung, usable, row.channel) is None
        ):
            continue
        hopeful.append((row, row.session_id, resident, rung, usable))
    waiting = await checkin_climbs.waiting(
        tx,
        [session_id for _, session_id, _, _, _ in hopeful],
        {session_id for _, session_id, _, rung, _ in hopeful if rung == REMINDER},
    )
    questions = await checkin_climbs.last_questions(
        tx,
        [
            (row.resident_id, session_id)
            for row, session_id, _, _, _ in hopeful
            if session_id in waiting
        ],
    )
    reminders = []
    for row, session_id, resident, rung, usable in hopeful:
        question = questions.get(session_id) if session_id in waiting else None
        if question is None:
            continue  # the conversation ended another way: there is no question to repeat
        there = rung_route(rung, usable, row.channel or question.channel)
        if there is None:
            continue
        reminders.append(
            RoutineMessage(
                resident_id=resident.id,
                session_id=session_id,
                channel=there.channel,
                address=there.address,
                body=asked_again(rung, question.body, resident, waiting[session_id]),
                purpose=question.purpose,
                buttons=question.buttons,
            )
        )
    return reminders


async def _missed(
    tx: aiosqlite.Connection,
    missed: list[tuple[Checkin, Resident]],
    now: datetime,
    programme: Programme,
) -> list[Missed]:
    """The missed check-in alerts to raise (as checkin_ladder._raise_missed)."""
    if not missed:
        return []
    resident_ids = {resident.id for _, resident in missed}
    newest = await checkin_climbs.newest_statuses(tx, resident_ids, LOOK_BACK)
    last = await checkin_climbs.last_answered(tx, resident_ids)
    raised = []
    for row, resident in missed:
        in_a_row = misses_in_a_row(row.id, newest.get(resident.id, []))
        raised.append(
            Missed(
                checkin_id=row.id,
                rung=row.rung + 1,
                resident_id=resident.id,
                catalyst_id=resident.catalyst_id,
                urgency=missed_urgency(in_a_row, programme),
                summary=missed_summary(resident, row, now, in_a_row, last.get(resident.id)),
            )
        )
    return raised


async def climb_ordinary(
    tx: aiosqlite.Connection, checkin_id: int, now: datetime, programme: Programme
) -> int:
    """Climb one rung the ordinary way, in a SAVEPOINT: one that fails is logged and tried again
    after RETRY, and the rest of the batch stands. 1 when a rung was taken or held."""
    try:
        async with savepoint(tx, "ladder_rung"):
            outcome = await climb(tx, checkin_id, now, programme)
    except Exception:
        log.exception("a check-in's rung could not be taken", extra={"checkin": checkin_id})
        row = await checkin_climbs.checkins(tx, [checkin_id])
        if checkin_id in row:
            await checkin_ladder.move_rung(tx, checkin_id, row[checkin_id].rung, now + RETRY)
        return 0
    return 1 if outcome else 0
