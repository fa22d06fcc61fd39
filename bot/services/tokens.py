"""This module contains the API tokens use cases: make one, list them, revoke one, and check a
token presented with a request.

The rule for roles: a token made with `companion tokens create NAME` is an admin token unless
`--role client` is given. An admin token may use every route, including listing and revoking
tokens; a client token may use every route but those. A revoked token stops working at once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta

from bot.services.errors import Busy, Invalid, NotFound
from bot.services.unit import Tx, reading, writing
from flows.engine import Clock
from storage import rows, tokens
from storage.database import Database
from storage.tokens import ROLES, ApiToken

__all__ = ["ROLES", "ApiToken", "NewToken", "Tokens"]

#: How stale `last_used_at` may be before a request writes it again: at most one write a
#: minute per token, so that reading the API does not queue behind the writer on every call.
USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class NewToken:
    """A token just made: `secret` is shown once and is not kept anywhere."""

    token: ApiToken
    secret: str


class Tokens:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def create(self, name: str, role: str = "admin", tx: Tx | None = None) -> NewToken:
        name = name.strip()
        if not name or len(name) > 100:
            raise Invalid("name", "A token's name should be 1 to 100 characters.")
        if role not in ROLES:
            raise Invalid("role", f"A token's role is one of {', '.join(ROLES)}, not '{role}'.")
        async with writing(self.db, tx) as work:
            token_id, secret = await tokens.create_token(work, name, role)
            made = await tokens.get_token(work, token_id)
        assert made is not None
        return NewToken(made, secret)

    async def list_tokens(self) -> list[ApiToken]:
        async with reading(self.db) as conn:
            return await tokens.list_tokens(conn)

    async def revoke(self, token_id: int, tx: Tx | None = None) -> ApiToken:
        """Revoke a token; revoking one already revoked changes nothing and is not an error."""
        async with writing(self.db, tx) as work:
            await tokens.revoke_token(work, token_id, rows.now_text(self.clock.now()))
            found = await tokens.get_token(work, token_id)
        if found is None:
            raise NotFound("token", token_id)
        return found

    async def authenticate(self, secret: str) -> ApiToken | None:
        """The live token `secret` is, or None; notes when it was last used."""
        async with reading(self.db) as conn:
            found = await tokens.live_token(conn, secret)
        if found is None:
            return None
        now = self.clock.now()
        last = found.last_used_at
        if last is None or rows.now_text(now - USE_RESOLUTION) > last:
            # Only a note: a busy database must not turn a good token away.
            with contextlib.suppress(Busy):
                async with writing(self.db) as tx:
                    await tokens.mark_used(tx, found.id, rows.now_text(now))
        return found
