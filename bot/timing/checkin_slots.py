"""This module contains where a check-in's next slot falls: the rhythm's next slot, moved out
of the resident's quiet hours to when they end, remembering where the rhythm had put it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.timing.quiet_hours import in_quiet_hours, quiet_hours_end
from bot.timing.rhythm import Rhythm, next_due


@dataclass(frozen=True, slots=True)
class Slot:
    """When a check-in starts (UTC) and, if quiet hours moved it, where the rhythm had it."""

    due_at: datetime
    moved_from: datetime | None = None


def allowed_slot(moment: datetime, time_zone: str, quiet_start: time, quiet_end: time) -> Slot:
    """`moment`, or the end of the quiet hours it falls in (remembering `moment`)."""
    if not in_quiet_hours(moment, time_zone, quiet_start, quiet_end):
        return Slot(moment)
    return Slot(quiet_hours_end(moment, time_zone, quiet_start, quiet_end), moment)


def next_slot(rhythm: Rhythm, after: datetime, quiet_start: time, quiet_end: time) -> Slot | None:
    """The rhythm's first slot after `after`, out of quiet hours; None once the rule ended."""
    due = next_due(rhythm, after)
    if due is None:
        return None
    return allowed_slot(due, rhythm.time_zone, quiet_start, quiet_end)


def clock_time(text: str) -> time:
    """A resident's quiet hour as stored ("20:00")."""
    return time.fromisoformat(text)
