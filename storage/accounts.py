"""This module stores the admin's logins: accounts, their sessions and failed logins.

Passwords arrive here already hashed (argon2, in the accounts service); a session's cookie
secret is kept only as a SHA-256 hash, since it is 256 random bits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import aiosqlite

from storage import rows, sealing

#: What an account may do: everything; flows, events, pairings and every resident; or only a
#: catalyst's own residents.
ROLES = ("admin", "staff", "catalyst")


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    display_name: str
    role: str
    person_id: int | None
    password_hash: str
    created_at: str
    disabled_at: str | None


@dataclass(frozen=True, slots=True)
class StaffSession:
    id: int
    account_id: int
    csrf_token: str
    address: str
    user_agent: str
    created_at: str
    last_seen_at: str
    ended_at: str | None
    ended_by: str | None


def _account(row: aiosqlite.Row) -> Account:
    return Account(
        int(row["id"]),
        row["username"],
        sealing.unseal(row["display_name"]),
        row["role"],
        row["person_id"],
        row["password_hash"],
        row["created_at"],
        row["disabled_at"],
    )


def _session(row: aiosqlite.Row) -> StaffSession:
    return StaffSession(
        int(row["id"]),
        int(row["account_id"]),
        row["csrf_token"],
        row["address"],
        row["user_agent"],
        row["created_at"],
        row["last_seen_at"],
        row["ended_at"],
        row["ended_by"],
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def add_account(
    db: aiosqlite.Connection,
    username: str,
    display_name: str,
    role: str,
    password_hash: str,
    person_id: int | None = None,
) -> Account:
    cursor = await db.execute(
        "INSERT INTO staff_accounts (username, display_name, role, person_id, password_hash,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
        (username, sealing.seal(display_name), role, person_id, password_hash, rows.now_text()),
    )
    row = await cursor.fetchone()
    assert row is not None
    return _account(row)


async def get_account(db: aiosqlite.Connection, account_id: int) -> Account | None:
    async with db.execute("SELECT * FROM staff_accounts WHERE id = ?", (account_id,)) as cursor:
        row = await cursor.fetchone()
    return _account(row) if row else None


async def find_account(db: aiosqlite.Connection, username: str) -> Account | None:
    async with db.execute("SELECT * FROM staff_accounts WHERE username = ?", (username,)) as cursor:
        row = await cursor.fetchone()
    return _account(row) if row else None


async def list_accounts(db: aiosqlite.Connection) -> list[Account]:
    async with db.execute("SELECT * FROM staff_accounts ORDER BY role, username") as cursor:
        return [_account(row) for row in await cursor.fetchall()]


async def set_password_hash(db: aiosqlite.Connection, account_id: int, password_hash: str) -> None:
    await db.execute(
        "UPDATE staff_accounts SET password_hash = ? WHERE id = ?", (password_hash, account_id)
    )


async def set_disabled(db: aiosqlite.Connection, account_id: int, at: str | None) -> None:
    await db.execute("UPDATE staff_accounts SET disabled_at = ? WHERE id = ?", (at, account_id))


async def start_session(
    db: aiosqlite.Connection, account_id: int, address: str, user_agent: str
) -> tuple[StaffSession, str]:
    """A new session and the secret for its cookie (returned once, stored only hashed)."""
    secret = secrets.token_urlsafe(32)
    now = rows.now_text()
    cursor = await db.execute(
        "INSERT INTO staff_sessions (token_hash, account_id, csrf_token, address, user_agent,"
        " created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *",
        (_hash(secret), account_id, secrets.token_urlsafe(32), address, user_agent, now, now),
    )
    row = await cursor.fetchone()
    assert row is not None
    return _session(row), secret


async def session_by_secret(db: aiosqlite.Connection, secret: str) -> StaffSession | None:
    async with db.execute(
        "SELECT * FROM staff_sessions WHERE token_hash = ?", (_hash(secret),)
    ) as cursor:
        row = await cursor.fetchone()
    return _session(row) if row else None


async def get_session(db: aiosqlite.Connection, session_id: int) -> StaffSession | None:
    async with db.execute("SELECT * FROM staff_sessions WHERE id = ?", (session_id,)) as cursor:
        row = await cursor.fetchone()
    return _session(row) if row else None


async def live_sessions(db: aiosqlite.Connection) -> list[StaffSession]:
    async with db.execute(
        "SELECT * FROM staff_sessions WHERE ended_at IS NULL ORDER BY last_seen_at DESC"
    ) as cursor:
        return [_session(row) for row in await cursor.fetchall()]


async def touch_session(db: aiosqlite.Connection, session_id: int, at: str) -> None:
    await db.execute("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?", (at, session_id))


async def end_session(db: aiosqlite.Connection, session_id: int, at: str, by: str) -> None:
    await db.execute(
        "UPDATE staff_sessions SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL",
        (at, by, session_id),
    )


async def end_sessions_of(db: aiosqlite.Connection, account_id: int, at: str, by: str) -> None:
    await db.execute(
        "UPDATE staff_sessions SET ended_at = ?, ended_by = ?"
        " WHERE account_id = ? AND ended_at IS NULL",
        (at, by, account_id),
    )


async def record_failure(db: aiosqlite.Connection, username: str, address: str, at: str) -> None:
    await db.execute(
        "INSERT INTO login_failures (at, username, address) VALUES (?, ?, ?)",
        (at, username, address),
    )


async def failures_since(
    db: aiosqlite.Connection, since: str, *, username: str | None = None, address: str | None = None
) -> list[str]:
    """When each failed login since `since` happened, for one username or one address."""
    if username is not None:
        query, value = "username = ?", username
    else:
        query, value = "address = ?", address or ""
    async with db.execute(
        f"SELECT at FROM login_failures WHERE {query} AND at >= ? ORDER BY at", (value, since)
    ) as cursor:
        return [row["at"] for row in await cursor.fetchall()]


async def clear_failures(db: aiosqlite.Connection, username: str) -> None:
    await db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
