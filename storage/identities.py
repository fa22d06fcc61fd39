"""This module stores how residents and people are reached: numbers, chats and web chat ids.

An address is stored sealed, with its keyed hash beside it (`address_hash`), so that the
sender of an inbound message is still found through the unique index on (channel,
address_hash), under every key in the ring while a rotation is under way."""

from __future__ import annotations

import aiosqlite

from storage import rows, sealing
from storage.records import Identity


async def add_identity(
    db: aiosqlite.Connection,
    channel: str,
    address: str,
    *,
    resident_id: int | None = None,
    person_id: int | None = None,
) -> Identity:
    cursor = await db.execute(
        "INSERT INTO identities (channel, address, address_hash, resident_id, person_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        (
            channel,
            sealing.seal(address),
            sealing.lookup_hash(address),
            resident_id,
            person_id,
            rows.now_text(),
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    return rows.identity(row)


#: Finds an address by its hash under each key in the ring (one or two during a rotation).
FIND_SQL = "SELECT * FROM identities WHERE channel = ? AND address_hash IN ({})"


async def find_identity(db: aiosqlite.Connection, channel: str, address: str) -> Identity | None:
    hashes = sealing.lookup_hashes(address)
    async with db.execute(
        FIND_SQL.format(", ".join("?" for _ in hashes)), (channel, *hashes)
    ) as cursor:
        row = await cursor.fetchone()
    return rows.identity(row) if row else None


async def identities_of_resident(db: aiosqlite.Connection, resident_id: int) -> list[Identity]:
    async with db.execute(
        "SELECT * FROM identities WHERE resident_id = ? ORDER BY id", (resident_id,)
    ) as cursor:
        return [rows.identity(row) for row in await cursor.fetchall()]


async def set_opted_out(db: aiosqlite.Connection, identity_id: int, opted_out: bool) -> None:
    await db.execute(
        "UPDATE identities SET opted_out_at = ? WHERE id = ?",
        (rows.now_text() if opted_out else None, identity_id),
    )


async def set_reachable(db: aiosqlite.Connection, identity_id: int, reachable: bool) -> None:
    await db.execute(
        "UPDATE identities SET reachable = ? WHERE id = ?", (int(reachable), identity_id)
    )


async def identity_of(
    db: aiosqlite.Connection,
    channel: str,
    *,
    resident_id: int | None = None,
    person_id: int | None = None,
) -> Identity | None:
    """A resident's or a person's address on one channel, if they have one."""
    async with db.execute(
        "SELECT * FROM identities WHERE channel = ? AND resident_id IS ? AND person_id IS ?"
        " ORDER BY id DESC LIMIT 1",
        (channel, resident_id, person_id),
    ) as cursor:
        row = await cursor.fetchone()
    return rows.identity(row) if row else None


async def assign_identity(
    db: aiosqlite.Connection,
    identity_id: int,
    *,
    resident_id: int | None = None,
    person_id: int | None = None,
) -> None:
    """Give an address to someone else (a chat first seen as unknown, now linked): it starts
    afresh, reachable and not opted out."""
    await db.execute(
        "UPDATE identities SET resident_id = ?, person_id = ?, reachable = 1, opted_out_at = NULL"
        " WHERE id = ?",
        (resident_id, person_id, identity_id),
    )


async def remove_identity(db: aiosqlite.Connection, identity_id: int) -> None:
    await db.execute("DELETE FROM identities WHERE id = ?", (identity_id,))
