"""This module finds what the admin's web chat page shows: the residents who can be spoken as
through web chat, and the newest part of one resident's conversation."""

from __future__ import annotations

import aiosqlite

from storage import rows
from storage.records import Message, Resident


async def webchat_residents(db: aiosqlite.Connection) -> list[Resident]:
    """Residents with a web chat identity (people not known yet are left out), by name."""
    async with db.execute(
        "SELECT r.* FROM residents AS r"
        " WHERE r.status != 'unknown' AND EXISTS ("
        "  SELECT 1 FROM identities AS i WHERE i.resident_id = r.id AND i.channel = 'webchat')"
    ) as cursor:
        found = [rows.resident(row) for row in await cursor.fetchall()]
    # Names are sealed, so they are put in order here rather than by SQL.
    return sorted(found, key=lambda resident: (resident.preferred_name, resident.id))


async def latest_messages(
    db: aiosqlite.Connection, resident_id: int, limit: int = 60
) -> list[Message]:
    """The resident's newest `limit` messages, oldest first."""
    async with db.execute(
        "SELECT * FROM (SELECT * FROM messages WHERE resident_id = ? ORDER BY id DESC LIMIT ?)"
        " ORDER BY id",
        (resident_id, limit),
    ) as cursor:
        return [rows.message(row) for row in await cursor.fetchall()]
