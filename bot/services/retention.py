"""This module contains the retention job: message texts older than the programme keeps them
(COMPANION_RETENTION_MONTHS, 12 by default) are removed, while every message's row stays so
the figures and delivery counts do not change.

It works in small batches, each its own short transaction, so the one writer is never held
for long and inbound messages go on being taken in while it runs. Each run that removed
something is written in the audit log as the system's work, with how many texts it removed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta

from bot.services.errors import Busy
from bot.services.unit import writing
from flows.engine import Clock
from storage import audit, retention
from storage.database import Database

log = logging.getLogger(__name__)

#: Messages one transaction changes: a few milliseconds of the writer's time.
BATCH = 500
#: How the audit log names work nobody asked for at the time.
SYSTEM = "system"
SUBJECT = "messages"


def removed_words(months: int) -> str:
    """What a message says once its text has gone."""
    return f"(removed after {months} months)"


@dataclass(frozen=True, slots=True)
class RetentionRun:
    removed: int
    #: Texts written before this time are removed, unless an open alert still needs them.
    cutoff: datetime
    months: int


class Retention:
    def __init__(self, db: Database, clock: Clock, months: int = 12) -> None:
        if months < 1:
            raise ValueError("Message texts must be kept for at least one month.")
        self.db = db
        self.clock = clock
        self.months = months

    def cutoff(self) -> datetime:
        return self.clock.now() - relativedelta(months=self.months)

    async def run(self, *, batch: int = BATCH) -> RetentionRun:
        """Remove every text older than the retention period; return how many went."""
        cutoff = self.cutoff()
        words = removed_words(self.months)
        removed = 0
        while True:
            async with writing(self.db) as tx:
                done = await retention.remove_old_texts(tx, before=cutoff, words=words, limit=batch)
                removed += done
            if done < batch:
                break
        async with writing(self.db) as tx:
            # Check-ins keep the resident's own words for "last time you said": as long as
            # message texts are kept, and no longer.
            words_removed = await retention.remove_old_checkin_words(tx, before=cutoff)
        if removed or words_removed:
            async with writing(self.db) as tx:
                await audit.record(
                    tx,
                    SYSTEM,
                    "removed old message texts",
                    SUBJECT,
                    removed=removed,
                    checkin_words=words_removed,
                    months=self.months,
                    before=cutoff.isoformat(),
                )
        return RetentionRun(removed, cutoff, self.months)

    async def run_job(self) -> None:
        """The scheduler's daily run (its result is in the audit log). A database held by
        other work (a backup) is left alone: what is left goes at the next run."""
        try:
            done = await self.run()
        except Busy:
            log.warning("old message texts were not removed: the database was busy")
            return
        log.info("old message texts removed", extra={"n": done.removed})
