"""This module contains setting a resident's check-in rhythm from the admin's form ("every
week on Tuesday and Friday at 10:00", "every 3 days at 2pm", "once on 8 December at 10:00")
and the flow it runs, for someone who may see the resident, with the change in the audit log;
and reading a rhythm back into that form.

The rhythm itself is the schedules service's: this only checks who asks, keeps the flow the
resident's check-ins already run unless another is chosen, and records the change in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.access import Viewer
from bot.services.audit import resident_subject
from bot.services.errors import Invalid
from bot.services.lookups import resident_for_viewer
from bot.services.schedules import (
    DEFAULT_FLOW,
    CheckinSchedule,
    RhythmRequest,
    Schedules,
    checkin_flows,
)
from bot.services.unit import writing
from bot.timing.rhythm import DAY_CODES, DAY_NAMES, RhythmError, parse_clock
from storage import audit, schedules
from storage.database import Database

#: What the form offers for "every": the unit, and its words.
UNITS = {
    "day": "days",
    "week": "weeks",
    "fortnight": "fortnights",
    "month": "months",
    "once": "just once, on the date below",
}
#: The one-off form rhythm_once writes (the hour and minute follow).
_ONCE = ("FREQ", "DAILY"), ("COUNT", "1")


@dataclass(frozen=True, slots=True)
class RhythmForm:
    """The form as typed: every `interval` `every`s, on `days` (week or fortnight), at `at`;
    or once, `on` a date (YYYY-MM-DD), at `at`; running `flow` ("" keeps the one it runs)."""

    every: str = "week"
    interval: str = "1"
    days: list[str] = field(default_factory=list)
    at: str = ""
    on: str = ""
    flow: str = ""


def form_values(rule: str | None) -> RhythmForm:
    """The form filled in from a rule the form could have written; a blank form otherwise."""
    if not rule:
        return RhythmForm(at="10:00")
    parts = dict(piece.partition("=")[::2] for piece in rule.split(";") if "=" in piece)
    interval = int(parts.get("INTERVAL", "1")) if parts.get("INTERVAL", "1").isdigit() else 1
    every = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month"}.get(parts.get("FREQ", ""))
    hour, minute = parts.get("BYHOUR", ""), parts.get("BYMINUTE", "0")
    if every is None or not hour.isdigit() or not minute.isdigit():
        return RhythmForm(at="10:00")
    if all(parts.get(name) == value for name, value in _ONCE):
        # The date is the schedule's, not the rule's: the page shows it from there.
        return RhythmForm("once", "1", [], f"{int(hour):02d}:{int(minute):02d}")
    days = [
        DAY_NAMES[DAY_CODES.index(code)].lower()
        for code in parts.get("BYDAY", "").split(",")
        if code in DAY_CODES
    ]
    return RhythmForm(every, str(interval), days, f"{int(hour):02d}:{int(minute):02d}")


class CheckinRhythm:
    def __init__(self, db: Database, schedules: Schedules) -> None:
        self.db = db
        self.schedules = schedules

    async def set(self, viewer: Viewer, resident_id: int, form: RhythmForm) -> CheckinSchedule:
        """Set the rhythm; Invalid (nothing changed) with the field and why when it is wrong."""
        every = form.every.strip().lower()
        if every not in UNITS:
            raise Invalid("every", "Choose how often: days, weeks, fortnights or months.")
        interval = form.interval.strip() or "1"
        if not interval.isdigit() or not 1 <= int(interval) <= 12:
            raise Invalid("interval", "How many should be a whole number from 1 to 12.")
        if not form.at.strip():
            raise Invalid("at", "Give a time of day, such as 10:00.")
        try:
            parse_clock(form.at)
        except RhythmError as exc:
            raise Invalid("at", str(exc)) from None
        if every == "once" and not form.on.strip():
            raise Invalid("on", "Give the date of the one-off check-in.")
        chosen = form.flow.strip()
        if chosen and chosen not in dict(self.flow_choices()):
            raise Invalid("flow", "Choose one of the check-in flows on the list.")
        async with writing(self.db) as work:
            resident = await resident_for_viewer(work, viewer, resident_id)
            current = await schedules.checkin_schedule(work, resident.id)
            request = RhythmRequest(
                every=every,
                days=form.days if every != "once" else [],
                at=form.at,
                interval=int(interval),
                flow=chosen or (current.flow_id if current else DEFAULT_FLOW),
                on=form.on.strip() if every == "once" else None,
            )
            try:
                saved = await self.schedules.set(resident.id, request, tx=work)
            except Invalid as exc:
                # The rhythm's own words say what is wrong (a time, a day, days with months).
                field_name = exc.field if exc.field in ("flow", "on", "at") else "rhythm"
                raise Invalid(field_name, exc.message) from None
            await audit.record(
                work,
                viewer.actor,
                "set the check-in rhythm",
                resident_subject(resident.id),
                rhythm=saved.description,
                rule=saved.rule,
                flow=saved.flow,
            )
        return saved

    def flow_choices(self) -> list[tuple[str, str]]:
        """The published flows a check-in can run, (id, name), for the form's list."""
        return checkin_flows(self.schedules.flows)
