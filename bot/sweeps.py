"""This module contains the scheduler's sweeps: start due check-ins, wake waiting sessions, pass
urgent alerts nobody has acknowledged to the next person on the duty list.

Each sweep reads only what is due, through an index, so its cost follows the work due rather
than the number of residents. After downtime, a slot that fell due meanwhile runs once (its key
is recorded) and the schedule moves on to its next slot after now; none is replayed twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot import paging
from bot.conversations import Conversations, preferred_route
from bot.services.checkins import Due, begin
from bot.timing.checkin_slots import Slot, allowed_slot, clock_time, next_slot
from bot.timing.rhythm import Rhythm, next_due
from flows.engine import Clock, Timeout
from storage import checkins, consents, people, schedules, sessions
from storage.database import Database
from storage.records import Resident, Schedule

log = logging.getLogger(__name__)

BATCH = 500


class Sweeps:
    def __init__(
        self,
        db: Database,
        conversations: Conversations,
        clock: Clock,
        pass_on_after: timedelta = timedelta(minutes=10),
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.clock = clock
        self.pass_on_after = pass_on_after

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
        changed since it was set) is moved to when those end.
        """
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
        async with self.db.write() as tx:
            resident = await people.get_resident(tx, schedule.resident_id)
            if resident is not None and await self._moved_out_of_quiet(tx, schedule, resident, now):
                return 0
            following = _following_slot(schedule, resident, now)
            claimed = await schedules.claim_slot(
                tx,
                schedule,
                following.due_at if following else None,
                following.moved_from if following else None,
            )
            if not claimed or resident is None:
                return 0
            if schedule.kind != "checkin":
                if resident.status != "active":
                    return 0
                route = await preferred_route(tx, resident.id)
                if route is None:
                    return 0
                await self.conversations.start(
                    tx, resident, schedule.flow_id, route, started_by="schedule"
                )
                return 1
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
            route = await preferred_route(tx, resident.id)
            if route is None:
                return 0
            await begin(tx, self.conversations, resident, route, due, started_by="schedule")
        return 1

    async def _moved_out_of_quiet(
        self, tx: aiosqlite.Connection, schedule: Schedule, resident: Resident, now: datetime
    ) -> bool:
        """Move a check-in that would start in the resident's quiet hours to when they end."""
        if schedule.kind != "checkin":
            return False
        slot = allowed_slot(
            now,
            resident.time_zone,
            clock_time(resident.quiet_start),
            clock_time(resident.quiet_end),
        )
        if slot.moved_from is None:
            return False
        rhythm_had = _moment(schedule.moved_from) or _moment(schedule.next_due_at) or now
        await schedules.move_slot(tx, schedule.id, slot.due_at, rhythm_had)
        return True

    async def climb_ladders(self) -> int:
        """Take each check-in's escalation rung that is due (a reminder, the other channel, a
        missed check-in alert); return how many rungs were taken or held for quiet hours."""
        # Imported here, so that this sweep's few lines stand apart from the others'.
        from bot.services.checkin_ladder import climb
        from storage.checkin_ladder import any_due, due_rungs

        now = self.clock.now()
        climbed = 0
        while True:
            async with self.db.read() as conn:
                if not await any_due(conn, now):
                    return climbed  # an idle sweep takes no write lock
                due = await due_rungs(conn, now, BATCH)
            for row in due:
                async with self.db.write() as tx:
                    if await climb(tx, row.id, now, self.conversations.programme):
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


def _following_slot(schedule: Schedule, resident: Resident | None, now: datetime) -> Slot | None:
    """The next slot after both this one and now (missed slots are not replayed), moved out of
    the resident's quiet hours."""
    if schedule.rule is None or schedule.next_due_at is None:
        return None
    zone = resident.time_zone if resident else "Europe/London"
    starts = datetime.fromisoformat(schedule.starts_at).astimezone(ZoneInfo(zone))
    after = max(now, datetime.fromisoformat(schedule.next_due_at))
    rhythm = Rhythm(schedule.rule, zone, starts)
    if resident is None:
        due = next_due(rhythm, after)
        return Slot(due) if due else None
    return next_slot(
        rhythm, after, clock_time(resident.quiet_start), clock_time(resident.quiet_end)
    )


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
