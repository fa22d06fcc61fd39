"""This module stores consent per purpose as a history: the newest answer is the one that counts."""

from __future__ import annotations

import aiosqlite

from storage import rows

PURPOSES = ("checkins", "events", "buddying")


async def record_consent(
    db: aiosqlite.Connection,
    resident_id: int,
    purpose: str,
    given: bool,
    source: str,
    channel: str | None = None,
) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"Purpose '{purpose}' is not one of {', '.join(PURPOSES)}.")
    await db.execute(
        "INSERT INTO consents (resident_id, purpose, channel, given, source, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (resident_id, purpose, channel, int(given), source, rows.now_text()),
    )


async def current_consents(db: aiosqlite.Connection, resident_id: int) -> dict[str, bool]:
    """Each purpose's newest answer for every channel; a purpose never answered is False."""
    async with db.execute(
        "SELECT purpose, given FROM consents WHERE resident_id = ? AND channel IS NULL ORDER BY id",
        (resident_id,),
    ) as cursor:
        answers = {row["purpose"]: bool(row["given"]) for row in await cursor.fetchall()}
    return {purpose: answers.get(purpose, False) for purpose in PURPOSES}


async def consent_history(db: aiosqlite.Connection, resident_id: int) -> list[dict[str, object]]:
    async with db.execute(
        "SELECT purpose, channel, given, source, at FROM consents WHERE resident_id = ?"
        " ORDER BY id",
        (resident_id,),
    ) as cursor:
        return [
            {
                "purpose": r["purpose"],
                "channel": r["channel"],
                "given": bool(r["given"]),
                "source": r["source"],
                "at": r["at"],
            }
            for r in await cursor.fetchall()
        ]
