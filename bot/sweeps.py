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

from bot import paging
from bot.conversations import Conversations, preferred_route
from bot.timing.rhythm import Rhythm, next_due
from flows.engine import Clock, Timeout
from storage import consents, people, schedules, sessions
from storage.database import Database
from storage.records import Schedule

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
        """Start every check-in and follow-up that is due; return how many conversations began."""
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
            zone = resident.time_zone if resident else "Europe/London"
            if not await schedules.claim_slot(tx, schedule, _following_slot(schedule, zone, now)):
                return 0
            if resident is None or resident.status != "active":
                return 0
            if schedule.kind == "checkin":
                given = await consents.current_consents(tx, resident.id)
                if not given["checkins"]:
                    return 0
            route = await preferred_route(tx, resident.id)
            if route is None:
                return 0
            await self.conversations.start(
                tx, resident, schedule.flow_id, route, started_by="schedule"
            )
        return 1

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


def _following_slot(schedule: Schedule, zone: str, now: datetime) -> datetime | None:
    """The next slot after both this one and now (missed slots are not replayed)."""
    if schedule.rule is None or schedule.next_due_at is None:
        return None
    starts = datetime.fromisoformat(schedule.starts_at).astimezone(ZoneInfo(zone))
    after = max(now, datetime.fromisoformat(schedule.next_due_at))
    return next_due(Rhythm(schedule.rule, zone, starts), after)
