"""This module counts what the admin's home page shows: open alerts and residents."""

from __future__ import annotations

import aiosqlite


async def counts(db: aiosqlite.Connection, catalyst_id: int | None) -> tuple[int, int, int]:
    """(open alerts, open urgent alerts, residents) for one catalyst, or for everyone."""
    where, values = ("", ()) if catalyst_id is None else (" AND catalyst_id = ?", (catalyst_id,))
    async with db.execute(
        "SELECT count(*), coalesce(sum(urgency = 'urgent'), 0) FROM alerts"
        f" WHERE status = 'open'{where}",
        values,
    ) as cursor:
        alerts_row = await cursor.fetchone()
    async with db.execute(
        f"SELECT count(*) FROM residents WHERE status != 'unknown'{where}", values
    ) as cursor:
        residents_row = await cursor.fetchone()
    assert alerts_row is not None and residents_row is not None
    return int(alerts_row[0]), int(alerts_row[1]), int(residents_row[0])
