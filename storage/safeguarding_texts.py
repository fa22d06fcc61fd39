"""This module stores the safeguarding texts edited in the admin: phrases staff added to the risk
detector, the history of the fixed replies admins reworded, and the version counter that tells
the running detector to rebuild.

Every change bumps the counter in the caller's transaction (`bump`), so a reader that sees the
new phrase also sees the new version. A phrase's note, example and retiring note are sealed:
they may quote what a resident wrote. Patterns and replies are the programme's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows, sealing


@dataclass(frozen=True, slots=True)
class StoredPhrase:
    id: int
    kind: str
    language: str
    pattern: str
    urgency: str
    everyday: bool
    note: str
    example: str
    added_by: str
    added_at: str
    retired_by: str | None
    retired_at: str | None
    retired_note: str | None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@dataclass(frozen=True, slots=True)
class StoredReply:
    id: int
    kind: str
    language: str
    text: str
    saved_by: str
    saved_at: str


@dataclass(frozen=True, slots=True)
class TextsVersion:
    """The counter, and a stamp that is new at every change and unique to its database."""

    version: int
    stamp: str


_PHRASE_COLUMNS = (
    "id, kind, language, pattern, urgency, everyday, note, example, added_by, added_at,"
    " retired_by, retired_at, retired_note"
)
_REPLY_COLUMNS = "id, kind, language, text, saved_by, saved_at"


def _phrase(row: aiosqlite.Row) -> StoredPhrase:
    return StoredPhrase(
        id=int(row["id"]),
        kind=row["kind"],
        language=row["language"],
        pattern=row["pattern"],
        urgency=row["urgency"],
        everyday=bool(row["everyday"]),
        note=sealing.unseal(row["note"]),
        example=sealing.unseal(row["example"]),
        added_by=row["added_by"],
        added_at=row["added_at"],
        retired_by=row["retired_by"],
        retired_at=row["retired_at"],
        retired_note=sealing.unseal_optional(row["retired_note"]),
    )


def _reply(row: aiosqlite.Row) -> StoredReply:
    return StoredReply(
        int(row["id"]), row["kind"], row["language"], row["text"], row["saved_by"], row["saved_at"]
    )


async def version(db: aiosqlite.Connection) -> TextsVersion:
    async with db.execute(
        "SELECT version, stamp FROM safeguarding_texts_version WHERE id = 1"
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:  # only a database whose migration was tampered with
        return TextsVersion(0, "")
    return TextsVersion(int(row[0]), str(row[1]))


async def bump(db: aiosqlite.Connection) -> None:
    """Mark the texts changed, in the caller's (write) transaction."""
    await db.execute(
        "UPDATE safeguarding_texts_version"
        " SET version = version + 1, stamp = lower(hex(randomblob(16))) WHERE id = 1"
    )


async def add_phrase(
    db: aiosqlite.Connection,
    *,
    kind: str,
    language: str,
    pattern: str,
    urgency: str,
    everyday: bool,
    note: str,
    example: str,
    by: str,
) -> StoredPhrase:
    at = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO safeguarding_phrases (kind, language, pattern, urgency, everyday, note,"
        " example, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            language,
            pattern,
            urgency,
            int(everyday),
            sealing.seal(note),
            sealing.seal(example),
            by,
            at,
        ),
    )
    phrase_id = cursor.lastrowid
    assert phrase_id is not None
    await bump(db)
    return StoredPhrase(
        phrase_id,
        kind,
        language,
        pattern,
        urgency,
        everyday,
        note,
        example,
        by,
        at,
        retired_by=None,
        retired_at=None,
        retired_note=None,
    )


async def retire_phrase(db: aiosqlite.Connection, phrase_id: int, *, by: str, note: str) -> bool:
    """Retire a live phrase; False when there is no live phrase with that id."""
    cursor = await db.execute(
        "UPDATE safeguarding_phrases SET retired_by = ?, retired_at = ?, retired_note = ?"
        " WHERE id = ? AND retired_at IS NULL",
        (by, rows.now_text(), sealing.seal(note), phrase_id),
    )
    if cursor.rowcount != 1:
        return False
    await bump(db)
    return True


async def phrase(db: aiosqlite.Connection, phrase_id: int) -> StoredPhrase | None:
    async with db.execute(
        f"SELECT {_PHRASE_COLUMNS} FROM safeguarding_phrases WHERE id = ?", (phrase_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return _phrase(row) if row else None


async def phrases(db: aiosqlite.Connection, *, live_only: bool = True) -> list[StoredPhrase]:
    """Phrases added in the admin, oldest first; only those not retired unless told."""
    where = " WHERE retired_at IS NULL" if live_only else ""
    async with db.execute(
        f"SELECT {_PHRASE_COLUMNS} FROM safeguarding_phrases{where} ORDER BY id"
    ) as cursor:
        return [_phrase(row) for row in await cursor.fetchall()]


async def save_reply(
    db: aiosqlite.Connection, *, kind: str, language: str, text: str, by: str
) -> StoredReply:
    at = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO safeguarding_replies (kind, language, text, saved_by, saved_at)"
        " VALUES (?, ?, ?, ?, ?)",
        (kind, language, text, by, at),
    )
    reply_id = cursor.lastrowid
    assert reply_id is not None
    await bump(db)
    return StoredReply(reply_id, kind, language, text, by, at)


async def current_replies(db: aiosqlite.Connection) -> list[StoredReply]:
    """The newest saved reply of each kind and language."""
    async with db.execute(
        f"SELECT {_REPLY_COLUMNS} FROM safeguarding_replies AS r WHERE id = (SELECT MAX(id)"
        " FROM safeguarding_replies WHERE kind = r.kind AND language = r.language)"
        " ORDER BY kind, language"
    ) as cursor:
        return [_reply(row) for row in await cursor.fetchall()]


async def reply_history(db: aiosqlite.Connection) -> list[StoredReply]:
    """Every reply ever saved, newest first."""
    async with db.execute(
        f"SELECT {_REPLY_COLUMNS} FROM safeguarding_replies ORDER BY id DESC"
    ) as cursor:
        return [_reply(row) for row in await cursor.fetchall()]
