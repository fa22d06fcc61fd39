"""This module stores conversation sessions: their state, and when each must be woken.

A session's state and context (answers, names) and a result's words are stored sealed
(storage/sealing.py); when a session wakes is worked out before sealing and kept plain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiosqlite

from storage import rows, sealing
from storage.records import Session


def _wake_at(state: dict[str, Any]) -> str | None:
    wait = state.get("wait")
    wake = wait.get("wake_at") if isinstance(wait, dict) else None
    return rows.now_text(datetime.fromisoformat(wake)) if wake else None


async def save_session(
    db: aiosqlite.Connection,
    resident_id: int,
    state: dict[str, Any],
    session_id: int | None,
    context: dict[str, dict[str, Any]] | None = None,
) -> int:
    """Insert or update a session from the engine's state; return its id.

    `context` is kept from the start (a session is always about the same event or pairing);
    it is written when the session is inserted and left as it is by later updates.
    """
    now = rows.now_text()
    status = "waiting" if state["status"] == "waiting" else "ended"
    values = (
        state["flow_id"],
        state["revision"],
        status,
        state.get("outcome"),
        rows.sealed_json(state),
        _wake_at(state) if status == "waiting" else None,
        now,
    )
    if session_id is None:
        cursor = await db.execute(
            "INSERT INTO sessions (flow_id, revision, status, outcome, state, wake_at,"
            " updated_at, resident_id, started_at, context) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " RETURNING id",
            (*values, resident_id, now, rows.sealed_json(context or {})),
        )
        row = await cursor.fetchone()
        assert row is not None
        return int(row["id"])
    await db.execute(
        "UPDATE sessions SET flow_id = ?, revision = ?, status = ?, outcome = ?, state = ?,"
        " wake_at = ?, updated_at = ? WHERE id = ?",
        (*values, session_id),
    )
    return session_id


async def waiting_session(db: aiosqlite.Connection, resident_id: int) -> Session | None:
    async with db.execute(
        "SELECT * FROM sessions WHERE resident_id = ? AND status = 'waiting'", (resident_id,)
    ) as cursor:
        row = await cursor.fetchone()
    return rows.session(row) if row else None


async def end_waiting(db: aiosqlite.Connection, resident_id: int, outcome: str) -> int | None:
    """Close the resident's waiting conversation (e.g. they said STOP); return its id."""
    cursor = await db.execute(
        "UPDATE sessions SET status = 'ended', outcome = ?, wake_at = NULL, updated_at = ?"
        " WHERE resident_id = ? AND status = 'waiting' RETURNING id",
        (outcome, rows.now_text(), resident_id),
    )
    row = await cursor.fetchone()
    return int(row["id"]) if row else None


async def due_wakeups(db: aiosqlite.Connection, now: datetime, limit: int) -> list[Session]:
    """Sessions whose reminder or timeout is due, through the wake_at index."""
    async with db.execute(
        "SELECT * FROM sessions WHERE wake_at IS NOT NULL AND wake_at <= ?"
        " ORDER BY wake_at LIMIT ?",
        (rows.now_text(now), limit),
    ) as cursor:
        return [rows.session(row) for row in await cursor.fetchall()]


async def get_session(db: aiosqlite.Connection, session_id: int) -> Session | None:
    async with db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)) as cursor:
        row = await cursor.fetchone()
    return rows.session(row) if row else None


async def save_result(
    db: aiosqlite.Connection,
    *,
    resident_id: int,
    session_id: int,
    flow_id: str,
    name: str,
    value: Any,
    label: str,
    category: str,
) -> None:
    await db.execute(
        "INSERT INTO results (resident_id, session_id, flow_id, name, value, label, category,"
        " at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            resident_id,
            session_id,
            flow_id,
            name,
            rows.result_value(value, category),
            sealing.seal(label),
            category,
            rows.now_text(),
        ),
    )
