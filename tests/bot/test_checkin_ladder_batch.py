"""Tests that climbing due rungs a batch per transaction does exactly what climbing them one at a
time does (the same check-ins, reminders and missed alerts, at every rung of the day, for every
kind of check-in the ladder meets), and that a rung that fails neither stops the sweep nor undoes
the rest of its batch."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.demo import seed_demo
from bot.runtime import Runtime
from storage import (
    alerts,
    checkin_ladder,
    consents,
    identities,
    people,
    schedules,
    sealing,
)
from tests.bot.conftest import MovableClock, make_services

#: Tuesday 1 December 2026, 10:00 in London: the demo's Tuesday slot, and everyone's below.
DUE = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
#: When the sweep runs, in hours after the check-ins began: every rung of every ladder below
#: falls due at one of them (Kit's short ladder, Gil's rung held until 15:00, the rest).
SWEEPS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24)


async def _world(services: Runtime) -> dict[str, int]:
    """The demo, and residents whose check-ins began at DUE and meet the ladder in every way."""
    ids = await seed_demo(services)
    async with services.db.write() as tx:
        weekly = "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0"
        for name in ("Ann", "Bo", "Cat", "Dan", "Eve", "Fay", "Gil", "Hal", "Ida", "Jo", "Kit"):
            resident = await people.add_resident(
                tx, services.programme.new_resident(name, name, f"{name} Test")
            )
            ids[name] = resident.id
            await identities.add_identity(tx, "webchat", str(resident.id), resident_id=resident.id)
            if name in ("Bo", "Cat"):
                await identities.add_identity(
                    tx, "sms", f"+4477009001{resident.id:02d}", resident_id=resident.id
                )
            await consents.record_consent(tx, resident.id, "checkins", True, "test")
            await schedules.set_checkin(
                tx,
                resident.id,
                flow_id="weekly_checkin",
                rule=weekly,
                starts_at=DUE - timedelta(days=7),
                next_due_at=DUE,
            )
        # Hal missed his last two check-ins (this one makes three in a row: urgent); Ida
        # answered last week, OK.
        for name, status, mood, answered in [
            ("Hal", "missed", None, None),
            ("Hal", "missed", None, None),
            ("Ida", "answered", "ok", "2026-11-24T10:20:00+00:00"),
        ]:
            await tx.execute(
                "INSERT INTO checkins (resident_id, flow_id, due_at, status, mood, answered_at,"
                " created_at, updated_at) VALUES (?, 'weekly_checkin', ?, ?, ?, ?, 'x', 'x')",
                (ids[name], "2026-11-24T10:00:00+00:00", status, mood, answered),
            )
        # Kit has a short ladder of her own.
        await checkin_ladder.set_resident_ladder(tx, ids["Kit"], "1h reminder, 1h missed")
    return ids


async def _after_the_start(services: Runtime, ids: dict[str, int]) -> None:
    """What happens between the question and the first rung: each a reason for a rung to be
    taken differently."""
    async with services.db.write() as tx:
        # Cat's SMS (where her question went) is opted out: the reminder goes to her web chat.
        [sms] = [
            i for i in await identities.identities_of_resident(tx, ids["Cat"]) if i.channel == "sms"
        ]
        await identities.set_opted_out(tx, sms.id, True)
        await people.update_resident(tx, ids["Dan"], status="paused")
        await consents.record_consent(tx, ids["Eve"], "checkins", False, "test")
        await alerts.raise_alert(
            tx, resident_id=ids["Fay"], catalyst_id=None, kind="risk", urgency="urgent", summary="x"
        )
        # Gil's quiet hours now cover midday: his reminder waits until 15:00.
        await people.update_resident(tx, ids["Gil"], quiet_start="11:30", quiet_end="15:00")
        # Jo wrote about something else since.
        await tx.execute(
            "INSERT INTO messages (resident_id, direction, channel, body, purpose, routine,"
            " status, created_at, updated_at) VALUES (?, 'in', 'webchat', ?, 'service', 0,"
            " 'received', ?, ?)",
            (ids["Jo"], sealing.seal("what time is lunch club?"), "2026-12-01T10:30:00+00:00", "x"),
        )
        # Ann has an older check-in whose ladder was left climbing: two of hers in one batch.
        await tx.execute(
            "INSERT INTO checkins (resident_id, flow_id, due_at, status, rung, next_rung_at,"
            " created_at, updated_at) VALUES (?, 'weekly_checkin', ?, 'ended', 1, ?, 'x', 'x')",
            (ids["Ann"], "2026-11-24T10:00:00+00:00", "2026-12-01T12:00:00+00:00"),
        )


async def _what_it_left(services: Runtime, ids: dict[str, int]) -> dict[str, Any]:
    """Everything the ladder writes, by resident, without ids or wall-clock stamps."""
    seen: dict[str, Any] = {}
    async with services.db.read() as conn:
        for name, resident_id in sorted(ids.items()):
            raised = await _rows(
                conn,
                "SELECT id, kind, urgency, summary, catalyst_id, status FROM alerts"
                " WHERE resident_id = ? ORDER BY id",
                resident_id,
            )
            order = {row["id"]: index for index, row in enumerate(raised)}
            sent = await _rows(
                conn,
                "SELECT m.channel, m.address, m.body, m.purpose, m.routine, m.buttons, m.status,"
                " m.session_id, o.recipient, o.routine AS o_routine, o.buttons AS o_buttons"
                " FROM messages m LEFT JOIN outbox o ON o.message_id = m.id"
                " WHERE m.resident_id = ? AND m.direction = 'out' ORDER BY m.id",
                resident_id,
            )
            rows_of_checkins = await _rows(
                conn,
                "SELECT due_at, started_at, channel, status, mood, rung, next_rung_at, alert_id,"
                " session_id FROM checkins WHERE resident_id = ? ORDER BY due_at, id",
                resident_id,
            )
            seen[name] = {
                "alerts": [
                    (a["kind"], a["urgency"], sealing.unseal(a["summary"]), a["catalyst_id"],
                     a["status"])
                    for a in raised
                ],
                "messages": [
                    (m["channel"], sealing.unseal_optional(m["address"]), sealing.unseal(m["body"]),
                     *tuple(m)[3:])
                    for m in sent
                ],
                "checkins": [
                    (*tuple(c)[:7], order.get(c["alert_id"]), c["session_id"])
                    for c in rows_of_checkins
                ],
            }  # fmt: skip
    plain: dict[str, Any] = json.loads(json.dumps(seen, default=str))
    return plain


async def _rows(conn: Any, sql: str, resident_id: int) -> list[Any]:
    return list(await conn.execute_fetchall(sql, (resident_id,)))


@contextlib.asynccontextmanager
async def _started(tmp_path: Path) -> AsyncIterator[tuple[Runtime, dict[str, int], MovableClock]]:
    """The world of `_world`, its check-ins started at DUE."""
    clock = MovableClock(DUE - timedelta(days=7))
    services = make_services(tmp_path, clock)
    await services.start(background=False)
    try:
        ids = await _world(services)
        clock.moment = DUE
        await services.sweeps.start_due_checkins()
        yield services, ids, clock
    finally:
        await services.stop()


async def _day(tmp_path: Path, batch: int) -> list[tuple[int, dict[str, Any]]]:
    """The check-ins' day at the given batch size: what each sweep climbed and left."""
    async with _started(tmp_path) as (services, ids, clock):
        await _after_the_start(services, ids)
        day = []
        for hours in SWEEPS:
            clock.moment = DUE + timedelta(hours=hours)
            climbed = await services.sweeps.climb_ladders(batch=batch)
            day.append((climbed, await _what_it_left(services, ids)))
        return day


async def test_a_batch_does_exactly_what_one_at_a_time_does(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    one_by_one = await _day(tmp_path / "one", 1)
    for batch in (3, 1000):
        assert await _day(tmp_path / f"batch{batch}", batch) == one_by_one
    # ... by itself: no batch fell back on taking its rungs one at a time.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    # What the day held, so that the comparison covers every way of climbing.
    counts = [climbed for climbed, _ in one_by_one]
    assert counts[:2] == [1, 16]  # 11:00: Kit's reminder; 12:00: the rest, Ann's two with them
    left = one_by_one[-1][1]
    statuses = {name: [c[3] for c in found["checkins"]] for name, found in left.items()}
    missed = {name: [(a[0], a[1]) for a in found["alerts"]] for name, found in left.items()}
    sent = {name: [(m[0], m[2]) for m in found["messages"]] for name, found in left.items()}
    assert statuses["Dan"] == ["paused"] and statuses["Eve"] == ["declined"]
    assert statuses["Jo"] == ["ended"] and statuses["Fay"] == ["waiting"]
    assert missed["Hal"] == [("missed", "urgent")] and missed["Ann"] == [("missed", "routine")]
    assert missed["Fay"] == [("risk", "urgent")] and missed["Dan"] == []
    assert "Last reply 7 days ago; then: OK." in left["Ida"]["alerts"][0][2]
    reminder = (
        "Just checking in again, {}. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    )
    assert sent["Bo"][1:] == [("sms", reminder.format("Bo")), ("webchat", reminder.format("Bo"))]
    # Cat's SMS is opted out: her reminder, and the question on her other channel, are both in
    # her web chat.
    assert sent["Cat"][1:] == [("webchat", reminder.format("Cat"))] * 2
    assert sent["Kit"][1:] == [("webchat", reminder.format("Kit"))]
    gil = [len(left["Gil"]["messages"]) for _, left in one_by_one]
    assert gil[SWEEPS.index(4)] == 1 and gil[SWEEPS.index(5)] == 2  # held until 15:00


async def test_a_rung_that_fails_is_tried_later_and_the_batch_stands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _started(tmp_path) as (services, ids, clock):
        await _after_the_start(services, ids)  # Ann has two check-ins due: the ordinary way

        async def fails(*args: Any) -> str:
            raise RuntimeError("a fault in one rung")

        monkeypatch.setattr("bot.checkin_climbs.climb", fails)
        clock.moment = DUE + timedelta(hours=2)
        assert await services.sweeps.climb_ladders() == 14  # all but Ann's two
        left = await _what_it_left(services, ids)
        assert len(left["Pat"]["messages"]) == 2 and len(left["Ann"]["messages"]) == 1
        assert [c[6] for c in left["Ann"]["checkins"]] == ["2026-12-01T12:15:00.000000+00:00"] * 2
        monkeypatch.undo()
        clock.moment = DUE + timedelta(hours=2, minutes=15)
        assert await services.sweeps.climb_ladders() == 2
        left = await _what_it_left(services, ids)
        assert left["Ann"]["messages"][1][2].startswith("Just checking in again, Ann.")


async def test_a_batch_that_fails_as_a_whole_takes_each_rung_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _started(tmp_path) as (services, ids, clock):

        async def fails(*args: Any) -> None:
            raise RuntimeError("a fault in the batch's writing")

        monkeypatch.setattr("storage.messages.queue_routine", fails)
        clock.moment = DUE + timedelta(hours=2)
        assert await services.sweeps.climb_ladders() == len(ids)  # Kit's reminder, and all
        left = await _what_it_left(services, ids)
    assert left["Pat"]["messages"][1][2].startswith("Just checking in again, Pat.")
    assert [c[3] for c in left["Kit"]["checkins"]] == ["waiting"]
