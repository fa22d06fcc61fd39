"""This module finds residents whose pause has ended, through the residents_pause_ends index
(only paused residents with an end are in it), so the resume sweep costs what is due."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows


async def pauses_ended(db: aiosqlite.Connection, now: datetime, limit: int) -> list[int]:
    """Ids of paused residents whose pause ends by `now`, soonest first."""
    async with db.execute(
        "SELECT id FROM residents INDEXED BY residents_pause_ends"
        " WHERE status = 'paused' AND paused_until IS NOT NULL AND paused_until <= ?"
        " ORDER BY paused_until LIMIT ?",
        (rows.now_text(now), limit),
    ) as cursor:
        return [int(row["id"]) for row in await cursor.fetchall()]
