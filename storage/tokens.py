"""This module stores API tokens, hashed: a token is shown once and never kept in the clear."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import aiosqlite

from storage import rows

PREFIX = "cmp_"

#: What a token may do: "admin" everything, "client" everything but managing tokens.
ROLES = ("admin", "client")


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A token's record; the token itself is never stored, only its hash."""

    id: int
    name: str
    role: str
    created_at: str
    last_used_at: str | None
    revoked_at: str | None


def _hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is safe here; passwords use argon2 instead.
    return hashlib.sha256(token.encode()).hexdigest()


def _token(row: aiosqlite.Row) -> ApiToken:
    return ApiToken(
        int(row["id"]),
        row["name"],
        row["role"],
        row["created_at"],
        row["last_used_at"],
        row["revoked_at"],
    )


async def create_token(db: aiosqlite.Connection, name: str, role: str = "admin") -> tuple[int, str]:
    token = PREFIX + secrets.token_urlsafe(32)
    cursor = await db.execute(
        "INSERT INTO api_tokens (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)"
        " RETURNING id",
        (name, role, _hash(token), rows.now_text()),
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row["id"]), token


async def live_token(db: aiosqlite.Connection, token: str) -> ApiToken | None:
    """The record of a token that is known and not revoked, or None."""
    async with db.execute(
        "SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", (_hash(token),)
    ) as cursor:
        row = await cursor.fetchone()
    return _token(row) if row else None


async def token_id(db: aiosqlite.Connection, token: str) -> int | None:
    """The id of a live token, or None."""
    found = await live_token(db, token)
    return found.id if found else None


async def get_token(db: aiosqlite.Connection, token_id: int) -> ApiToken | None:
    async with db.execute("SELECT * FROM api_tokens WHERE id = ?", (token_id,)) as cursor:
        row = await cursor.fetchone()
    return _token(row) if row else None


async def list_tokens(db: aiosqlite.Connection) -> list[ApiToken]:
    async with db.execute("SELECT * FROM api_tokens ORDER BY id") as cursor:
        return [_token(row) for row in await cursor.fetchall()]


async def revoke_token(db: aiosqlite.Connection, token_id: int, at: str) -> bool:
    """Revoke a token at once; False if it was already revoked (or does not exist)."""
    cursor = await db.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
        (at, token_id),
    )
    return cursor.rowcount > 0


async def mark_used(db: aiosqlite.Connection, token_id: int, at: str) -> None:
    await db.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", (at, token_id))
