"""Helpers for service tests: speak as a resident, read what they were sent."""

from __future__ import annotations

import uuid

from bot.conversations import Route
from bot.inbound import Handled, InboundMessage
from bot.runtime import Runtime
from storage import alerts, messages, people
from storage.records import Alert, Message


async def say(services: Runtime, resident_id: int, text: str, provider_id: str = "") -> Handled:
    handled = await services.pipeline.handle(
        InboundMessage("webchat", str(resident_id), text, provider_id or uuid.uuid4().hex)
    )
    await services.dispatcher.run_once()
    return handled


async def replies(services: Runtime, handled: Handled) -> list[str]:
    async with services.db.read() as conn:
        found = [await messages.get_message(conn, i) for i in handled.replies]
    return [m.body for m in found if m is not None]


async def sent_to(services: Runtime, resident_id: int) -> list[Message]:
    async with services.db.read() as conn:
        return [m for m in await messages.conversation(conn, resident_id) if m.direction == "out"]


async def open_alerts(services: Runtime) -> list[Alert]:
    async with services.db.read() as conn:
        return await alerts.list_alerts(conn, status="open")


async def start_checkin(services: Runtime, resident_id: int) -> list[str]:
    async with services.db.write() as tx:
        resident = await people.get_resident(tx, resident_id)
        assert resident is not None
        ids = await services.conversations.start(
            tx, resident, "weekly_checkin", Route("webchat", str(resident_id))
        )
    await services.dispatcher.run_once()
    async with services.db.read() as conn:
        return [m.body for i in ids if (m := await messages.get_message(conn, i))]
