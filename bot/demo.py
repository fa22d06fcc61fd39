"""This module seeds the demo programme: the people and places of Barking and Dagenham.

Seeding twice changes nothing: it looks for the demo's catalysts first.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.runtime import Runtime
from bot.timing.rhythm import next_due, rhythm_from_words
from storage import audit, consents, identities, people, schedules, tokens

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
