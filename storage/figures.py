"""This module counts the programme's figures in SQL: residents by status, check-ins started
and answered per week, one question's answers per week, and alerts by kind and urgency.

Weeks are handed in as [start, end) pairs of stored UTC times, worked out by the caller in the
programme's own time zone, so that a week is a local week across clock changes; each count is
one GROUP BY over those weeks.
"""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

#: A week as stored times: [start, end).
Week = tuple[str, str]


def _weeks_table(weeks: Sequence[Week]) -> tuple[str, list[str]]:
    """A `weeks(starts, ends)` common table for the query, and its parameters."""
    values = ", ".join("(?, ?)" for _ in weeks)
    return f"weeks(starts, ends) AS (VALUES {values})", [t for week in weeks for t in week]


async def residents_by_status(db: aiosqlite.Connection) -> dict[str, int]:
    """Residents in each status (people not known yet are not residents)."""
    async with db.execute(
        "SELECT status, count(*) FROM residents WHERE status != 'unknown' GROUP BY status"
    ) as cursor:
        return {row[0]: int(row[1]) for row in await cursor.fetchall()}


async def checkins_per_week(
    db: aiosqlite.Connection, weeks: Sequence[Week], default_flow: str
) -> dict[str, tuple[int, int]]:
    """Per week start: (check-ins started, check-ins answered).

    A check-in is a session of a check-in schedule's flow (or the default check-in flow); it
    was answered when the resident's reply saved a result in it (a `save` step's own result,
    category 'saved', is not a reply)."""
    if not weeks:
        return {}
    table, params = _weeks_table(weeks)
    sql = (
        f"WITH {table},"
        " checkin_flows(flow_id) AS ("
        "  SELECT flow_id FROM schedules WHERE kind = 'checkin' UNION SELECT ?),"
        " checkins AS ("
        "  SELECT s.id, s.started_at, EXISTS ("
        "   SELECT 1 FROM results AS r WHERE r.session_id = s.id AND r.category != 'saved'"
        "  ) AS answered"
        "  FROM sessions AS s"
        "  WHERE s.flow_id IN (SELECT flow_id FROM checkin_flows)"
        "  AND s.started_at >= ? AND s.started_at < ?)"
        " SELECT w.starts, count(c.id), coalesce(sum(c.answered), 0)"
        " FROM weeks AS w LEFT JOIN checkins AS c"
        " ON c.started_at >= w.starts AND c.started_at < w.ends"
        " GROUP BY w.starts"
    )
    args = [*params, default_flow, weeks[0][0], weeks[-1][1]]
    async with db.execute(sql, args) as cursor:
        return {row[0]: (int(row[1]), int(row[2])) for row in await cursor.fetchall()}


async def answers_per_week(
    db: aiosqlite.Connection, weeks: Sequence[Week], flow_id: str, name: str
) -> dict[tuple[str, str], int]:
    """Per (week start, answer value): how many times the flow's result `name` was saved."""
    if not weeks:
        return {}
    table, params = _weeks_table(weeks)
    sql = (
        f"WITH {table}"
        # A sealed value (the resident's own words) is not JSON and is not counted.
        " SELECT w.starts, json_extract(r.value, '$') AS answer, count(*)"
        " FROM weeks AS w JOIN results AS r ON r.at >= w.starts AND r.at < w.ends"
        " WHERE r.flow_id = ? AND r.name = ? AND json_valid(r.value)"
        " GROUP BY w.starts, answer"
    )
    async with db.execute(sql, [*params, flow_id, name]) as cursor:
        return {(row[0], str(row[1])): int(row[2]) for row in await cursor.fetchall()}


async def alerts_by_kind(db: aiosqlite.Connection, since: str) -> dict[tuple[str, str], int]:
    """Per (kind, urgency): alerts raised since `since`."""
    async with db.execute(
        "SELECT kind, urgency, count(*) FROM alerts WHERE created_at >= ?"
        " GROUP BY kind, urgency ORDER BY kind",
        (since,),
    ) as cursor:
        return {(row[0], row[1]): int(row[2]) for row in await cursor.fetchall()}
