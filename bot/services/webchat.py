"""This module contains talking as a resident through web chat: the message goes through the
same pipeline as SMS and Telegram, and the bot's replies come back once they are sent."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bot.dispatcher import Dispatcher
from bot.inbound import InboundMessage
from bot.pipeline import Pipeline
from bot.services.lookups import resident_or_not_found
from bot.services.unit import busy_as_unavailable, reading
from storage import messages
from storage.database import Database
from storage.records import Message


@dataclass(frozen=True, slots=True)
class ChatTurn:
    """What became of one message: how it was routed, and the replies (none for a repeat)."""

    duplicate: bool
    route: str
    replies: list[Message]


class WebChatService:
    def __init__(self, db: Database, pipeline: Pipeline, dispatcher: Dispatcher) -> None:
        self.db = db
        self.pipeline = pipeline
        self.dispatcher = dispatcher

    async def say(self, resident_id: int, text: str, message_id: str | None = None) -> ChatTurn:
        """Speak as the resident; `message_id` is the caller's id, so a repeat is ignored."""
        async with reading(self.db) as conn:
            resident = await resident_or_not_found(conn, resident_id)
        with busy_as_unavailable():
            handled = await self.pipeline.handle(
                InboundMessage("webchat", str(resident.id), text, message_id or uuid.uuid4().hex)
            )
        await self.dispatcher.run_once(wait_for_limits=False)
        async with reading(self.db) as conn:
            replies = [await messages.get_message(conn, i) for i in handled.replies]
        return ChatTurn(handled.duplicate, handled.route, [m for m in replies if m is not None])
