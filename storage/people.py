"""This module stores the programme's people: catalysts, staff and buddies, and residents.

Names are stored sealed (storage/sealing.py) and opened in storage/rows.py."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows, sealing
from storage.records import Person, Resident


@dataclass(frozen=True, slots=True)
class NewResident:
    preferred_name: str
    first_name: str
    full_name: str
    language: str = "en"
    time_zone: str = "Europe/London"
    quiet_start: str = "20:00"
    quiet_end: str = "09:00"
    catalyst_id: int | None = None
    interests: str = ""
    status: str = "active"


async def add_person(
    db: aiosqlite.Connection,
    role: str,
    first_name: str,
    full_name: str,
    email: str | None = None,
    alert_channel: str | None = None,
) -> Person:
    cursor = await db.execute(
        "INSERT INTO people (role, first_name, full_name, email, alert_channel, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        (
            role,
            sealing.seal(first_name),
            sealing.seal(full_name),
            email,
            alert_channel,
            rows.now_text(),
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    return rows.person(row)


async def get_person(db: aiosqlite.Connection, person_id: int) -> Person | None:
    async with db.execute("SELECT * FROM people WHERE id = ?", (person_id,)) as cursor:
        row = await cursor.fetchone()
    return rows.person(row) if row else None


async def list_people(db: aiosqlite.Connection, role: str | None = None) -> list[Person]:
    sql = "SELECT * FROM people"
    params: tuple[object, ...] = ()
    if role is not None:
        sql, params = sql + " WHERE role = ?", (role,)
    async with db.execute(sql + " ORDER BY id", params) as cursor:
        return [rows.person(row) for row in await cursor.fetchall()]


async def add_resident(db: aiosqlite.Connection, new: NewResident) -> Resident:
    now = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO residents (preferred_name, first_name, full_name, language, time_zone,"
        " quiet_start, quiet_end, catalyst_id, interests, status, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (
            sealing.seal(new.preferred_name),
            sealing.seal(new.first_name),
            sealing.seal(new.full_name),
            new.language,
            new.time_zone,
            new.quiet_start,
            new.quiet_end,
            new.catalyst_id,
            new.interests,
            new.status,
            now,
            now,
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    return rows.resident(row)


async def get_resident(db: aiosqlite.Connection, resident_id: int) -> Resident | None:
    async with db.execute("SELECT * FROM residents WHERE id = ?", (resident_id,)) as cursor:
        row = await cursor.fetchone()
    return rows.resident(row) if row else None


async def list_residents(
    db: aiosqlite.Connection, catalyst_id: int | None = None
) -> list[Resident]:
    sql = "SELECT * FROM residents"
    params: tuple[object, ...] = ()
    if catalyst_id is not None:
        sql, params = sql + " WHERE catalyst_id = ?", (catalyst_id,)
    async with db.execute(sql + " ORDER BY id", params) as cursor:
        return [rows.resident(row) for row in await cursor.fetchall()]


#: Resident fields a flow or the API may change.
UPDATABLE = (
    "preferred_name",
    "language",
    "interests",
    "time_zone",
    "quiet_start",
    "quiet_end",
    "catalyst_id",
    "status",
    "paused_until",
)


#: Resident fields stored sealed.
SEALED = ("preferred_name", "first_name", "full_name")


async def update_resident(db: aiosqlite.Connection, resident_id: int, **fields: object) -> None:
    unknown = set(fields) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"Resident fields {sorted(unknown)} cannot be changed.")
    if not fields:
        return
    fields = {
        name: sealing.seal(str(value)) if name in SEALED and value is not None else value
        for name, value in fields.items()
    }
    assignments = ", ".join(f"{name} = ?" for name in fields)
    await db.execute(
        f"UPDATE residents SET {assignments}, updated_at = ? WHERE id = ?",
        (*fields.values(), rows.now_text(), resident_id),
    )


async def set_alert_channel(db: aiosqlite.Connection, person_id: int, channel: str | None) -> None:
    """How a person wants alerts: 'sms', 'telegram', or None for none (the admin only)."""
    await db.execute("UPDATE people SET alert_channel = ? WHERE id = ?", (channel, person_id))
