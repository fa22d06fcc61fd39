"""This module contains check-in rhythms: a resident's schedule set in plain words ("every
week on Thursday at 2pm", "once on 8 December at 10am") or as an RFC 5545 rule, read back with
a description, and the check-in flow it runs (the built-in one or one staff wrote).

The rhythm is read in the resident's own time zone, and its next due time is computed there,
so "Thursdays at 2pm" stays 2pm local across clock changes. A slot in the resident's quiet hours
is moved to when they end, and the schedule remembers where the rhythm had put it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.flow_library import StoredFlows
from bot.services.errors import Invalid
from bot.services.lookups import resident_or_not_found
from bot.services.unit import Tx, reading, writing
from bot.timing.checkin_slots import Slot, clock_time, next_slot
from bot.timing.rhythm import (
    Rhythm,
    RhythmError,
    describe,
    parse_rule,
    rhythm_from_words,
    rhythm_once,
)
from flows.engine import Clock
from storage import schedules
from storage.database import Database
from storage.records import Resident, Schedule

#: The flow a check-in runs when staff choose none.
DEFAULT_FLOW = "weekly_checkin"
#: The purpose a flow must declare to be run as a check-in.
CHECKIN_PURPOSE = "checkins"


@dataclass(frozen=True, slots=True)
class RhythmRequest:
    """Either plain words (`every`, `days`, `at`, `interval`), a one-off (`every` "once", `on`
    a date as YYYY-MM-DD, `at`), or an RFC 5545 `rule`."""

    every: str | None = None
    days: list[str] = field(default_factory=list)
    at: str | None = None
    interval: int = 1
    rule: str | None = None
    flow: str = DEFAULT_FLOW
    on: str | None = None


@dataclass(frozen=True, slots=True)
class CheckinSchedule:
    flow: str
    rule: str | None
    #: Plain words for staff ("Every Thursday at 2pm"), or the rule when words fail.
    description: str | None
    next_due_at: str | None
    active: bool
    #: Where the rhythm put the next check-in when quiet hours moved it to next_due_at (UTC).
    moved_from: str | None = None
    #: When the rhythm began (UTC), so a one-off can be read back into the form.
    starts_at: str | None = None


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
        schedule.moved_from,
        schedule.starts_at,
    )


def checkin_flows(flows: StoredFlows) -> list[tuple[str, str]]:
    """The published flows a check-in can run (their purpose is check-ins): (id, name)."""
    found = [flows.get(flow_id) for flow_id in flows.ids()]
    return [
        (flow.id, flow.name or flow.id)
        for flow in found
        if flow is not None and flow.purpose == CHECKIN_PURPOSE
    ]


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
        flow = self.flows.get(request.flow)
        if flow is None:
            raise Invalid("flow", f"There is no flow '{request.flow}'.", "no such flow")
        if flow.purpose != CHECKIN_PURPOSE:
            raise Invalid(
                "flow",
                f"The flow '{request.flow}' is not a check-in: its purpose is {flow.purpose}. "
                "Choose a flow written for check-ins.",
                "not a check-in flow",
            )
        async with writing(self.db, tx) as work:
            resident = await resident_or_not_found(work, resident_id)
            now = self.clock.now()
            start = now.astimezone(ZoneInfo(resident.time_zone))
            rhythm = _rhythm(request, resident.time_zone, start)
            slot = first_slot(rhythm, resident, now)
            if slot is None and request.every == "once":
                raise Invalid("on", "That date and time have passed. Choose a later one.")
            saved = await schedules.set_checkin(
                work,
                resident.id,
                flow_id=request.flow,
                rule=rhythm.rule,
                starts_at=rhythm.starts_at,
                next_due_at=slot.due_at if slot else None,
                moved_from=slot.moved_from if slot else None,
            )
        view = schedule_view(saved, resident.time_zone)
        assert view is not None
        return view


def first_slot(rhythm: Rhythm, resident: Resident, after: datetime) -> Slot | None:
    """The rhythm's next slot after `after`, out of the resident's quiet hours."""
    return next_slot(
        rhythm, after, clock_time(resident.quiet_start), clock_time(resident.quiet_end)
    )


def _rhythm(request: RhythmRequest, zone: str, start: datetime) -> Rhythm:
    try:
        if request.every == "once":
            if not request.on or not request.at:
                raise Invalid("on", "Give the date and the time of the one-off check-in.")
            return rhythm_once(_date(request.on), request.at, zone)
        if request.rule:
            return Rhythm(parse_rule(request.rule), zone, start)
        if request.every and request.at:
            return rhythm_from_words(
                request.every, request.days or None, request.at, zone, start, request.interval
            )
    except RhythmError as exc:
        field = "at" if request.every == "once" else "rule" if request.rule else "every"
        raise Invalid(field, str(exc)) from None
    raise Invalid("every", "Give either 'rule', or 'every' and 'at' (and 'days').")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Invalid("on", f"{text!r} is not a date. Write it like 2026-12-08.") from None
