"""This module reads what storage holds about one resident that no other module reads whole:
every conversation (session) and schedule of theirs, when they were erased, and the
safeguarding record about them (through storage.safeguarding, which opens what it says). The
rest of an export is read through the modules that own each table (people, identities,
consents, messages, results, alerts, notes, audit)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiosqlite

from storage import rows, safeguarding
from storage.records import Schedule, Session


@dataclass(frozen=True, slots=True)
class SessionRow:
    session: Session
    outcome: str | None
    started_at: str
    updated_at: str


async def sessions_of(db: aiosqlite.Connection, resident_id: int) -> list[SessionRow]:
    """The resident's conversations, oldest first."""
    async with db.execute(
        "SELECT * FROM sessions WHERE resident_id = ? ORDER BY id", (resident_id,)
    ) as cursor:
        return [
            SessionRow(rows.session(row), row["outcome"], row["started_at"], row["updated_at"])
            for row in await cursor.fetchall()
        ]


async def schedules_of(db: aiosqlite.Connection, resident_id: int) -> list[Schedule]:
    """Every schedule of the resident's (check-ins and follow-ups), oldest first."""
    async with db.execute(
        "SELECT * FROM schedules WHERE resident_id = ? ORDER BY id", (resident_id,)
    ) as cursor:
        return [rows.schedule(row) for row in await cursor.fetchall()]


async def erased_at(db: aiosqlite.Connection, resident_id: int) -> str | None:
    """When the resident was erased, or None."""
    async with db.execute("SELECT erased_at FROM residents WHERE id = ?", (resident_id,)) as cursor:
        row = await cursor.fetchone()
    return row["erased_at"] if row else None


async def safeguarding_entries(db: aiosqlite.Connection, resident_id: int) -> list[dict[str, Any]]:
    """The safeguarding record about the resident, entry by entry, oldest first, as plain
    values (storage.safeguarding owns the table and opens what it says)."""
    return [
        {
            "alert_id": entry.alert_id,
            "at": entry.at,
            "event": entry.event,
            "actor": entry.actor,
            "detail": entry.detail,
        }
        for entry in await safeguarding.entries_for_resident(db, resident_id)
    ]
