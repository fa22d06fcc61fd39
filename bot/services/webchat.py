"""This module contains talking as a resident through web chat: the message goes through the
same pipeline as SMS and Telegram, and the bot's replies come back once they are sent. For the
admin's web chat page it also lists who can be spoken as, shows one resident's chat, and starts
their check-in there, so a new user can try every feature in the browser."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from bot.conversations import Route
from bot.dispatcher import Dispatcher
from bot.inbound import InboundMessage
from bot.pipeline import Pipeline
from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid, NotFound
from bot.services.lookups import resident_or_not_found
from bot.services.schedules import DEFAULT_FLOW
from bot.services.unit import Tx, busy_as_unavailable, reading, writing
from storage import audit, identities, messages, schedules, webchat
from storage.database import Database
from storage.records import Message, Resident

#: The longest message the web chat page sends (a long SMS is a few segments of 160).
LONGEST = 1000


@dataclass(frozen=True, slots=True)
class Chat:
    """One resident's web chat: who they are and their newest messages, oldest first."""

    resident: Resident
    messages: list[Message]


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

    async def residents(self) -> list[Resident]:
        """Everyone who can be spoken as through web chat."""
        async with reading(self.db) as conn:
            return await webchat.webchat_residents(conn)

    async def chat(self, resident_id: int) -> Chat:
        async with reading(self.db) as conn:
            resident = await _webchat_resident(conn, resident_id)
            return Chat(resident, await webchat.latest_messages(conn, resident.id))

    async def say_as(self, viewer: Viewer, resident_id: int, text: str) -> ChatTurn:
        """Speak as a resident who has web chat, from the admin's page: blank or overlong
        text is refused and nothing is sent. Who spoke as whom is written in the audit log."""
        text = text.strip()
        if not text:
            raise Invalid("text", "Type a message to send.")
        if len(text) > LONGEST:
            raise Invalid("text", f"That is too long: at most {LONGEST} characters.")
        async with writing(self.db) as tx:
            await _webchat_resident(tx, resident_id)
            await audit.record(
                tx, viewer.actor, "spoke as in web chat", resident_subject(resident_id)
            )
        return await self.say(resident_id, text)

    async def start_checkin(self, viewer: Viewer, resident_id: int) -> list[Message]:
        """Start the resident's check-in now in their web chat (as their rhythm would, but on
        this channel), and return what the bot said."""
        with busy_as_unavailable():
            async with writing(self.db) as tx:
                resident = await _webchat_resident(tx, resident_id)
                schedule = await schedules.checkin_schedule(tx, resident.id)
                queued = await self.pipeline.conversations.start(
                    tx,
                    resident,
                    schedule.flow_id if schedule else DEFAULT_FLOW,
                    Route("webchat", str(resident.id)),
                    started_by="staff",
                )
                await audit.record(
                    tx,
                    viewer.actor,
                    "started a check-in in web chat",
                    resident_subject(resident.id),
                )
        await self.dispatcher.run_once(wait_for_limits=False)
        async with reading(self.db) as conn:
            found = [await messages.get_message(conn, i) for i in queued]
        return [m for m in found if m is not None]


async def _webchat_resident(conn: Tx, resident_id: int) -> Resident:
    """The resident, if they can be spoken as through web chat; otherwise not found."""
    resident = await resident_or_not_found(conn, resident_id)
    identity = await identities.identity_of(conn, "webchat", resident_id=resident.id)
    if resident.status == "unknown" or identity is None:
        raise NotFound("resident", resident_id)
    return resident
