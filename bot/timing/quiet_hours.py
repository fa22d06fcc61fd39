"""This module contains quiet hours: routine messages wait for the resident's waking hours."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Final

from bot.timing.rhythm import wall_to_utc, zone_named

# The programme's waking hours are 09:00 to 20:00 local time, so quiet runs 20:00 to 09:00.
DEFAULT_QUIET_START: Final = time(20, 0)
DEFAULT_QUIET_END: Final = time(9, 0)


def in_quiet_hours(
    now: datetime,
    time_zone: str,
    quiet_start: time = DEFAULT_QUIET_START,
    quiet_end: time = DEFAULT_QUIET_END,
) -> bool:
    """Whether `now` falls in the resident's quiet hours, read on their own wall clock.

    Quiet runs from `quiet_start` (included) to `quiet_end` (not included), across midnight
    when the start is the later time; a start equal to the end means no quiet hours at all.
    Raises ValueError for a naive `now`, zoned quiet times or an unknown time zone.
    """
    _check(now, quiet_start, quiet_end)
    clock = now.astimezone(zone_named(time_zone)).time()
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= clock < quiet_end
    return clock >= quiet_start or clock < quiet_end


def quiet_hours_end(
    now: datetime,
    time_zone: str,
    quiet_start: time = DEFAULT_QUIET_START,
    quiet_end: time = DEFAULT_QUIET_END,
) -> datetime:
    """When the quiet period `now` is in ends, in UTC; `now` itself (in UTC) when not quiet.

    The end is `quiet_end` on the resident's wall clock, so a message held at 23:00 on Saturday
    28 March 2026 in London goes at 09:00 BST on Sunday, 08:00 UTC. An end the clocks skip is
    the moment they jump; an end the clocks show twice is the first showing after `now`.
    """
    if not in_quiet_hours(now, time_zone, quiet_start, quiet_end):
        return now.astimezone(UTC)
    zone = zone_named(time_zone)
    local = now.astimezone(zone)
    ends_on = local.date()
    if quiet_start > quiet_end and local.time() >= quiet_start:
        ends_on += timedelta(days=1)  # the evening part of a night: it ends tomorrow morning
    wall = datetime.combine(ends_on, quiet_end)
    end = wall_to_utc(wall, zone)
    if end <= now:
        # `now` is in the second showing of a repeated autumn hour, past the first showing.
        end = wall_to_utc(wall, zone, fold=1)
    if in_quiet_hours(end, time_zone, quiet_start, quiet_end):
        # The clocks jumped over the whole waking window (it was shorter than the jump).
        return quiet_hours_end(end, time_zone, quiet_start, quiet_end)
    return end


def _check(now: datetime, quiet_start: time, quiet_end: time) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must say its time zone; {now.isoformat()} does not.")
    for name, value in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        if value.tzinfo is not None:
            raise ValueError(
                f"{name} is a time on the resident's wall clock; {value.isoformat()} has a zone."
            )
