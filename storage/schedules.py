"""This module stores schedules (check-ins, follow-ups) and the slots that have run."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage import rows
from storage.records import Schedule


async def set_checkin(
    db: aiosqlite.Connection,
    resident_id: int,
    *,
    flow_id: str,
    rule: str,
    starts_at: datetime,
    next_due_at: datetime | None,
    moved_from: datetime | None = None,
) -> Schedule:
    """A resident's one check-in schedule, created or replaced; `moved_from` is where the
    rhythm put the next slot when quiet hours moved it."""
    now = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO schedules (resident_id, kind, flow_id, rule, starts_at, next_due_at,"
        " moved_from, active, created_at, updated_at) VALUES (?, 'checkin', ?, ?, ?, ?, ?, 1, ?, ?)"
        " ON CONFLICT (resident_id) WHERE kind = 'checkin'"
        " DO UPDATE SET flow_id = excluded.flow_id,"
        " rule = excluded.rule, starts_at = excluded.starts_at,"
        " next_due_at = excluded.next_due_at, moved_from = excluded.moved_from,"
        " active = 1, updated_at = excluded.updated_at"
        " RETURNING *",
        (
            resident_id,
            flow_id,
            rule,
            starts_at.isoformat(),
            _text(next_due_at),
            _text(moved_from),
            now,
            now,
        ),
    )
    row = await cursor.fetchone()
    assert row is not None
    return rows.schedule(row)


async def add_followup(
    db: aiosqlite.Connection, resident_id: int, flow_id: str, due_at: datetime
) -> Schedule:
    now = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO schedules (resident_id, kind, flow_id, rule, starts_at, next_due_at,"
        " active, created_at, updated_at) VALUES (?, 'followup', ?, NULL, ?, ?, 1, ?, ?)"
        " RETURNING *",
        (resident_id, flow_id, due_at.isoformat(), rows.now_text(due_at), now, now),
    )
    row = await cursor.fetchone()
    assert row is not None
    return rows.schedule(row)


async def checkin_schedule(db: aiosqlite.Connection, resident_id: int) -> Schedule | None:
    async with db.execute(
        "SELECT * FROM schedules WHERE resident_id = ? AND kind = 'checkin'", (resident_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return rows.schedule(row) if row else None


async def due_schedules(db: aiosqlite.Connection, now: datetime, limit: int) -> list[Schedule]:
    """Schedules due by `now`, oldest first, found through the next_due_at index."""
    async with db.execute(
        "SELECT * FROM schedules WHERE active = 1 AND next_due_at <= ?"
        " ORDER BY next_due_at LIMIT ?",
        (rows.now_text(now), limit),
    ) as cursor:
        return [rows.schedule(row) for row in await cursor.fetchall()]


async def claim_slot(
    db: aiosqlite.Connection,
    schedule: Schedule,
    next_due_at: datetime | None,
    moved_from: datetime | None = None,
) -> bool:
    """Mark the schedule's current slot as run and move it on (to `next_due_at`, which quiet
    hours moved from `moved_from`, if they did); False if the slot already ran."""
    assert schedule.next_due_at is not None
    cursor = await db.execute(
        "INSERT INTO schedule_runs (schedule_id, due_at, ran_at) VALUES (?, ?, ?)"
        " ON CONFLICT DO NOTHING",
        (schedule.id, schedule.next_due_at, rows.now_text()),
    )
    await db.execute(
        "UPDATE schedules SET next_due_at = ?, moved_from = ?, active = ?, updated_at = ?"
        " WHERE id = ?",
        (
            _text(next_due_at),
            _text(moved_from),
            int(next_due_at is not None),
            rows.now_text(),
            schedule.id,
        ),
    )
    return cursor.rowcount == 1


async def move_slot(
    db: aiosqlite.Connection, schedule_id: int, due_at: datetime, moved_from: datetime
) -> None:
    """Move the schedule's next slot out of quiet hours, keeping where the rhythm had it."""
    await db.execute(
        "UPDATE schedules SET next_due_at = ?, moved_from = ?, updated_at = ? WHERE id = ?",
        (rows.now_text(due_at), rows.now_text(moved_from), rows.now_text(), schedule_id),
    )


def _text(moment: datetime | None) -> str | None:
    return rows.now_text(moment) if moment is not None else None
