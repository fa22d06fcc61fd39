"""This module carries out `record_consent`: the resident said yes or no to a purpose."""

from __future__ import annotations

from bot.actions.base import ActionCall
from storage import consents

KIND = "record_consent"


async def handle(call: ActionCall) -> None:
    await consents.record_consent(
        call.tx,
        call.resident.id,
        str(call.params["purpose"]),
        bool(call.params["given"]),
        f"flow:{call.flow_id}",
    )
