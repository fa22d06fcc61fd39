"""This module reads residents' past check-ins for the catalyst: a few weeks of them for a whole
page of the residents list in one query, and one resident's history with their own words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage import rows
from storage.checkins import checkin
from storage.records import Checkin


@dataclass(frozen=True, slots=True)
class CheckinMark:
    """A check-in as the row of coloured days needs it: no words, nothing sealed to open."""

    resident_id: int
    due_at: str
    status: str
    mood: str | None


async def marks_for(
    db: aiosqlite.Connection, resident_ids: Sequence[int], since: datetime
) -> dict[int, list[CheckinMark]]:
    """Each resident's check-ins due since `since`, oldest first, for a page of residents at
    once: one query through the checkins_resident index (resident, due time), not one per row.
    A resident with none is left out."""
    if not resident_ids:
        return {}
    marks: dict[int, list[CheckinMark]] = {}
    sql = (
        "SELECT resident_id, due_at, status, mood FROM checkins INDEXED BY checkins_resident"
        f" WHERE resident_id IN ({', '.join('?' for _ in resident_ids)}) AND due_at >= ?"
        " ORDER BY resident_id, due_at, id"
    )
    async with db.execute(sql, (*resident_ids, rows.now_text(since))) as cursor:
        for row in await cursor.fetchall():
            mark = CheckinMark(int(row[0]), row[1], row[2], row[3])
            marks.setdefault(mark.resident_id, []).append(mark)
    return marks


async def history_of(db: aiosqlite.Connection, resident_id: int, limit: int) -> list[Checkin]:
    """The resident's latest `limit` check-ins, newest first, with their words unsealed."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? ORDER BY due_at DESC, id DESC LIMIT ?",
        (resident_id, limit),
    ) as cursor:
        return [checkin(row) for row in await cursor.fetchall()]
