"""This module contains the safeguarding stage: a message that signals risk, in any configured
language and whatever the conversation was doing, gets the fixed reply at once (ahead of
anything routine, at any hour), and a person is alerted and the alert's record begun."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.services import safeguarding


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    text = arrival.inbound.text
    risk = await safeguarding.assess(arrival.tx, text, arrival.conversations.programme.languages)
    if risk is None:
        return None
    resident = sender.resident
    response = await safeguarding.respond(
        arrival.tx,
        resident,
        risk,
        text=text,
        message_id=arrival.message_id,
        channel=arrival.inbound.channel,
        opted_out=sender.identity.opted_out_at is not None,
        languages=arrival.conversations.programme.languages,
    )
    queued = []
    for reply in response.replies:
        queued.append(await arrival.say_exactly(resident, reply, "safety"))
        await safeguarding.replied(arrival.tx, response, resident, reply)
    return Routed("safeguarding", tuple(queued))
