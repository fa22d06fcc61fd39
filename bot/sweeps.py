"""This module contains the scheduler's sweeps: start due check-ins, wake waiting sessions, pass
urgent alerts nobody has acknowledged to the next person on the duty list.

Each sweep reads only what is due, through an index, so its cost follows the work due rather
than the number of residents. After downtime, a slot that fell due meanwhile runs once (its key
is recorded) and the schedule moves on to its next slot after now; none is replayed twice.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from datetime import datetime, timedelta

import aiosqlite

from bot import paging
from bot.checkin_starts import (
    asked_again,
    following_slot,
    queue_batch,
    quiet_move,
    start_batch,
    start_ordinary,
)
from bot.conversations import Conversations, preferred_route
from bot.services.checkins import Due
from flows.engine import Clock, Timeout
from storage import checkin_starts, checkins, consents, people, schedules, sessions
from storage.database import Database
from storage.records import Resident, Schedule

log = logging.getLogger(__name__)

BATCH = 500
#: How many escalation rungs one write transaction takes (see `climb_ladders`).
RUNGS_PER_TRANSACTION = 25
#: Due check-ins claimed in one write transaction: large enough that 100,000 due in the same
#: minute are claimed within seconds, small enough that the write lock is held only briefly.
CHECKIN_BATCH = 1000
#: Queued check-ins started in one write transaction (each runs its flow's first turn): few
#: enough that a resident's reply, or a safety reply, waits for the write lock under 50 ms
#: (p99, tests/benchmarks/bench_sweeps.py) while 100,000 are being started.
STARTS_PER_TRANSACTION = 100
#: How far ahead of its channel a queued check-in starts: enough for the channel to send
#: without a gap between sweeps (every 10 s), little enough that the question is written just
#: before it goes, the ladder counts from about then, and the outbox holds minutes of routine
#: messages, not hours.
START_AHEAD = timedelta(minutes=2)


def start_ahead(per_second: Mapping[str, float]) -> dict[str, int]:
    """How many messages each paced channel may have waiting before queued check-ins for it
    wait too: START_AHEAD of sending at its rate limit."""
    seconds = START_AHEAD.total_seconds()
    return {channel: max(1, math.ceil(rate * seconds)) for channel, rate in per_second.items()}


class Sweeps:
    def __init__(
        self,
        db: Database,
        conversations: Conversations,
        clock: Clock,
        pass_on_after: timedelta = timedelta(minutes=10),
        *,
        checkin_batch: int = CHECKIN_BATCH,
        paced: Mapping[str, int] | None = None,
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.clock = clock
        self.pass_on_after = pass_on_after
        #: 1 starts each due check-in in a transaction of its own, the plain way (kept as the
        #: reference the batch is tested against).
        self.checkin_batch = checkin_batch
        #: How many messages each channel may have waiting to send before a queued check-in
        #: for it waits as well (start_ahead); None starts every queued check-in at once.
        self.paced = dict(paced) if paced is not None else None

    async def pass_on_unacknowledged(self) -> int:
        """Pass each urgent alert nobody has taken in time to the next person on the duty
        list; return how many were passed on."""
        now = self.clock.now()
        async with self.db.read() as conn:
            if not await paging.waiting_alerts(conn, now, self.pass_on_after):
                return 0  # an idle sweep takes no write lock
        async with self.db.write() as tx:
            return await paging.pass_on_waiting(tx, now, self.pass_on_after)

    async def start_due_checkins(self) -> int:
        """Start every check-in and follow-up that is due; return how many conversations began.

        A check-in that falls due while the resident is paused, or has withdrawn check-ins, is
        recorded as such and not started; one that would start in their quiet hours (they were
        changed since it was set) is moved to when those end. Due slots are claimed and queued,
        then started as their channels have room (`paced`), a batch per transaction
        (bot.checkin_starts); or each claimed and started in one transaction when
        checkin_batch is 1.
        """
        if self.checkin_batch <= 1:
            return await self._start_one_by_one()
        queued = await self.queue_due_checkins()
        return await self.start_queued_checkins(just_queued=queued > 0)

    async def queue_due_checkins(self) -> int:
        """Claim every due slot and queue it to start; return how many were queued."""
        now = self.clock.now()
        queued = 0
        while True:
            async with self.db.read() as conn:
                if not await schedules.due_schedules(conn, now, 1):
                    return queued  # an idle sweep takes no write lock
            async with self.db.write() as tx:
                # Taken inside the write, as the queue is (see start_queued_checkins): a read
                # with an old snapshot would show slots claimed a moment ago as still due.
                due = await schedules.due_schedules(tx, now, self.checkin_batch)
                if due:
                    queued += await queue_batch(tx, due, now)
            if len(due) < self.checkin_batch:
                return queued

    async def start_queued_checkins(self, *, just_queued: bool = False) -> int:
        """Start what is queued, oldest first (including any left by a crash), each only when
        its channel has room (`paced`); return how many conversations began. `just_queued`:
        the caller has queued some a moment ago.

        The queue is read inside each write: all reads share one connection, which keeps an
        old snapshot while any statement on it is part-way through, and could show slots a
        batch has just started (they must not start twice) or not yet show new ones. Only an
        idle sweep (nothing just queued) looks with a read first, to take no write lock."""
        now = self.clock.now()
        limit = min(self.checkin_batch, STARTS_PER_TRANSACTION)
        async with self.db.read() as conn:
            if not just_queued and not await checkin_starts.queued(conn, 1):
                return 0
            room = await self._room(conn, now)
            waits = room is not None and not just_queued
            if waits and not await checkin_starts.queued(conn, 1, room):
                return 0  # all wait for their channels: no write lock either
        started = 0
        while True:
            async with self.db.write() as tx:
                batch = await checkin_starts.queued(tx, limit, room)
                if batch:
                    started += await start_batch(tx, self.conversations, batch, now)
            if room is not None:
                for slot in batch:
                    if slot.channel in room:
                        room[slot.channel] -= 1
            if len(batch) < limit:
                return started

    async def _room(self, conn: aiosqlite.Connection, now: datetime) -> dict[str, int] | None:
        """How many more check-ins each paced channel can start: what it may have waiting,
        less what is in the outbox to go by it within START_AHEAD."""
        if self.paced is None:
            return None
        waiting = await checkin_starts.waiting_to_send(conn, now + START_AHEAD)
        return {channel: most - waiting.get(channel, 0) for channel, most in self.paced.items()}

    async def _start_one_by_one(self) -> int:
        now = self.clock.now()
        started = 0
        while True:
            async with self.db.read() as conn:
                due = await schedules.due_schedules(conn, now, BATCH)
            if not due:
                return started
            for schedule in due:
                started += await self._run_slot(schedule, now)

    async def _run_slot(self, schedule: Schedule, now: datetime) -> int:
        """Start one due slot in a transaction of its own, reading what it needs as it goes."""
        async with self.db.write() as tx:
            resident = await people.get_resident(tx, schedule.resident_id)
            if resident is not None and schedule.kind == "checkin":
                moved = quiet_move(schedule, resident, now)
                if moved is not None:
                    await schedules.move_slot(tx, *moved)
                    return 0
            following = following_slot(schedule, resident, now)
            claimed = await schedules.claim_slot(
                tx,
                schedule,
                following.due_at if following else None,
                following.moved_from if following else None,
            )
            if not claimed or resident is None:
                return 0
            route = await preferred_route(tx, resident.id)
            if schedule.kind != "checkin":
                if resident.status != "active" or route is None:
                    return 0
                again = asked_again(
                    self.conversations, schedule.flow_id, schedule.id, schedule.next_due_at, now
                )
                return await start_ordinary(
                    tx, self.conversations, schedule.flow_id, resident, route, again
                )
            due = Due(
                schedule.flow_id,
                _moment(schedule.next_due_at) or now,
                schedule.id,
                _moment(schedule.moved_from),
            )
            if resident.status == "paused":
                await _record_not_started(tx, resident, due, "paused")
                return 0
            if resident.status != "active":
                return 0
            if not (await consents.current_consents(tx, resident.id))["checkins"]:
                await _record_not_started(tx, resident, due, "declined")
                return 0
            if route is None:
                return 0
            return await start_ordinary(
                tx, self.conversations, schedule.flow_id, resident, route, due
            )

    async def climb_ladders(self, batch: int = 1000) -> int:
        """Take each check-in's escalation rung that is due (a reminder, the other channel, a
        missed check-in alert); return how many rungs were taken or held for quiet hours.

        Due rungs are climbed `batch` per transaction (bot.checkin_climbs), or one at a time
        through `climb`, 25 per transaction, when `batch` is 1 (kept as the reference the batch
        is tested against).
        """
        # Imported here, so that this sweep's few lines stand apart from the others'.
        from bot.checkin_climbs import climb_batch
        from bot.services.checkin_ladder import climb
        from storage.checkin_ladder import any_due, due_rung_ids

        now = self.clock.now()
        programme = self.conversations.programme
        climbed = 0
        while True:
            async with self.db.read() as conn:
                if not await any_due(conn, now):
                    return climbed  # an idle sweep takes no write lock
                due_ids = await due_rung_ids(conn, now, max(batch, BATCH))
            if batch > 1:
                # A batch per transaction: 100,000 rungs due together take seconds, and the
                # writer is held a fraction of a second at a time.
                for start in range(0, len(due_ids), batch):
                    async with self.db.write() as tx:
                        climbed += await climb_batch(
                            tx, due_ids[start : start + batch], now, programme
                        )
                continue
            # A few rungs per transaction: far quicker than one each, yet short enough that an
            # inbound message waits only briefly for the writer.
            for start in range(0, len(due_ids), RUNGS_PER_TRANSACTION):
                async with self.db.write() as tx:
                    for checkin_id in due_ids[start : start + RUNGS_PER_TRANSACTION]:
                        if await climb(tx, checkin_id, now, programme):
                            climbed += 1

    async def wake_sessions(self) -> int:
        """Send due reminders and take no-response branches; return how many sessions woke."""
        now = self.clock.now()
        woken = 0
        while True:
            async with self.db.read() as conn:
                due = await sessions.due_wakeups(conn, now, BATCH)
            if not due:
                return woken
            for session in due:
                async with self.db.write() as tx:
                    current = await sessions.get_session(tx, session.id)
                    resident = await people.get_resident(tx, session.resident_id)
                    route = await preferred_route(tx, session.resident_id)
                    if current is None or current.status != "waiting" or resident is None:
                        continue
                    if route is None:
                        await sessions.end_waiting(tx, resident.id, "unreachable")
                        continue
                    await self.conversations.resume(tx, resident, current, Timeout(), route)
                    woken += 1


async def _record_not_started(
    tx: aiosqlite.Connection, resident: Resident, due: Due, status: str
) -> None:
    await checkins.record(
        tx,
        resident_id=resident.id,
        flow_id=due.flow,
        due_at=due.due_at,
        status=status,
        schedule_id=due.schedule_id,
        moved_from=due.moved_from,
    )


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
