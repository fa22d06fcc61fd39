"""This module stores start links: single-use, expiring tokens that bind a Telegram chat.

A bot cannot write first, so staff give a resident (or a catalyst, for alerts) a link with a
token in it; the chat that opens it becomes theirs. Only the token's hash is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage import rows


@dataclass(frozen=True, slots=True)
class Link:
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Holder:
    """Whom a redeemed token belongs to: a resident or a person (catalyst, staff, buddy)."""

    resident_id: int | None
    person_id: int | None


def _hash(token: str) -> str:
    # 192 random bits: a fast hash is enough, and the clear token is never stored.
    return hashlib.sha256(token.encode()).hexdigest()


async def create_link(
    db: aiosqlite.Connection,
    channel: str,
    *,
    resident_id: int | None = None,
    person_id: int | None = None,
    created_by: str,
    now: datetime,
    lifetime: timedelta,
) -> Link:
    """A new token for the holder; any unused earlier one stops working, so only the newest
    link handed out can bind a chat."""
    await db.execute(
        "DELETE FROM link_tokens WHERE channel = ? AND used_at IS NULL"
        " AND resident_id IS ? AND person_id IS ?",
        (channel, resident_id, person_id),
    )
    # Telegram allows 1 to 64 of A-Z, a-z, 0-9, _ and - in a start parameter.
    token = secrets.token_urlsafe(24)
    expires = now + lifetime
    await db.execute(
        "INSERT INTO link_tokens (token_hash, channel, resident_id, person_id, created_by,"
        " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            _hash(token),
            channel,
            resident_id,
            person_id,
            created_by,
            rows.now_text(now),
            rows.now_text(expires),
        ),
    )
    return Link(token, expires)


async def redeem(
    db: aiosqlite.Connection, channel: str, token: str, now: datetime
) -> Holder | None:
    """Use a token once: whom it belongs to, or None when it is unknown, used or expired."""
    cursor = await db.execute(
        "UPDATE link_tokens SET used_at = ? WHERE token_hash = ? AND channel = ?"
        " AND used_at IS NULL AND expires_at > ? RETURNING resident_id, person_id",
        (rows.now_text(now), _hash(token), channel, rows.now_text(now)),
    )
    row = await cursor.fetchone()
    if row is None:
        return None
    return Holder(row["resident_id"], row["person_id"])
