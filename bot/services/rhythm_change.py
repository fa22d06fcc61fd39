"""This module contains a change of check-in rhythm the resident agreed to (or turned down) in
the conversation the pace stage started ("How about every 2 weeks on Tuesday at 10am?"): the
rhythm set, and the catalyst told either way.

It is apart from bot/services/pace.py because the flow action that calls it runs inside a
conversation, and so must not need the conversations themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.services.schedules import DEFAULT_FLOW
from bot.timing.rhythm import Rhythm, next_due
from storage import alerts, schedules
from storage.records import Resident


async def settle_rhythm_change(
    tx: aiosqlite.Connection,
    resident: Resident,
    rhythm: dict[str, Any],
    *,
    agreed: bool,
    at: datetime,
) -> None:
    """The resident said yes to the rhythm offered (set it), or did not (keep theirs); the
    catalyst is told either way (the `change_rhythm` flow action)."""
    name = resident.preferred_name
    current, proposed = rhythm.get("current", "their rhythm"), rhythm.get("proposed", "")
    if agreed and rhythm.get("rule"):
        await set_rhythm(tx, resident, str(rhythm["rule"]), at)
        summary = f"{name} agreed to check-ins {proposed} (was {current}); it is set."
    else:
        # Said no, said something else, or did not answer: the offer was not taken.
        summary = (
            f"{name} would like check-ins {rhythm.get('change', 'at another pace')}; "
            f"{proposed} was offered and not taken, so still {current}. "
            "Worth a chat about what suits them."
        )
    await alerts.alert_for(tx, resident, kind="pace", urgency="routine", summary=summary)


async def set_rhythm(tx: aiosqlite.Connection, resident: Resident, rule: str, at: datetime) -> None:
    """The resident's check-ins follow `rule` from `at`, running the flow they ran before."""
    zone = ZoneInfo(resident.time_zone)
    current = await schedules.checkin_schedule(tx, resident.id)
    start = at.astimezone(zone)
    rhythm = Rhythm(rule, resident.time_zone, start)
    await schedules.set_checkin(
        tx,
        resident.id,
        flow_id=current.flow_id if current else DEFAULT_FLOW,
        rule=rhythm.rule,
        starts_at=start,
        next_due_at=next_due(rhythm, at),
    )
