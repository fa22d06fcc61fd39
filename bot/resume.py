"""This module contains the resume sweep: a resident whose pause has run its course is active
again and hears from their catalyst ("Welcome back, Pat. It's Abby. I'll be in touch as usual:
every Tuesday at 10am."), as a routine message, so quiet hours hold it.

A pause ends at the first allowed moment of its last day on the resident's own clock (see
bot/services/pauses.py), so it ends at 09:00 there whether the clocks changed meanwhile or not.
"""

from __future__ import annotations

from bot.conversations import Conversations
from bot.services.pauses import resume_resident, say_welcome_back
from flows.engine import Clock
from storage import pauses, people
from storage.database import Database

BATCH = 500


class PauseEnds:
    def __init__(self, db: Database, conversations: Conversations, clock: Clock) -> None:
        self.db = db
        self.conversations = conversations
        self.clock = clock

    async def resume_ended_pauses(self) -> int:
        """Resume every resident whose pause has ended and say hello; return how many."""
        now = self.clock.now()
        resumed = 0
        while True:
            async with self.db.read() as conn:
                due = await pauses.pauses_ended(conn, now, BATCH)
            if not due:
                return resumed  # an idle sweep takes no write lock
            batch = 0
            async with self.db.write() as tx:
                for resident_id in due:
                    resident = await people.get_resident(tx, resident_id)
                    # Read again in the write: "I'm back" may have come in between.
                    if resident is None or resident.status != "paused":
                        continue
                    await resume_resident(tx, resident)
                    await say_welcome_back(tx, resident, self.conversations)
                    batch += 1
            resumed += batch
            if batch == 0:
                return resumed
