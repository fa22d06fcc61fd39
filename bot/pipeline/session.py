"""This module contains the session stage: a reply to the conversation waiting for one."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from flows.engine import Reply


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    waiting = await arrival.waiting()
    if not isinstance(sender, ResidentSender) or waiting is None:
        return None
    queued = await arrival.conversations.resume(
        arrival.tx, sender.resident, waiting, Reply(arrival.inbound.text), arrival.route
    )
    return Routed("session", tuple(queued))
