"""This module stores the escalation ladder's side of check-ins: rungs that are due, the ladder
climbing, a check-in answered or missed, misses in a row, a resident's own ladder, and the
missed check-in alerts a later reply closes."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows, sealing
from storage.checkins import checkin
from storage.records import Alert, Checkin, Message

#: The alert kind of a missed check-in, and of the word that the resident is in touch again.
MISSED_KIND = "missed"
ALL_CLEAR_KIND = "all_clear"
#: How many of a resident's newest messages `wrote_since` reads.
RECENT = 50


async def any_due(db: aiosqlite.Connection, now: datetime) -> bool:
    """Whether any check-in's next rung is due (index checkins_ladder)."""
    async with db.execute(
        "SELECT 1 FROM checkins WHERE next_rung_at IS NOT NULL AND next_rung_at <= ? LIMIT 1",
        (rows.now_text(now),),
    ) as cursor:
        return await cursor.fetchone() is not None


async def due_rung_ids(db: aiosqlite.Connection, now: datetime, limit: int) -> list[int]:
    """The ids of check-ins whose next rung is due, soonest first."""
    async with db.execute(
        "SELECT id FROM checkins WHERE next_rung_at IS NOT NULL AND next_rung_at <= ?"
        " ORDER BY next_rung_at LIMIT ?",
        (rows.now_text(now), limit),
    ) as cursor:
        return [row[0] for row in await cursor.fetchall()]


async def move_rung(
    db: aiosqlite.Connection, checkin_id: int, rung: int, next_rung_at: datetime | None
) -> None:
    """Set how many rungs were climbed and when the next is due (None: the ladder stops)."""
    await db.execute(
        "UPDATE checkins SET rung = ?, next_rung_at = ?, updated_at = ? WHERE id = ?",
        (
            rung,
            rows.now_text(next_rung_at) if next_rung_at else None,
            rows.now_text(),
            checkin_id,
        ),
    )


async def mark_missed(db: aiosqlite.Connection, checkin_id: int, rung: int, alert_id: int) -> None:
    """The ladder's last rung: the check-in counts as missed, with the alert it raised."""
    await db.execute(
        "UPDATE checkins SET status = 'missed', rung = ?, alert_id = ?, next_rung_at = NULL,"
        " updated_at = ? WHERE id = ?",
        (rung, alert_id, rows.now_text(), checkin_id),
    )


async def of_session(db: aiosqlite.Connection, resident_id: int, session_id: int) -> Checkin | None:
    """The check-in a conversation is asking, if it is one (through the resident's index)."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? AND session_id = ?"
        " ORDER BY due_at DESC, id DESC LIMIT 1",
        (resident_id, session_id),
    ) as cursor:
        row = await cursor.fetchone()
    return checkin(row) if row else None


async def mark_answered(
    db: aiosqlite.Connection,
    checkin_id: int,
    *,
    at: datetime,
    mood: str | None,
    said: str | None,
) -> None:
    """The resident answered (perhaps after it counted as missed): the ladder stops. The first
    answer's time is kept; a mood or words given later in the same conversation are added."""
    await db.execute(
        "UPDATE checkins SET status = 'answered', mood = COALESCE(?, mood),"
        " said = COALESCE(?, said), answered_at = COALESCE(answered_at, ?),"
        " next_rung_at = NULL, updated_at = ? WHERE id = ?",
        (
            mood,
            sealing.seal(said) if said is not None else None,
            rows.now_text(at),
            rows.now_text(),
            checkin_id,
        ),
    )


async def newest(db: aiosqlite.Connection, resident_id: int, limit: int) -> list[Checkin]:
    """The resident's newest check-ins that started or fell due, newest first."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? ORDER BY due_at DESC, id DESC LIMIT ?",
        (resident_id, limit),
    ) as cursor:
        return [checkin(row) for row in await cursor.fetchall()]


async def last_answered(db: aiosqlite.Connection, resident_id: int) -> Checkin | None:
    """The resident's check-in answered most recently."""
    async with db.execute(
        "SELECT * FROM checkins WHERE resident_id = ? AND status = 'answered'"
        " AND answered_at IS NOT NULL ORDER BY answered_at DESC LIMIT 1",
        (resident_id,),
    ) as cursor:
        row = await cursor.fetchone()
    return checkin(row) if row else None


async def last_question(
    db: aiosqlite.Connection, resident_id: int, session_id: int
) -> Message | None:
    """The newest message a conversation sent the resident: the question it is waiting on."""
    async with db.execute(
        "SELECT * FROM messages WHERE resident_id = ? AND session_id = ? AND direction = 'out'"
        " ORDER BY id DESC LIMIT 1",
        (resident_id, session_id),
    ) as cursor:
        row = await cursor.fetchone()
    return rows.message(row) if row else None


async def wrote_since(db: aiosqlite.Connection, resident_id: int, since: str) -> bool:
    """Whether the resident sent any message after `since` (stored UTC text). Only their
    newest messages are read (index messages_resident), so a long history costs nothing: a
    check-in's few hours hold far fewer than `RECENT`."""
    async with db.execute(
        "SELECT 1 FROM (SELECT direction, created_at FROM messages WHERE resident_id = ?"
        " ORDER BY id DESC LIMIT ?) WHERE direction = 'in' AND created_at > ? LIMIT 1",
        (resident_id, RECENT, since),
    ) as cursor:
        return await cursor.fetchone() is not None


async def open_missed_alerts(db: aiosqlite.Connection, resident_id: int) -> list[Alert]:
    """Missed check-in alerts about the resident that nobody has closed yet."""
    async with db.execute(
        "SELECT * FROM alerts WHERE resident_id = ? AND kind = ? AND status != 'closed'"
        " ORDER BY id",
        (resident_id, MISSED_KIND),
    ) as cursor:
        return [rows.alert(row) for row in await cursor.fetchall()]


async def resident_ladder(db: aiosqlite.Connection, resident_id: int) -> str | None:
    async with db.execute("SELECT ladder FROM residents WHERE id = ?", (resident_id,)) as cursor:
        row = await cursor.fetchone()
    return row["ladder"] if row else None


async def set_resident_ladder(
    db: aiosqlite.Connection, resident_id: int, ladder: str | None
) -> None:
    """The resident's own ladder, in staff's words; None follows the programme's."""
    await db.execute(
        "UPDATE residents SET ladder = ?, updated_at = ? WHERE id = ?",
        (ladder, rows.now_text(), resident_id),
    )
