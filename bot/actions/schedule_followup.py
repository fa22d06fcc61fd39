"""This module carries out `schedule_followup`: a flow to start with the resident later, once."""

from __future__ import annotations

from datetime import datetime

from bot.actions.base import ActionCall
from storage import schedules

KIND = "schedule_followup"


async def handle(call: ActionCall) -> None:
    due = datetime.fromisoformat(str(call.params["due_at"]))
    await schedules.add_followup(call.tx, call.resident.id, str(call.params["flow"]), due)
