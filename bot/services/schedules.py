"""This module contains check-in rhythms: a resident's schedule set in plain words ("every
week on Thursday at 2pm") or as an RFC 5545 rule, read back with a description.

The rhythm is read in the resident's own time zone, and its next due time is computed there,
so "Thursdays at 2pm" stays 2pm local across clock changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.flow_library import StoredFlows
from bot.services.errors import Invalid
from bot.services.lookups import resident_or_not_found
from bot.services.unit import Tx, reading, writing
from bot.timing.rhythm import Rhythm, RhythmError, describe, next_due, parse_rule, rhythm_from_words
from flows.engine import Clock
from storage import schedules
from storage.database import Database
from storage.records import Schedule

#: The flow a check-in runs when staff choose none.
DEFAULT_FLOW = "weekly_checkin"


@dataclass(frozen=True, slots=True)
class RhythmRequest:
    """Either plain words (`every`, `days`, `at`, `interval`) or an RFC 5545 `rule`."""

    every: str | None = None
    days: list[str] = field(default_factory=list)
    at: str | None = None
    interval: int = 1
    rule: str | None = None
    flow: str = DEFAULT_FLOW


@dataclass(frozen=True, slots=True)
class CheckinSchedule:
    flow: str
    rule: str | None
    #: Plain words for staff ("Every Thursday at 2pm"), or the rule when words fail.
    description: str | None
    next_due_at: str | None
    active: bool


def schedule_view(schedule: Schedule | None, zone: str) -> CheckinSchedule | None:
    if schedule is None:
        return None
    starts = datetime.fromisoformat(schedule.starts_at).astimezone(ZoneInfo(zone))
    rhythm = Rhythm(schedule.rule, zone, starts) if schedule.rule else None
    return CheckinSchedule(
        schedule.flow_id,
        schedule.rule,
        describe(rhythm) if rhythm else None,
        schedule.next_due_at,
        schedule.active,
    )


class Schedules:
    def __init__(self, db: Database, clock: Clock, flows: StoredFlows) -> None:
        self.db = db
        self.clock = clock
        self.flows = flows

    async def get(self, resident_id: int) -> CheckinSchedule | None:
        async with reading(self.db) as conn:
            resident = await resident_or_not_found(conn, resident_id)
            found = await schedules.checkin_schedule(conn, resident.id)
        return schedule_view(found, resident.time_zone)

    async def set(
        self, resident_id: int, request: RhythmRequest, tx: Tx | None = None
    ) -> CheckinSchedule:
        if self.flows.get(request.flow) is None:
            raise Invalid("flow", f"There is no flow '{request.flow}'.", "no such flow")
        async with writing(self.db, tx) as work:
            resident = await resident_or_not_found(work, resident_id)
            now = self.clock.now()
            start = now.astimezone(ZoneInfo(resident.time_zone))
            rhythm = _rhythm(request, resident.time_zone, start)
            saved = await schedules.set_checkin(
                work,
                resident.id,
                flow_id=request.flow,
                rule=rhythm.rule,
                starts_at=start,
                next_due_at=next_due(rhythm, now),
            )
        view = schedule_view(saved, resident.time_zone)
        assert view is not None
        return view


def _rhythm(request: RhythmRequest, zone: str, start: datetime) -> Rhythm:
    try:
        if request.rule:
            return Rhythm(parse_rule(request.rule), zone, start)
        if request.every and request.at:
            return rhythm_from_words(
                request.every, request.days or None, request.at, zone, start, request.interval
            )
    except RhythmError as exc:
        raise Invalid("rule" if request.rule else "every", str(exc)) from None
    raise Invalid("every", "Give either 'rule', or 'every' and 'at' (and 'days').")
