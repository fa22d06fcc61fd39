"""This module stores alerts: things a human must look at, and who acknowledged them."""

from __future__ import annotations

import aiosqlite

from storage import rows
from storage.records import Alert, Resident


async def raise_alert(
    db: aiosqlite.Connection,
    *,
    resident_id: int | None,
    catalyst_id: int | None,
    kind: str,
    urgency: str,
    summary: str,
    message_id: int | None = None,
) -> Alert:
    cursor = await db.execute(
        "INSERT INTO alerts (resident_id, catalyst_id, kind, urgency, summary, message_id,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (resident_id, catalyst_id, kind, urgency, summary, message_id, rows.now_text()),
    )
    row = await cursor.fetchone()
    assert row is not None
    return rows.alert(row)


async def alert_for(
    db: aiosqlite.Connection,
    resident: Resident,
    *,
    kind: str,
    urgency: str,
    summary: str,
    message_id: int | None = None,
) -> Alert:
    """An alert about `resident`, for their own catalyst."""
    return await raise_alert(
        db,
        resident_id=resident.id,
        catalyst_id=resident.catalyst_id,
        kind=kind,
        urgency=urgency,
        summary=summary,
        message_id=message_id,
    )


async def list_alerts(
    db: aiosqlite.Connection, *, status: str | None = None, catalyst_id: int | None = None
) -> list[Alert]:
    clauses: list[str] = []
    params: list[object] = []
    if status is not None:
        clauses.append("status = ?")
        params.append(status)
    if catalyst_id is not None:
        clauses.append("catalyst_id = ?")
        params.append(catalyst_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    async with db.execute(f"SELECT * FROM alerts{where} ORDER BY id DESC", params) as cursor:
        return [rows.alert(row) for row in await cursor.fetchall()]


async def get_alert(db: aiosqlite.Connection, alert_id: int) -> Alert | None:
    async with db.execute("SELECT * FROM alerts WHERE id = ?", (alert_id,)) as cursor:
        row = await cursor.fetchone()
    return rows.alert(row) if row else None


async def acknowledge_alert(db: aiosqlite.Connection, alert_id: int, by: str) -> bool:
    cursor = await db.execute(
        "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?"
        " WHERE id = ? AND status = 'open'",
        (rows.now_text(), by, alert_id),
    )
    return cursor.rowcount == 1


async def unpaged_alerts(db: aiosqlite.Connection, limit: int = 100) -> list[Alert]:
    """Alerts whose catalyst has not been sent word of them yet, oldest first."""
    async with db.execute(
        "SELECT * FROM alerts WHERE paged_at IS NULL ORDER BY id LIMIT ?", (limit,)
    ) as cursor:
        return [rows.alert(row) for row in await cursor.fetchall()]


async def mark_paged(db: aiosqlite.Connection, alert_id: int) -> None:
    await db.execute("UPDATE alerts SET paged_at = ? WHERE id = ?", (rows.now_text(), alert_id))
