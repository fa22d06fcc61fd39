"""This module finds residents for the admin's list: by name, catalyst and status, each with
their catalyst's name, next check-in, last reply and open alerts.

Names are sealed (storage/sealing.py), so they are matched and sorted in Python, on every
resident's names opened once and kept in memory until a resident changes; the page's residents
are then read in one query."""

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


@dataclass(frozen=True, slots=True)
class _Listed:
    id: int
    status: str
    catalyst_id: int | None
    #: Preferred, first and full name, folded (`_fold`).
    names: tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class _Roster:
    """Every resident's names opened and folded, in list order, as of `version`."""

    version: int | None
    listed: list[_Listed]


#: Per database file, the roster last read. Names are sealed, so SQL can neither match nor sort
#: them; opening 10,000 residents' names for every page would cost far more than the page.
_rosters: dict[str, _Roster] = {}


async def _roster(db: aiosqlite.Connection) -> list[_Listed]:
    """Every resident (unknown people too), sorted by preferred name: read again only when a
    resident has changed since (residents_version, moved by triggers on any change)."""
    # The file, and the value sealed at its first open, which differs from one database made
    # at that path to the next (a test's, a restored copy's).
    async with db.execute("PRAGMA database_list") as cursor:
        file = next((row[2] for row in await cursor.fetchall() if row[1] == "main"), "")
    async with db.execute(
        "SELECT (SELECT value FROM sealing_check WHERE name = 'check'),"
        " (SELECT n FROM residents_version)"
    ) as cursor:
        row = await cursor.fetchone()
    assert row is not None
    made, version = f"{file}\n{row[0]}", row[1]
    kept = _rosters.get(made)
    if kept is not None and kept.version == version and version is not None:
        return kept.listed
    keys = sealing.ring()
    async with db.execute(
        "SELECT id, status, catalyst_id, preferred_name, first_name, full_name FROM residents"
    ) as cursor:
        listed = [
            _Listed(
                row[0],
                row[1],
                row[2],
                (
                    _fold(keys.unseal(row[3])),
                    _fold(keys.unseal(row[4])),
                    _fold(keys.unseal(row[5])),
                ),
            )
            for row in await cursor.fetchall()
        ]
    listed.sort(key=lambda entry: (entry.names[0], entry.id))
    _rosters[made] = _Roster(version, listed)
    return listed


async def find_residents(
    db: aiosqlite.Connection, found: ResidentFilter, limit: int
) -> list[ResidentRow]:
    """Residents matching `found`, by preferred name; at most `limit`. Someone unknown (a
    number that wrote in but was never added) is not a resident to look after, so never listed.

    Names are sealed, so they are matched and sorted here, on the roster of opened names kept
    in memory (`_roster`), and only the page's residents are then read whole."""
    wanted = _fold(found.name)
    page: list[int] = []
    for entry in await _roster(db):
        if (
            entry.status == "unknown"
            or (found.catalyst_id is not None and entry.catalyst_id != found.catalyst_id)
            or (found.status and entry.status != found.status)
            or (wanted and not any(wanted in name for name in entry.names))
        ):
            continue
        page.append(entry.id)
        if len(page) == limit:
            break
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
