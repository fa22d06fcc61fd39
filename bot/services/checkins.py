"""This module contains starting a check-in now, outside the resident's rhythm: the flow of
their schedule (or the weekly check-in), on the best channel they can be reached on."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.conversations import Conversations, preferred_route
from bot.services.errors import Conflict
from bot.services.lookups import resident_or_not_found
from bot.services.schedules import DEFAULT_FLOW
from bot.services.unit import Tx, writing
from storage import schedules
from storage.database import Database


@dataclass(frozen=True, slots=True)
class StartedCheckin:
    flow: str
    channel: str
    #: Ids of the messages queued for the resident.
    messages: list[int]


class Checkins:
    def __init__(
        self, db: Database, conversations: Conversations, wake: Callable[[], None]
    ) -> None:
        self.db = db
        self.conversations = conversations
        self.wake = wake

    async def start_now(self, resident_id: int, tx: Tx | None = None) -> StartedCheckin:
        async with writing(self.db, tx) as work:
            resident = await resident_or_not_found(work, resident_id)
            route = await preferred_route(work, resident.id)
            if route is None:
                raise Conflict(f"{resident.preferred_name} has no channel we can reach.")
            schedule = await schedules.checkin_schedule(work, resident.id)
            flow = schedule.flow_id if schedule else DEFAULT_FLOW
            queued = await self.conversations.start(work, resident, flow, route)
        # With the caller's transaction the messages are sent once it commits; the dispatcher
        # also looks for due messages on its own, so an early wake loses nothing.
        self.wake()
        return StartedCheckin(flow, route.channel, queued)
