"""This module contains the unknown-sender stage: someone staff don't know yet gets one polite
reply, and staff are alerted once, so they can follow up. A message that signals risk is left
to the safeguarding stage: whoever sends it gets the fixed reply, and a person is paged."""

from __future__ import annotations

from bot import replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.services import safeguarding
from storage import alerts, messages


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender) or sender.known:
        return None
    languages = arrival.conversations.programme.languages
    if await safeguarding.assess(arrival.tx, arrival.inbound.text, languages):
        return None
    resident = sender.resident
    if any(m.direction == "out" for m in await messages.conversation(arrival.tx, resident.id)):
        return Routed("unknown_sender")  # greeted already: once is enough
    await alerts.raise_alert(
        arrival.tx,
        resident_id=resident.id,
        catalyst_id=None,
        kind="unknown_sender",
        urgency="routine",
        summary=f"A message came from someone not yet known, by {sender.identity.channel}.",
        message_id=arrival.message_id,
    )
    return Routed("unknown_sender", (await arrival.say(resident, replies.UNKNOWN_SENDER),))
