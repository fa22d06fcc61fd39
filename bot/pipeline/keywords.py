"""This module contains the keyword stage: a few whole messages ("menu") start a flow."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender

#: Whole messages that start a flow, after the checks above them.
KEYWORD_FLOWS = {"menu": "help", "what can you do": "help", "options": "help"}


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if not isinstance(sender, ResidentSender):
        return None
    flow = KEYWORD_FLOWS.get(" ".join(arrival.inbound.text.lower().split()).strip(" ?!."))
    if flow is None:
        return None
    started = await arrival.conversations.start(
        arrival.tx, sender.resident, flow, arrival.route, reply=True, started_by="keyword"
    )
    return Routed("keyword", tuple(started))
