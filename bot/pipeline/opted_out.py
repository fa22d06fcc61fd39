"""This module contains the opted-out stage: after STOP, the carrier would not deliver a
reply, so nothing more is answered (staff still see the message in the conversation)."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if isinstance(sender, ResidentSender) and sender.identity.opted_out_at is not None:
        return Routed("opted_out")
    return None
