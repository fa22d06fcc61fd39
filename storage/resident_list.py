"""This module finds residents for the admin's list: by name, catalyst and status, each with
their catalyst's name, next check-in, last reply and open alerts, in one query."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from storage import rows
from storage.records import Resident


@dataclass(frozen=True, slots=True)
class ResidentRow:
    resident: Resident
    catalyst_name: str | None
    #: The next check-in (UTC), None with no rhythm or a rhythm that has ended.
    next_checkin_at: str | None
    checkins_on: bool
    #: When the resident last wrote to us (UTC), None if never.
    last_reply_at: str | None
    open_alerts: int


@dataclass(frozen=True, slots=True)
class ResidentFilter:
    #: Part of a preferred, first or full name, any case.
    name: str = ""
    #: Only this catalyst's residents.
    catalyst_id: int | None = None
    #: active, paused or stopped; empty for all.
    status: str = ""


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def find_residents(
    db: aiosqlite.Connection, found: ResidentFilter, limit: int
) -> list[ResidentRow]:
    """Residents matching `found`, by preferred name; at most `limit`. Someone unknown (a
    number that wrote in but was never added) is not a resident to look after, so never listed.
    """
    where: list[str] = ["r.status != 'unknown'"]
    values: list[object] = []
    if found.name:
        where.append(
            "(r.preferred_name LIKE ? ESCAPE '\\' OR r.first_name LIKE ? ESCAPE '\\'"
            " OR r.full_name LIKE ? ESCAPE '\\')"
        )
        values += [_like(found.name)] * 3
    if found.catalyst_id is not None:
        where.append("r.catalyst_id = ?")
        values.append(found.catalyst_id)
    if found.status:
        where.append("r.status = ?")
        values.append(found.status)
    # The last reply walks messages_resident backwards and stops at the first inbound row; open
    # alerts are counted once for everyone through alerts_open, not once per row.
    sql = f"""
        WITH open_alerts AS (
            SELECT resident_id, count(*) AS n FROM alerts
            WHERE status = 'open' AND resident_id IS NOT NULL GROUP BY resident_id
        )
        SELECT r.*, p.full_name AS catalyst_name, s.next_due_at AS next_due_at,
            coalesce(s.active, 0) AS checkins_on,
            (SELECT m.created_at FROM messages AS m
                WHERE m.resident_id = r.id AND m.direction = 'in'
                ORDER BY m.id DESC LIMIT 1) AS last_reply_at,
            coalesce(a.n, 0) AS open_alerts
        FROM residents AS r
        LEFT JOIN people AS p ON p.id = r.catalyst_id
        LEFT JOIN schedules AS s ON s.resident_id = r.id AND s.kind = 'checkin'
        LEFT JOIN open_alerts AS a ON a.resident_id = r.id
        WHERE {" AND ".join(where)}
        ORDER BY r.preferred_name COLLATE NOCASE, r.id
        LIMIT ?
    """
    async with db.execute(sql, (*values, limit)) as cursor:
        return [
            ResidentRow(
                rows.resident(row),
                row["catalyst_name"],
                row["next_due_at"],
                bool(row["checkins_on"]),
                row["last_reply_at"],
                int(row["open_alerts"]),
            )
            for row in await cursor.fetchall()
        ]
