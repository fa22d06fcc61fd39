"""This module finds residents for the admin's list: by name, catalyst and status, each with
their catalyst's name, next check-in, last reply and open alerts, in one query."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import aiosqlite

from storage import rows, sealing
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
    #: Part of a preferred, first or full name, any case, accents or none.
    name: str = ""
    #: Only this catalyst's residents.
    catalyst_id: int | None = None
    #: active, paused or stopped; empty for all.
    status: str = ""


@functools.lru_cache(maxsize=65_536)
def _fold(text: str) -> str:
    """`text` for matching and sorting: any case, with or without accents (Zoë, zoe)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _matches(text: str, names: tuple[str, ...]) -> bool:
    wanted = _fold(text)
    return any(wanted in _fold(name) for name in names)


async def find_residents(
    db: aiosqlite.Connection, found: ResidentFilter, limit: int
) -> list[ResidentRow]:
    """Residents matching `found`, by preferred name; at most `limit`. Someone unknown (a
    number that wrote in but was never added) is not a resident to look after, so never listed.

    Names are sealed, so SQL can neither match nor sort them: the candidates' names are opened
    here (from the key ring's cache after the first time), matched and sorted, and only the
    page's residents are then read whole."""
    where: list[str] = ["r.status != 'unknown'"]
    values: list[object] = []
    if found.catalyst_id is not None:
        where.append("r.catalyst_id = ?")
        values.append(found.catalyst_id)
    if found.status:
        where.append("r.status = ?")
        values.append(found.status)
    async with db.execute(
        "SELECT r.id, r.preferred_name, r.first_name, r.full_name FROM residents AS r"
        f" WHERE {' AND '.join(where)}",
        values,
    ) as cursor:
        candidates = [
            (
                int(row[0]),
                (
                    sealing.unseal_cached(row[1]),
                    sealing.unseal_cached(row[2]),
                    sealing.unseal_cached(row[3]),
                ),
            )
            for row in await cursor.fetchall()
        ]
    if found.name:
        candidates = [(id_, names) for id_, names in candidates if _matches(found.name, names)]
    candidates.sort(key=lambda candidate: (_fold(candidate[1][0]), candidate[0]))
    page = [id_ for id_, _ in candidates[:limit]]
    if not page:
        return []
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
        WHERE r.id IN ({", ".join("?" for _ in page)})
    """
    async with db.execute(sql, page) as cursor:
        by_id = {
            int(row["id"]): ResidentRow(
                rows.resident(row),
                sealing.unseal_optional(row["catalyst_name"]),
                row["next_due_at"],
                bool(row["checkins_on"]),
                row["last_reply_at"],
                int(row["open_alerts"]),
            )
            for row in await cursor.fetchall()
        }
    return [by_id[id_] for id_ in page if id_ in by_id]
