"""This module keeps the audit log: who changed what, and when."""

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


async def entries(db: aiosqlite.Connection, limit: int = 100) -> list[dict[str, Any]]:
    async with db.execute("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)) as cur:
        return [dict(row) for row in await cur.fetchall()]
