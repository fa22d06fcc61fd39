"""This module contains the catch-all stage: a message nothing else took is passed to the
resident's catalyst to read, and the resident is told so."""

from __future__ import annotations

from bot import replies
from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from storage import alerts


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    resident = sender.resident
    await alerts.alert_for(
        arrival.tx,
        resident,
        kind="message",
        urgency="routine",
        summary=f"{resident.preferred_name} sent a message to read.",
        message_id=arrival.message_id,
    )
    return Routed("catch_all", (await arrival.say(resident, replies.PASSED_ON),))
