"""This module stores notes about residents: added, never changed, read newest first. A note's
text and its author's name are stored sealed (storage/sealing.py)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows, sealing


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    resident_id: int
    #: The name shown beside the note ("Abby Clarke").
    author: str
    #: The account as the audit log names it ("catalyst:abby").
    actor: str
    body: str
    at: str


def _note(row: aiosqlite.Row) -> Note:
    return Note(
        row["id"],
        row["resident_id"],
        sealing.unseal(row["author"]),
        row["actor"],
        sealing.unseal(row["body"]),
        row["at"],
    )


async def add_note(
    db: aiosqlite.Connection, resident_id: int, *, author: str, actor: str, body: str
) -> Note:
    cursor = await db.execute(
        "INSERT INTO resident_notes (resident_id, author, actor, body, at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING *",
        (resident_id, sealing.seal(author), actor, sealing.seal(body), rows.now_text()),
    )
    row = await cursor.fetchone()
    assert row is not None
    return _note(row)


async def notes_of(db: aiosqlite.Connection, resident_id: int, limit: int = 200) -> list[Note]:
    """A resident's notes, newest first."""
    async with db.execute(
        "SELECT * FROM resident_notes WHERE resident_id = ? ORDER BY id DESC LIMIT ?",
        (resident_id, limit),
    ) as cursor:
        return [_note(row) for row in await cursor.fetchall()]
