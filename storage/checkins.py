"""This module stores check-ins as they happen: one row for each that fell due, how it went,
and where its escalation ladder stands (see migration 0016 for the statuses)."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows, sealing
from storage.records import Checkin

#: Statuses of a check-in that is over: nothing more happens to it.
SETTLED = frozenset(("answered", "not_today", "later", "missed", "paused", "declined", "ended"))


async def record(
    db: aiosqlite.Connection,
    *,
    resident_id: int,
    flow_id: str,
    due_at: datetime,
    status: str = "waiting",
    schedule_id: int | None = None,
    session_id: int | None = None,
    started_at: datetime | None = None,
    moved_from: datetime | None = None,
    channel: str | None = None,
    next_rung_at: datetime | None = None,
) -> int:
    """A check-in that fell due; its id. One still `waiting` ends any other waiting first, as a
    new conversation ends the one before."""
    now = rows.now_text()
    if status == "waiting":
        await settle_waiting(db, resident_id, "ended")
    cursor = await db.execute(
        "INSERT INTO checkins (resident_id, schedule_id, session_id, flow_id, due_at,"
        " started_at, moved_from, channel, status, next_rung_at, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            resident_id,
            schedule_id,
            session_id,
            flow_id,
            rows.now_text(due_at),
            _text(started_at),
            _text(moved_from),
            channel,
            status,
            _text(next_rung_at),
            now,
            now,
        ),
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def waiting(db: aiosqlite.Connection, resident_id: int) -> Checkin | None:
    """The resident's check-in still waiting for an answer, if any."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? AND status = 'waiting'", (resident_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return checkin(row) if row else None


async def get(db: aiosqlite.Connection, checkin_id: int) -> Checkin | None:
    async with db.execute("SELECT * FROM checkins WHERE id = ?", (checkin_id,)) as cursor:
        row = await cursor.fetchone()
    return checkin(row) if row else None


async def settle(
    db: aiosqlite.Connection,
    checkin_id: int,
    status: str,
    *,
    mood: str | None = None,
    said: str | None = None,
    answered_at: datetime | None = None,
) -> None:
    """Set how a check-in went; its ladder stops. Mood, words and time are kept if not given."""
    assert status in SETTLED or status == "waiting", status
    await db.execute(
        "UPDATE checkins SET status = ?, mood = COALESCE(?, mood), said = COALESCE(?, said),"
        " answered_at = COALESCE(?, answered_at), next_rung_at = NULL, updated_at = ?"
        " WHERE id = ?",
        (
            status,
            mood,
            sealing.seal(said) if said is not None else None,
            _text(answered_at),
            rows.now_text(),
            checkin_id,
        ),
    )


async def settle_waiting(
    db: aiosqlite.Connection, resident_id: int, status: str, **how: object
) -> Checkin | None:
    """Settle the resident's waiting check-in, if any (see `settle`); the one settled."""
    found = await waiting(db, resident_id)
    if found is not None:
        await settle(db, found.id, status, **how)  # type: ignore[arg-type]
    return found


async def recent(db: aiosqlite.Connection, resident_id: int, since: datetime) -> list[Checkin]:
    """The resident's check-ins due since `since`, oldest first."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? AND due_at >= ? ORDER BY due_at, id",
        (resident_id, rows.now_text(since)),
    ) as cursor:
        return [checkin(row) for row in await cursor.fetchall()]


async def history(db: aiosqlite.Connection, resident_id: int) -> list[Checkin]:
    """Every check-in of the resident that fell due, oldest first."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? ORDER BY due_at, id", (resident_id,)
    ) as cursor:
        return [checkin(row) for row in await cursor.fetchall()]


async def latest(
    db: aiosqlite.Connection, resident_id: int, statuses: frozenset[str] | None = None
) -> Checkin | None:
    """The resident's newest check-in, or the newest with one of `statuses`."""
    sql = "SELECT * FROM checkins WHERE resident_id = ?"
    params: list[object] = [resident_id]
    if statuses:
        sql += f" AND status IN ({', '.join('?' for _ in statuses)})"
        params += sorted(statuses)
    async with db.execute(sql + " ORDER BY due_at DESC, id DESC LIMIT 1", params) as cursor:
        row = await cursor.fetchone()
    return checkin(row) if row else None


def checkin(row: aiosqlite.Row) -> Checkin:
    return Checkin(
        row["id"],
        row["resident_id"],
        row["schedule_id"],
        row["session_id"],
        row["flow_id"],
        row["due_at"],
        row["started_at"],
        row["moved_from"],
        row["channel"],
        row["status"],
        row["mood"],
        sealing.unseal_optional(row["said"]),
        row["answered_at"],
        row["rung"],
        row["next_rung_at"],
        row["alert_id"],
    )


def _text(moment: datetime | None) -> str | None:
    return rows.now_text(moment) if moment is not None else None
