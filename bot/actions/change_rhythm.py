"""This module carries out `change_rhythm`: the resident said yes (or no) to the rhythm the
pace stage offered them, which the conversation keeps in its `rhythm` context."""

from __future__ import annotations

from datetime import datetime

from bot.actions.base import ActionCall
from bot.services.rhythm_change import settle_rhythm_change

KIND = "change_rhythm"


async def handle(call: ActionCall) -> None:
    await settle_rhythm_change(
        call.tx,
        call.resident,
        dict(call.about.get("rhythm", {})),
        agreed=bool(call.params["agreed"]),
        at=datetime.fromisoformat(str(call.params["at"])),
    )
