"""This module builds what a flow's messages can name, from the resident's stored details: who
they are, who speaks to them, and how their last answered check-in went ("last time")."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.programme import Programme
from storage import checkins, people
from storage.records import Person, Resident

#: The namespace of the last answered check-in ({{ last.said }}).
LAST = "last"
#: A check-in's mood, in the words a message can use ("Last week you were not so good").
MOOD_WORDS = {"good": "good", "ok": "OK", "low": "not so good"}
#: What a flow sees when there was no answered check-in before: every name, all empty, so
#: `{% if last.said %}` reads naturally.
NO_LAST_TIME: dict[str, str] = {"mood": "", "mood_words": "", "said": "", "when": ""}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


async def resident_context(
    db: aiosqlite.Connection,
    resident: Resident,
    programme: Programme,
    extra: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    catalyst = await people.get_person(db, resident.catalyst_id) if resident.catalyst_id else None
    return context_of(resident, catalyst, programme, extra)


def context_of(
    resident: Resident,
    catalyst: Person | None,
    programme: Programme,
    extra: dict[str, dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """What resident_context gives, from the resident and their catalyst already read (the
    sweep reads a whole batch's catalysts at once)."""
    context: dict[str, dict[str, Any]] = {
        "resident": {
            "preferred_name": resident.preferred_name or resident.first_name,
            "first_name": resident.first_name,
            "full_name": resident.full_name,
            "language": resident.language,
            "interests": resident.interests,
            "time_zone": resident.time_zone,
        },
        "catalyst": speaker_of(catalyst, programme),
        # A check-in is started with its last time filled in (see last_time); any other
        # conversation can still name it, and finds it empty.
        LAST: dict(NO_LAST_TIME),
    }
    return {**context, **(extra or {})}


async def speaker(
    db: aiosqlite.Connection, resident: Resident, programme: Programme
) -> dict[str, str]:
    """Who speaks to the resident: their catalyst's names, or, with no catalyst yet, the team
    ("Hi Pip, it's the Companion team." rather than "it's .")."""
    catalyst = await people.get_person(db, resident.catalyst_id) if resident.catalyst_id else None
    return speaker_of(catalyst, programme)


def speaker_of(catalyst: Person | None, programme: Programme) -> dict[str, str]:
    if catalyst is None:
        return {"first_name": programme.team, "full_name": programme.team}
    return {"first_name": catalyst.first_name, "full_name": catalyst.full_name}


async def last_time(db: aiosqlite.Connection, resident: Resident, now: datetime) -> dict[str, str]:
    """The resident's last answered check-in, as a flow names it: `mood` (good, ok, low),
    `mood_words` ("not so good"), `said` (their own words, if they wrote more than a choice)
    and `when` ("yesterday", "on Tuesday", "last week"), read on their own clock."""
    found = await checkins.latest(db, resident.id, frozenset({"answered"}))
    if found is None:
        return dict(NO_LAST_TIME)
    return last_time_of(
        found.mood, found.said, found.answered_at or found.due_at, resident.time_zone, now
    )


def last_time_of(
    mood: str | None, said: str | None, at: str, time_zone: str, now: datetime
) -> dict[str, str]:
    """`last` from a check-in's mood, words and time (stored UTC text)."""
    return {
        "mood": mood or "",
        "mood_words": MOOD_WORDS.get(mood or "", ""),
        "said": (said or "").strip(),
        "when": when_words(datetime.fromisoformat(at), time_zone, now),
    }


def when_words(then: datetime, time_zone: str, now: datetime) -> str:
    """When `then` was, in words a message can use after "you said": "earlier today",
    "yesterday", "on Tuesday" (this past week), "last week", or "on 3 November"."""
    zone = ZoneInfo(time_zone)
    local = then.astimezone(zone)
    days = (now.astimezone(zone).date() - local.date()).days
    if days <= 0:
        return "earlier today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {_DAY_NAMES[local.weekday()]}"
    if days < 14:
        return "last week"
    return f"on {local.day} {_MONTH_NAMES[local.month - 1]}"
