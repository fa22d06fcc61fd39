"""This module stores a catalyst's calendar feed secret (only a keyed hash of it, in
people.calendar_secret_hash) and reads what the feed shows: the check-in schedules of the
catalyst's residents who are still being checked in on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage import rows
from storage.records import Person, Resident


@dataclass(frozen=True, slots=True)
class ScheduleSource:
    """One schedule of a resident, as the calendar expands it."""

    id: int
    resident_id: int
    #: 'checkin' (a rhythm) or 'followup' (a one-off).
    kind: str
    rule: str | None
    starts_at: str
    next_due_at: str | None
    #: Where the rhythm had put the next slot when quiet hours moved it (UTC), else None.
    moved_from: str | None


async def set_secret_hash(db: aiosqlite.Connection, person_id: int, secret_hash: str) -> None:
    """Keep `secret_hash` as the person's calendar key; the one before stops working."""
    await db.execute(
        "UPDATE people SET calendar_secret_hash = ? WHERE id = ?", (secret_hash, person_id)
    )


async def has_secret(db: aiosqlite.Connection, person_id: int) -> bool:
    async with db.execute(
        "SELECT calendar_secret_hash IS NOT NULL FROM people WHERE id = ?", (person_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return bool(row and row[0])


async def person_with_secret(
    db: aiosqlite.Connection, secret_hashes: Sequence[str]
) -> Person | None:
    """The active person whose calendar key hashes to one of `secret_hashes` (the key's hash
    under each sealing key, so a feed keeps working while keys rotate; index people_calendar)."""
    if not secret_hashes:
        return None
    marks = ", ".join("?" for _ in secret_hashes)
    async with db.execute(
        f"SELECT * FROM people WHERE calendar_secret_hash IN ({marks}) AND active = 1",
        tuple(secret_hashes),
    ) as cursor:
        row = await cursor.fetchone()
    return rows.person(row) if row else None


async def residents_in_calendar(db: aiosqlite.Connection, catalyst_id: int) -> list[Resident]:
    """The catalyst's residents who may have check-ins coming: active or paused."""
    async with db.execute(
        "SELECT * FROM residents WHERE catalyst_id = ? AND status IN ('active', 'paused')"
        " ORDER BY id",
        (catalyst_id,),
    ) as cursor:
        return [rows.resident(row) for row in await cursor.fetchall()]


async def schedules_in_calendar(db: aiosqlite.Connection, catalyst_id: int) -> list[ScheduleSource]:
    """The active schedules (rhythms and one-off follow-ups) of those residents."""
    async with db.execute(
        "SELECT s.id, s.resident_id, s.kind, s.rule, s.starts_at, s.next_due_at, s.moved_from"
        " FROM schedules AS s JOIN residents AS r ON r.id = s.resident_id"
        " WHERE r.catalyst_id = ? AND r.status IN ('active', 'paused') AND s.active = 1"
        " ORDER BY s.id",
        (catalyst_id,),
    ) as cursor:
        return [ScheduleSource(*row) for row in await cursor.fetchall()]
