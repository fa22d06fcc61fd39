"""This module contains a resident's conversation as staff read it: messages both ways, oldest
first, with their delivery status, from a point onwards (for polling)."""

from __future__ import annotations

from bot.services.lookups import resident_or_not_found
from bot.services.unit import reading
from storage import messages
from storage.database import Database
from storage.records import Message


class ConversationView:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def messages(self, resident_id: int, after_id: int = 0) -> list[Message]:
        async with reading(self.db) as conn:
            resident = await resident_or_not_found(conn, resident_id)
            return await messages.conversation(conn, resident.id, after_id=after_id)
