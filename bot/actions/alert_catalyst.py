"""This module carries out `alert_catalyst`: the flow asks a human to look at something."""

from __future__ import annotations

from bot.actions.base import ActionCall
from storage import alerts

KIND = "alert_catalyst"


async def handle(call: ActionCall) -> None:
    await alerts.alert_for(
        call.tx,
        call.resident,
        kind=str(call.params.get("kind", "flow")),
        urgency=str(call.params["urgency"]),
        summary=str(call.params["reason"]),
    )
