"""This module contains a resident's conversation as staff read it: messages both ways, oldest
first, with their delivery status, from a point onwards (for polling); and, for the admin, the
latest of it checked against who is looking, each message's status in words."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import Viewer
from bot.services.lookups import resident_for_viewer, resident_or_not_found
from bot.services.unit import Tx, reading
from flows.sms import explain
from storage import messages, resident_history
from storage.database import Database
from storage.records import Message

#: Messages a resident's page shows: enough for the last few weeks of check-ins.
PAGE_MESSAGES = 100

#: Outbound delivery statuses as staff read them.
STATUS_WORDS = {
    "queued": "waiting to be sent",
    "sending": "being sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "not delivered",
    "failed": "failed",
    "cancelled": "not sent",
}


@dataclass(frozen=True, slots=True)
class ConversationLine:
    message: Message
    #: "from Pat", "from Abby Clarke" (written in the admin) or "from the bot".
    speaker: str
    #: The delivery status in words, with why it failed ("failed: the number is not in use");
    #: "received" for the resident's own messages.
    status: str
    #: True for a message a person wrote in the admin, in their own name.
    by_person: bool
    #: What the text costs as SMS ("1 segment, GSM-7"), for messages that go out as SMS or were
    #: written by a person in the admin; None otherwise.
    sms: str | None


def status_words(message: Message) -> str:
    if message.direction == "in":
        return "received"
    words = STATUS_WORDS.get(message.status, message.status)
    return f"{words}: {message.error}" if message.error else words


class ConversationView:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def messages(self, resident_id: int, after_id: int = 0) -> list[Message]:
        async with reading(self.db) as conn:
            resident = await resident_or_not_found(conn, resident_id)
            return await messages.conversation(conn, resident.id, after_id=after_id)

    async def latest(
        self, viewer: Viewer, resident_id: int, conn: Tx | None = None
    ) -> list[ConversationLine]:
        """The latest of a resident's conversation, oldest first, for someone who may see it."""
        async with reading(self.db, conn) as read:
            resident = await resident_for_viewer(read, viewer, resident_id)
            found = await resident_history.latest_conversation(read, resident.id, PAGE_MESSAGES)
        lines = []
        for row in found:
            message = row.message
            if message.direction == "in":
                speaker = f"from {resident.preferred_name}"
            elif row.sent_by:
                speaker = f"from {row.sent_by}"
            else:
                speaker = "from the bot"
            sms = None
            if message.direction == "out" and (message.channel == "sms" or row.sent_by):
                sms = explain(message.body)
            lines.append(
                ConversationLine(
                    message, speaker, status_words(message), row.sent_by is not None, sms
                )
            )
        return lines
