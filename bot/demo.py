"""This module seeds the demo programme: the people and places of Barking and Dagenham.

Seeding twice changes nothing: it looks for the demo's catalysts first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.runtime import Runtime
from bot.timing.rhythm import next_due, rhythm_from_words
from storage import audit, checkins, consents, identities, people, schedules, tokens

CATALYSTS = (
    ("Abby", "Abby Clarke"),
    ("Susie", "Susie Khan"),
    ("Lisa", "Lisa Mensah"),
    ("Abs", "Abs Rahman"),
)

#: (preferred name, full name, catalyst, interests, check-in day)
RESIDENTS = (
    ("Pat", "Patricia Fuller", "Abby", "jigsaws, bingo, getting out", "tuesday"),
    ("Lucy", "Lucy Adeyemi", "Susie", "sewing, drawing, writing her book", "wednesday"),
    ("Grace", "Grace Oduya", "Lisa", "finding out what's on locally", "thursday"),
    ("William", "William Hart", "Abs", "fiction, gardening, wildlife", "friday"),
)


async def seed_demo(services: Runtime) -> dict[str, int]:
    """Add the demo people once; return each resident's id by preferred name."""
    async with services.db.write() as tx:
        existing = {p.first_name: p for p in await people.list_people(tx, "catalyst")}
        if "Abby" in existing:
            residents = await people.list_residents(tx)
            return {r.preferred_name: r.id for r in residents if r.status != "unknown"}
        catalysts = {
            first: await people.add_person(
                tx, "catalyst", first, full, f"{first.lower()}@example.org"
            )
            for first, full in CATALYSTS
        }
        await people.add_person(tx, "buddy", "William", "William Hart", "william@example.org")
        ids: dict[str, int] = {}
        now = services.clock.now()
        for name, full, catalyst, interests, day in RESIDENTS:
            resident = await people.add_resident(
                tx,
                services.programme.new_resident(
                    name,
                    full.split()[0],
                    full,
                    catalyst_id=catalysts[catalyst].id,
                    interests=interests,
                ),
            )
            ids[name] = resident.id
            await identities.add_identity(tx, "webchat", str(resident.id), resident_id=resident.id)
            for purpose in ("checkins", "events", "buddying"):
                await consents.record_consent(tx, resident.id, purpose, True, "demo")
            start = now.astimezone(ZoneInfo(resident.time_zone))
            rhythm = rhythm_from_words("week", [day], "10:00", resident.time_zone, start)
            await schedules.set_checkin(
                tx,
                resident.id,
                flow_id="weekly_checkin",
                rule=rhythm.rule,
                starts_at=start,
                next_due_at=next_due(rhythm, now),
            )
        await audit.record(tx, "demo", "seeded", "programme", residents=list(ids))
    return ids


#: How each demo resident's last four weekly check-ins went, oldest first: (status, mood, their
#: words). Their catalysts see it as a row of days, and Pat's next check-in recalls her hip.
HISTORY = {
    "Pat": (
        ("answered", "good", None),
        ("answered", "ok", None),
        ("missed", None, None),
        ("answered", "low", "not gud, my hip is sore"),
    ),
    "Lucy": (
        ("answered", "ok", None),
        ("not_today", None, None),
        ("answered", "good", "Shed Life was lovely, sewed a bag"),
        ("answered", "ok", None),
    ),
    "Grace": (
        ("missed", None, None),
        ("answered", "low", "lonely this week"),
        ("answered", "ok", None),
        ("answered", "good", None),
    ),
    "William": (
        ("answered", "good", None),
        ("answered", "good", "busy at the wildlife centre"),
        ("answered", "good", None),
        ("answered", "ok", None),
    ),
}


async def seed_demo_history(services: Runtime) -> int:
    """Give the demo residents four past weeks of check-ins, once (for `run --demo`, so a new
    user sees how people have been); return how many were added."""
    added = 0
    async with services.db.write() as tx:
        for resident in await people.list_residents(tx):
            story = HISTORY.get(resident.preferred_name)
            schedule = await schedules.checkin_schedule(tx, resident.id)
            if story is None or schedule is None or schedule.next_due_at is None:
                continue
            if await checkins.latest(tx, resident.id) is not None:
                continue  # seeded before, or real check-ins have happened
            upcoming = datetime.fromisoformat(schedule.next_due_at)
            for weeks_ago, (status, mood, said) in zip(
                range(len(story), 0, -1), story, strict=True
            ):
                due = upcoming - timedelta(weeks=weeks_ago)
                row = await checkins.record(
                    tx,
                    resident_id=resident.id,
                    flow_id=schedule.flow_id,
                    due_at=due,
                    status="ended",
                    schedule_id=schedule.id,
                    started_at=due,
                    channel="webchat",
                )
                answered = due + timedelta(minutes=20) if status == "answered" else None
                await checkins.settle(tx, row, status, mood=mood, said=said, answered_at=answered)
                added += 1
    return added


#: (username, name to show, role, the catalyst it is for): one login per role.
LOGINS = (
    ("admin", "Demo admin", "admin", None),
    ("staff", "Demo staff", "staff", None),
    ("abby", "Abby Clarke", "catalyst", "Abby"),
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    username: str
    role: str
    password: str


async def demo_logins(services: Runtime) -> list[DemoLogin]:
    """One login per role, each with a new random password at every run (printed once, so a
    demo's passwords are never fixed and known)."""
    accounts = services.services.accounts
    catalysts = {c.first_name: c.id for c in await services.services.catalysts.list_catalysts()}
    made = []
    for username, name, role, catalyst in LOGINS:
        password = "-".join(secrets.token_hex(3) for _ in range(3))
        if await accounts.find(username) is None:
            await accounts.add(
                username,
                name,
                role,
                password,
                person_id=catalysts.get(catalyst) if catalyst else None,
                by="demo",
            )
        else:
            await accounts.set_password(username, password, by="demo")
        made.append(DemoLogin(username, role, password))
    return made


async def demo_token(services: Runtime) -> str:
    async with services.db.write() as tx:
        _, token = await tokens.create_token(tx, "demo")
    return token
