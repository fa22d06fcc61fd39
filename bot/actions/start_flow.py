"""This module carries out `start_flow`: another flow begins once this conversation ends."""

from __future__ import annotations

from bot.actions.base import ActionCall

KIND = "start_flow"


async def handle(call: ActionCall) -> None:
    # Started by the caller once the flow has ended, so that the two never wait at once.
    call.hand_over = str(call.params["flow"])
