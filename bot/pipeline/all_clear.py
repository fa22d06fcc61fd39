"""This module contains the "all clear" stage: any message from a resident whose check-in was
missed tells their catalyst they are in touch again and closes the missed check-in alert. It
never handles the message: what the resident said carries on to the stages after it."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from bot.services import checkin_ladder


async def handle(arrival: Arrival) -> Routed | None:
    sender = arrival.sender
    if isinstance(sender, ResidentSender):
        now = arrival.conversations.clock.now()
        await checkin_ladder.all_clear(arrival.tx, sender.resident, now)
    return None
