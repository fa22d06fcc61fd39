"""This module stores alerts: things a human must look at, who acknowledged them, and who
closed them with a note of what was done; and the inbox that lists them. An alert's summary
(which names the resident) and its closing note are stored sealed (storage/sealing.py)."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows, sealing
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
        (
            resident_id,
            catalyst_id,
            kind,
            urgency,
            sealing.seal(summary),
            message_id,
            rows.now_text(),
        ),
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


@dataclass(frozen=True, slots=True)
class InboxAlert:
    """An alert as the inbox shows it: with the resident's name, their catalyst now, and the
    message that raised it (if any)."""

    alert: Alert
    message_id: int | None
    closed_at: str | None
    closed_by: str | None
    closing_note: str | None
    resident_name: str | None
    #: The resident's catalyst now (who sees the alert), which may differ from when it was raised.
    resident_catalyst_id: int | None
    message_body: str | None
    message_at: str | None


#: Which alerts an inbox lists besides their state (see `inbox`).
SHOWS = ("all", "mine", "unassigned")

_INBOX = (
    "SELECT a.*, r.preferred_name AS resident_name, r.catalyst_id AS resident_catalyst_id,"
    " m.body AS message_body, m.created_at AS message_at"
    " FROM alerts AS a"
    " LEFT JOIN residents AS r ON r.id = a.resident_id"
    " LEFT JOIN messages AS m ON m.id = a.message_id"
)


def _inbox_alert(row: aiosqlite.Row) -> InboxAlert:
    return InboxAlert(
        rows.alert(row),
        row["message_id"],
        row["closed_at"],
        row["closed_by"],
        sealing.unseal_optional(row["closing_note"]),
        sealing.unseal_optional(row["resident_name"]),
        row["resident_catalyst_id"],
        sealing.unseal_optional(row["message_body"]),
        row["message_at"],
    )


async def inbox(
    db: aiosqlite.Connection,
    *,
    status: str,
    catalyst_id: int | None = None,
    show: str = "all",
    person_id: int | None = None,
    actor: str | None = None,
    limit: int = 200,
    kind: str | None = None,
) -> list[InboxAlert]:
    """Alerts in one state, urgent before routine, then newest first.

    `catalyst_id`: only alerts about that catalyst's residents (a catalyst's own inbox).
    `kind`: only alerts of that kind ('missed', 'call', ...).
    `show`: "mine" is alerts about `person_id`'s residents or acknowledged or closed by
    `actor`; "unassigned" is alerts about nobody's resident (these go to staff)."""
    clauses = ["a.status = ?"]
    params: list[object] = [status]
    if catalyst_id is not None:
        clauses.append("r.catalyst_id = ?")
        params.append(catalyst_id)
    if show == "mine":
        clauses.append("(r.catalyst_id = ? OR a.acknowledged_by = ? OR a.closed_by = ?)")
        params.extend([person_id if person_id is not None else -1, actor or "", actor or ""])
    elif show == "unassigned":
        clauses.append("r.catalyst_id IS NULL")
    if kind:
        clauses.append("a.kind = ?")
        params.append(kind)
    sql = (
        f"{_INBOX} WHERE {' AND '.join(clauses)}"
        # 'urgent' sorts after 'routine', so urgency DESC puts urgent first (index alerts_inbox).
        " ORDER BY a.urgency DESC, a.created_at DESC, a.id DESC LIMIT ?"
    )
    async with db.execute(sql, (*params, limit)) as cursor:
        return [_inbox_alert(row) for row in await cursor.fetchall()]


async def inbox_alert(db: aiosqlite.Connection, alert_id: int) -> InboxAlert | None:
    async with db.execute(f"{_INBOX} WHERE a.id = ?", (alert_id,)) as cursor:
        row = await cursor.fetchone()
    return _inbox_alert(row) if row else None


async def close_alert(db: aiosqlite.Connection, alert_id: int, by: str, note: str) -> bool:
    """Close an open or acknowledged alert with a note of what was done."""
    cursor = await db.execute(
        "UPDATE alerts SET status = 'closed', closed_at = ?, closed_by = ?, closing_note = ?"
        " WHERE id = ? AND status != 'closed'",
        (rows.now_text(), by, sealing.seal(note), alert_id),
    )
    return cursor.rowcount == 1


async def inbox_counts(
    db: aiosqlite.Connection, *, catalyst_id: int | None = None
) -> dict[str, int]:
    """How many alerts are in each state (about one catalyst's residents, or everyone's)."""
    where, params = (
        ("", ()) if catalyst_id is None else (" WHERE r.catalyst_id = ?", (catalyst_id,))
    )
    async with db.execute(
        "SELECT a.status, count(*) FROM alerts AS a"
        f" LEFT JOIN residents AS r ON r.id = a.resident_id{where} GROUP BY a.status",
        params,
    ) as cursor:
        return {row[0]: int(row[1]) for row in await cursor.fetchall()}


async def has_open_risk(db: aiosqlite.Connection, resident_id: int) -> bool:
    """Whether a safeguarding (risk) alert about the resident is still open or acknowledged:
    until someone closes it, routine nudges and buddy prompts to them wait."""
    async with db.execute(
        "SELECT 1 FROM alerts WHERE resident_id = ? AND kind = 'risk' AND status != 'closed'"
        " LIMIT 1",
        (resident_id,),
    ) as cursor:
        return await cursor.fetchone() is not None
