"""This module contains starting a check-in: the flow of the resident's schedule (or the weekly
check-in) on the best channel they can be reached on, recorded as a `checkins` row that waits
for an answer. The sweep starts one on each slot; staff can start one now, outside the rhythm.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.context import LAST, last_time
from bot.conversations import Conversations, Route, preferred_route
from bot.services.checkin_ladder import first_rung_at
from bot.services.errors import Conflict
from bot.services.lookups import resident_or_not_found
from bot.services.schedules import DEFAULT_FLOW
from bot.services.unit import Tx, reading, writing
from storage import checkins, schedules, sessions
from storage.database import Database
from storage.records import Checkin, Resident


@dataclass(frozen=True, slots=True)
class StartedCheckin:
    flow: str
    channel: str
    #: Ids of the messages queued for the resident.
    messages: list[int]


@dataclass(frozen=True, slots=True)
class Due:
    """What a check-in starts from: its flow, when it fell due (UTC), and its schedule's slot."""

    flow: str
    due_at: datetime
    schedule_id: int | None = None
    #: Where the rhythm had put it when quiet hours moved it.
    moved_from: datetime | None = None


async def begin(
    tx: aiosqlite.Connection,
    conversations: Conversations,
    resident: Resident,
    route: Route,
    due: Due,
    *,
    started_by: str,
) -> list[int]:
    """Start the check-in's conversation and record it waiting; the message ids queued.

    The conversation keeps how the last answered check-in went (`last`), as it was when this
    one began, for "Last week you said your knee was bad".

    A flow that ends at once (it asks nothing) is recorded `ended`: nothing waits for a reply.
    """
    started_at = conversations.clock.now()
    last = await last_time(tx, resident, started_at)
    queued = await conversations.start(
        tx, resident, due.flow, route, {LAST: last}, started_by=started_by
    )
    session = await sessions.waiting_session(tx, resident.id)
    await checkins.record(
        tx,
        resident_id=resident.id,
        flow_id=due.flow,
        due_at=due.due_at,
        status="waiting" if session else "ended",
        schedule_id=due.schedule_id,
        session_id=session.id if session else None,
        started_at=started_at,
        moved_from=due.moved_from,
        channel=route.channel,
        next_rung_at=first_rung_at(resident, started_at, conversations.programme)
        if session
        else None,
    )
    return queued


class Checkins:
    def __init__(
        self, db: Database, conversations: Conversations, wake: Callable[[], None]
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.wake = wake

    async def history(self, resident_id: int) -> list[Checkin]:
        """Every check-in of the resident that fell due, oldest first (NotFound for no one)."""
        async with reading(self.db) as conn:
            resident = await resident_or_not_found(conn, resident_id)
            return await checkins.history(conn, resident.id)

    async def start_now(self, resident_id: int, tx: Tx | None = None) -> StartedCheckin:
        async with writing(self.db, tx) as work:
            resident = await resident_or_not_found(work, resident_id)
            route = await preferred_route(work, resident.id)
            if route is None:
                raise Conflict(f"{resident.preferred_name} has no channel we can reach.")
            schedule = await schedules.checkin_schedule(work, resident.id)
            flow = schedule.flow_id if schedule else DEFAULT_FLOW
            due = Due(flow, self.conversations.clock.now(), schedule.id if schedule else None)
            queued = await begin(work, self.conversations, resident, route, due, started_by="staff")
        # With the caller's transaction the messages are sent once it commits; the dispatcher
        # also looks for due messages on its own, so an early wake loses nothing.
        self.wake()
        return StartedCheckin(flow, route.channel, queued)
