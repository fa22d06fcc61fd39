"""This module proposes a rhythm one step less or more often than a resident's own, for them to
say yes or no to: weekly becomes every 2 weeks or twice a week, every 2 weeks becomes monthly
or weekly, and the time of day stays theirs.

A step keeps to rhythms a catalyst would set by hand: every N days, some days of the week every
N weeks, or one weekday a month. A rhythm already as far as it sensibly goes (daily, asked for
more; every 3 months, asked for less) has no proposal, and the catalyst decides.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from bot.timing.rhythm import DAY_CODES, Rhythm, RhythmError, next_due, parse_rule

#: The sparsest rhythm proposed: a check-in every this many months.
MOST_MONTHS: Final = 3
#: Each weekday's partner for twice a week, three or four days on, on a weekday where it can be.
_SECOND_DAY: Final = {0: 3, 1: 4, 2: 0, 3: 0, 4: 1, 5: 2, 6: 2}


def propose(rhythm: Rhythm, *, more: bool, now: datetime) -> str | None:
    """An RRULE one step more (or less) often than `rhythm`'s, at the same time of day; None
    when there is no sensible step."""
    parts = dict(part.split("=", 1) for part in rhythm.rule.split(";"))
    if "COUNT" in parts or "UNTIL" in parts:
        return None  # a one-off or a rhythm with an end: the catalyst decides
    slot = next_due(rhythm, now)
    local = (slot or rhythm.starts_at).astimezone(rhythm.starts_at.tzinfo)
    clock = {"BYHOUR": parts.get("BYHOUR", str(local.hour))}
    clock["BYMINUTE"] = parts.get("BYMINUTE", str(local.minute))
    step = _more if more else _less
    found = step(parts, local.weekday())
    if found is None:
        return None
    return ";".join(f"{name}={value}" for name, value in {**found, **clock}.items())


def propose_named(rhythm: Rhythm, named: str, *, now: datetime) -> str | None:
    """The rhythm the resident named ("FREQ=MONTHLY": "once a month is enough") made whole with
    theirs: their time of day, and their weekday where the named one gives none (monthly on
    the first such weekday). None when it cannot be used or is the rhythm they have."""
    try:
        wanted = dict(part.split("=", 1) for part in parse_rule(named).split(";"))
    except (RhythmError, ValueError):
        return None
    parts = dict(part.split("=", 1) for part in rhythm.rule.split(";"))
    slot = next_due(rhythm, now)
    local = (slot or rhythm.starts_at).astimezone(rhythm.starts_at.tzinfo)
    days = _weekdays(parts) or [local.weekday()]
    freq = wanted["FREQ"]
    if freq == "WEEKLY" and "BYDAY" not in wanted:
        wanted["BYDAY"] = ",".join(DAY_CODES[day] for day in days)
    elif freq == "MONTHLY" and "BYDAY" not in wanted and "BYMONTHDAY" not in wanted:
        wanted["BYDAY"] = f"1{DAY_CODES[days[0]]}"
    wanted["BYHOUR"] = parts.get("BYHOUR", str(local.hour))
    wanted["BYMINUTE"] = parts.get("BYMINUTE", str(local.minute))
    try:
        whole = parse_rule(";".join(f"{name}={value}" for name, value in wanted.items()))
    except RhythmError:
        return None
    return None if whole == rhythm.rule else whole


def _less(parts: dict[str, str], weekday: int) -> dict[str, str] | None:
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    days = _weekdays(parts)
    if freq == "DAILY":
        if interval * 2 < 7:
            return {"FREQ": "DAILY", "INTERVAL": str(interval * 2)}
        return _weekly([weekday], 1)
    if freq == "WEEKLY":
        days = days or [weekday]
        if len(days) > 1:
            return _weekly(days[:-1] if len(days) > 2 else days[:1], interval)
        if interval == 1:
            return _weekly(days, 2)
        return _monthly(days[0], 1)
    if freq == "MONTHLY" and interval < MOST_MONTHS:
        if "BYMONTHDAY" in parts and not days:
            return {
                "FREQ": "MONTHLY",
                "INTERVAL": str(interval + 1),
                "BYMONTHDAY": parts["BYMONTHDAY"],
            }
        return _monthly(days[0] if days else weekday, interval + 1)
    return None


def _more(parts: dict[str, str], weekday: int) -> dict[str, str] | None:
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    days = _weekdays(parts)
    if freq == "DAILY":
        return {"FREQ": "DAILY", "INTERVAL": str(interval // 2)} if interval > 1 else None
    if freq == "WEEKLY":
        days = days or [weekday]
        if interval > 1:
            return _weekly(days, interval - 1)
        if len(days) == 1:
            return _weekly([days[0], _SECOND_DAY[days[0]]], 1)
        if len(days) < 5:
            return _weekly([*days, _farthest_weekday(days)], 1)
        return {"FREQ": "DAILY", "INTERVAL": "1"} if len(days) < 7 else None
    if freq == "MONTHLY":
        if interval > 1:
            return _monthly(days[0] if days else weekday, interval - 1)
        return _weekly([days[0] if days else weekday], 2)
    if freq == "YEARLY":
        return _monthly(days[0] if days else weekday, MOST_MONTHS)
    return None


def _weekdays(parts: dict[str, str]) -> list[int]:
    """The weekdays in BYDAY, ordinals ("1TU": the first Tuesday) aside, in week order."""
    codes = [item[-2:] for item in parts.get("BYDAY", "").split(",") if item]
    return sorted({DAY_CODES.index(code) for code in codes})


def _weekly(days: list[int], interval: int) -> dict[str, str]:
    byday = ",".join(DAY_CODES[day] for day in sorted(set(days)))
    return {"FREQ": "WEEKLY", "INTERVAL": str(interval), "BYDAY": byday}


def _monthly(day: int, interval: int) -> dict[str, str]:
    """On the first such weekday of the month, as a month's rhythm is most often set."""
    return {"FREQ": "MONTHLY", "INTERVAL": str(interval), "BYDAY": f"1{DAY_CODES[day]}"}


def _farthest_weekday(days: list[int]) -> int:
    """The weekday (Monday to Friday) farthest from the days already chosen, earliest first."""
    free = [day for day in range(5) if day not in days] or [d for d in range(7) if d not in days]

    def distance(day: int) -> int:
        return min(min((day - other) % 7, (other - day) % 7) for other in days)

    return max(free, key=lambda day: (distance(day), -day))
