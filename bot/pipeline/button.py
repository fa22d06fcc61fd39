"""This module contains the stale-button stage: a button pressed on a question already
answered is dropped, since its "1" would answer whatever is asked now."""

from __future__ import annotations

from bot.pipeline.base import Arrival, Routed
from bot.pipeline.sender import ResidentSender
from storage import messages


async def handle(arrival: Arrival) -> Routed | None:
    pressed_on = arrival.inbound.button_of
    if pressed_on is None or not isinstance(arrival.sender, ResidentSender):
        return None
    if await _is_current(arrival, arrival.sender.resident.id, pressed_on):
        return None
    return Routed("stale_button")


async def _is_current(arrival: Arrival, resident_id: int, message_id: int) -> bool:
    """Whether a button pressed on message `message_id` answers the question waiting now: the
    message belongs to the conversation waiting for a reply, and nothing asked since offered
    other buttons (a reminder repeats the same ones)."""
    pressed = await messages.get_message(arrival.tx, message_id)
    waiting = await arrival.waiting()
    if pressed is None or waiting is None or pressed.resident_id != resident_id:
        return False
    if pressed.session_id != waiting.id:
        return False
    return all(
        later == pressed.buttons
        for later in await messages.buttons_after(arrival.tx, waiting.id, message_id)
    )
