"""This module stores API tokens, hashed: a token is shown once and never kept in the clear."""

from __future__ import annotations

import hashlib
import secrets

import aiosqlite

from storage import rows

PREFIX = "cmp_"


def _hash(token: str) -> str:
    # Tokens are 256 random bits, so a fast hash is safe here; passwords use argon2 instead.
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(db: aiosqlite.Connection, name: str) -> tuple[int, str]:
    token = PREFIX + secrets.token_urlsafe(32)
    cursor = await db.execute(
        "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
        (name, _hash(token), rows.now_text()),
    )
    row = await cursor.fetchone()
    assert row is not None
    return int(row["id"]), token


async def token_id(db: aiosqlite.Connection, token: str) -> int | None:
    """The id of a live token, or None."""
    async with db.execute(
        "SELECT id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", (_hash(token),)
    ) as cursor:
        row = await cursor.fetchone()
    return int(row["id"]) if row else None
