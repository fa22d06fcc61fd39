"""This module contains what every pipeline stage is given and what it gives back.

A stage is an async function of one `Arrival`: it either handles the message (returns
`Routed`) or passes it on (returns None). The pipeline tries the stages in order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import aiosqlite

from bot.context import speaker
from bot.conversations import Conversations, Route
from bot.inbound import InboundMessage
from bot.pipeline.sender import Sender
from storage import messages, sessions
from storage.records import Resident, Session


@dataclass(frozen=True, slots=True)
class Routed:
    """A stage handled the message: how (`route`, for logs and callers), and the replies."""

    route: str
    replies: tuple[int, ...] = ()


@dataclass(slots=True)
class Arrival:
    """One inbound message on its way through the stages, recorded and with its sender known.

    Everything is written in `tx`, the message's one transaction.
    """

    tx: aiosqlite.Connection
    inbound: InboundMessage
    sender: Sender
    #: Our id of the recorded inbound message.
    message_id: int
    conversations: Conversations
    _waiting: tuple[Session | None] | None = field(default=None, repr=False)

    @property
    def route(self) -> Route:
        """Where a reply goes: back where the message came from."""
        return Route(self.inbound.channel, self.inbound.address)

    async def waiting(self) -> Session | None:
        """The sender's conversation waiting for a reply, read once for all the stages (a
        stage that ends or starts a conversation handles the message, so none reads it after)."""
        if self._waiting is None:
            resident = self.sender.resident
            found = await sessions.waiting_session(self.tx, resident.id) if resident else None
            self._waiting = (found,)
        return self._waiting[0]

    async def say(self, resident: Resident, text: str, purpose: str = "service") -> int:
        """Queue a reply to a resident; `text` may name them ({name}) and their catalyst."""
        who = await speaker(self.tx, resident, self.conversations.programme)
        body = text.format(name=resident.preferred_name, catalyst=who["first_name"])
        return await self._queue(body, purpose, resident_id=resident.id)

    async def say_exactly(self, resident: Resident, body: str, purpose: str = "service") -> int:
        """Queue a fixed text to a resident as written (a safeguarding reply: nothing in it is
        filled in, so braces typed by whoever wrote it are kept as they are)."""
        return await self._queue(body, purpose, resident_id=resident.id)

    async def say_to(
        self, body: str, *, person_id: int | None = None, purpose: str = "service"
    ) -> int:
        """Queue a reply to someone who is not a resident: a catalyst, or a chat not linked."""
        return await self._queue(body, purpose, person_id=person_id)

    async def _queue(
        self,
        body: str,
        purpose: str,
        *,
        resident_id: int | None = None,
        person_id: int | None = None,
    ) -> int:
        # A reply to what someone just said is never routine: it goes in quiet hours too.
        return await messages.queue_outbound(
            self.tx,
            channel=self.inbound.channel,
            address=self.inbound.address,
            body=body,
            purpose=purpose,
            routine=False,
            resident_id=resident_id,
            person_id=person_id,
        )


@dataclass(frozen=True, slots=True)
class Stage:
    """One named step of the pipeline."""

    name: str
    run: Callable[[Arrival], Awaitable[Routed | None]]
