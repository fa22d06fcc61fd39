"""Tests of a catalyst's calendar feed, read back with icalendar's own parser as Outlook and
Google Calendar would read it: her residents' check-ins for the next eight weeks at the time on
the resident's clock (across the clock change too), a stable UID per resident and slot, the
preferred name only, paused residents left out, follow-ups in, and a reset address gone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.services import calendar_feed
from bot.services.access import Viewer
from bot.services.calendar_feed import WEEKS_AHEAD
from bot.services.errors import Conflict, NotFound
from bot.services.schedules import RhythmRequest
from storage import audit, people, schedules
from tests.bot.conftest import MovableClock

LONDON = ZoneInfo("Europe/London")
ADMIN = "https://companion.example.org/admin"
#: A Wednesday, with the clocks going forward on Sunday 28 March 2027 ahead.
BEFORE_SPRING = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)


async def _catalyst(services: Runtime, first_name: str) -> Viewer:
    async with services.db.read() as conn:
        person = next(
            p for p in await people.list_people(conn, "catalyst") if p.first_name == first_name
        )
    return Viewer(1, first_name.lower(), first_name, "catalyst", person.id)


async def _events(services: Runtime, secret: str) -> list[icalendar.cal.Component]:
    feed = icalendar.Calendar.from_ical(await services.services.calendar_feed.feed(secret, ADMIN))
    return [c for c in feed.walk("VEVENT")]


@pytest.fixture
async def world(services: Runtime, clock: MovableClock) -> dict[str, int]:
    clock.moment = BEFORE_SPRING
    ids = await seed_demo(services)
    tuesdays = RhythmRequest(every="week", days=["tuesday"], at="10:00")
    await services.services.schedules.set(ids["Pat"], tuesdays)
    return ids


async def test_the_feed_has_every_tuesday_at_ten_on_pats_clock_across_the_clock_change(
    services: Runtime, world: dict[str, int]
) -> None:
    abby = await _catalyst(services, "Abby")
    secret = await services.services.calendar_feed.reset(abby)
    feed = icalendar.Calendar.from_ical(await services.services.calendar_feed.feed(secret, ADMIN))
    # The zone its times are given in, described in the feed itself.
    assert [str(tz["TZID"]) for tz in feed.walk("VTIMEZONE")] == ["Europe/London"]
    pats = [e for e in feed.walk("VEVENT") if str(e["SUMMARY"]) == "Check-in: Pat"]
    starts = [e.decoded("DTSTART") for e in pats]
    assert len(starts) == WEEKS_AHEAD
    assert [s.date() for s in starts] == [date(2027, 3, 16) + timedelta(weeks=n) for n in range(8)]
    # 10:00 on Pat's clock each week, so 10:00 UTC in winter and 09:00 UTC in summer time.
    assert {s.astimezone(LONDON).time() for s in starts} == {time(10, 0)}
    assert starts[1].astimezone(UTC).hour == 10 and starts[2].astimezone(UTC).hour == 9
    assert all(e["DTSTART"].params["TZID"] == "Europe/London" for e in pats)
    # The preferred name only; the link goes to her page in the admin.
    text = feed.to_ical().decode()
    assert "Patricia" not in text and "Fuller" not in text and "+44" not in text
    assert (
        str(pats[0]["DESCRIPTION"]) == f"Pat's page in Companion: {ADMIN}/residents/{world['Pat']}"
    )


async def test_uids_stay_the_same_from_one_fetch_to_the_next(
    services: Runtime, clock: MovableClock, world: dict[str, int]
) -> None:
    abby = await _catalyst(services, "Abby")
    secret = await services.services.calendar_feed.reset(abby)
    first = {str(e["UID"]): e.decoded("DTSTART") for e in await _events(services, secret)}
    assert len(first) == len(await _events(services, secret)), "one UID per event"
    clock.advance(timedelta(days=1, hours=3))
    again = {str(e["UID"]): e.decoded("DTSTART") for e in await _events(services, secret)}
    kept = first.keys() & again.keys()
    # Everything still ahead kept its UID and its time; so a calendar app updates in place.
    assert kept and all(first[uid] == again[uid] for uid in kept)
    assert all(start > clock.now() for start in again.values())


async def test_only_her_own_residents_and_not_those_paused(
    services: Runtime, world: dict[str, int]
) -> None:
    abby = await _catalyst(services, "Abby")
    secret = await services.services.calendar_feed.reset(abby)
    names = {str(e["SUMMARY"]) for e in await _events(services, secret)}
    assert "Check-in: Pat" in names and "Check-in: Lucy" not in names
    async with services.db.write() as tx:
        await people.update_resident(tx, world["Pat"], status="paused", paused_until=None)
    assert "Check-in: Pat" not in {str(e["SUMMARY"]) for e in await _events(services, secret)}
    # A pause with an end: the check-ins after it are back in the calendar.
    async with services.db.write() as tx:
        await people.update_resident(tx, world["Pat"], paused_until="2027-04-01")
    starts = [
        e.decoded("DTSTART")
        for e in await _events(services, secret)
        if str(e["SUMMARY"]) == "Check-in: Pat"
    ]
    assert starts and min(starts).date() == date(2027, 4, 6)


async def test_a_follow_up_due_is_in_the_calendar(services: Runtime, world: dict[str, int]) -> None:
    abby = await _catalyst(services, "Abby")
    secret = await services.services.calendar_feed.reset(abby)
    due = datetime(2027, 3, 11, 15, 0, tzinfo=UTC)
    async with services.db.write() as tx:
        await schedules.add_followup(tx, world["Pat"], "weekly_checkin", due)
    [follow_up] = [e for e in await _events(services, secret) if "follow-up" in str(e["SUMMARY"])]
    assert str(follow_up["SUMMARY"]) == "Check-in: Pat (follow-up)"
    assert follow_up.decoded("DTSTART") == due


async def test_a_reset_address_and_an_unknown_one_are_not_found(
    services: Runtime, world: dict[str, int]
) -> None:
    abby = await _catalyst(services, "Abby")
    old = await services.services.calendar_feed.reset(abby)
    new = await services.services.calendar_feed.reset(abby)
    assert new != old
    for secret in (old, "x" * 43, "../../etc", ""):
        with pytest.raises(NotFound):
            await services.services.calendar_feed.feed(secret, ADMIN)
    assert await _events(services, new)
    async with services.db.read() as conn:
        entries = await audit.entries(conn, actor="catalyst:abby")
    assert [e["action"] for e in entries].count("reset calendar link") == 2
    # Only a keyed hash is kept, never the secret.
    async with (
        services.db.read() as conn,
        conn.execute(
            "SELECT calendar_secret_hash FROM people WHERE calendar_secret_hash IS NOT NULL"
        ) as cursor,
    ):
        kept = [row[0] for row in await cursor.fetchall()]
    assert len(kept) == 1 and new not in kept[0]


async def test_a_login_not_linked_to_a_catalyst_has_no_calendar(
    services: Runtime, world: dict[str, int]
) -> None:
    staff = Viewer(2, "sam", "Sam", "staff", None)
    status = await services.services.calendar_feed.status(staff)
    assert not status.linked
    with pytest.raises(Conflict):
        await services.services.calendar_feed.reset(staff)


async def test_a_big_caseload_gives_the_soonest_check_ins_first(
    services: Runtime, world: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    abby = await _catalyst(services, "Abby")
    secret = await services.services.calendar_feed.reset(abby)
    due = datetime(2027, 3, 11, 15, 0, tzinfo=UTC)
    async with services.db.write() as tx:
        await schedules.add_followup(tx, world["Pat"], "weekly_checkin", due)
    every = sorted(e.decoded("DTSTART") for e in await _events(services, secret))
    monkeypatch.setattr(calendar_feed, "MOST_EVENTS", 3)
    soonest = sorted(e.decoded("DTSTART") for e in await _events(services, secret))
    assert len(every) > 3 and soonest == every[:3] and soonest[0] == due
