"""This module keeps the audit log: who viewed or changed what, and when. Rows are only added."""

from __future__ import annotations

from typing import Any

import aiosqlite

from storage import rows


async def record(
    db: aiosqlite.Connection, actor: str, action: str, subject: str, **detail: Any
) -> None:
    await db.execute(
        "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
        (rows.now_text(), actor, action, subject, rows.jsonable(detail)),
    )


async def entries(
    db: aiosqlite.Connection,
    limit: int = 100,
    *,
    subject: str | None = None,
    actor: str | None = None,
) -> list[dict[str, Any]]:
    """The newest entries first, for one subject or one actor when given."""
    where, values = [], []
    if subject is not None:
        where.append("subject = ?")
        values.append(subject)
    if actor is not None:
        where.append("actor = ?")
        values.append(actor)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    async with db.execute(
        f"SELECT * FROM audit_log {clause} ORDER BY id DESC LIMIT ?", (*values, limit)
    ) as cur:
        return [dict(row) for row in await cur.fetchall()]
