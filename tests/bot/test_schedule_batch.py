"""Tests that starting due check-ins a batch per transaction does exactly what starting them one
at a time does (the same messages, conversations, check-in rows and claimed slots, for every
kind of slot), and that a crash in either step (claiming and queueing the due slots, then
starting them) leaves each slot to run once when the sweep comes round again."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.services.privacy import Privacy
from bot.sweeps import Sweeps
from storage import (
    checkin_starts,
    consents,
    flow_store,
    identities,
    people,
    schedules,
    sealing,
    sessions,
)
from tests.bot.conftest import MovableClock, make_services

#: Tuesday 1 December 2026, 10:00 in London: the demo's Tuesday slot, and the others below.
DUE = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

ENDS_AT_ONCE = """\
format: 1
id: hello_checkin
name: Just hello
purpose: checkins
languages: [en]
start: hello
steps:
  hello:
    say: "Hello {{ resident.preferred_name }}, thinking of you."
    end: completed
"""


async def _world(services: Runtime) -> dict[str, int]:
    """The demo, and residents whose slots fall due at DUE in every way a slot can."""
    ids = await seed_demo(services)
    async with services.db.write() as tx:
        stored = await flow_store.publish(tx, "hello_checkin", "Just hello", ENDS_AT_ONCE, "t")
        services.flows.add_revision(stored)
        weekly = "FREQ=WEEKLY;BYDAY=TU;BYHOUR=10;BYMINUTE=0"
        start = DUE - timedelta(days=7)
        for name, flow, status, agreed, reachable, quiet_end in [
            ("Ann", "weekly_checkin", "active", True, True, "09:00"),
            ("Bea", "weekly_checkin", "paused", True, True, "09:00"),
            ("Cy", "weekly_checkin", "active", False, True, "09:00"),
            ("Dot", "weekly_checkin", "active", True, False, "09:00"),
            ("Eve", "weekly_checkin", "active", True, True, "11:00"),  # quiet until 11:00
            ("Fay", "hello_checkin", "active", True, True, "09:00"),  # ends at once
            ("Gus", "no_such_flow", "active", True, True, "09:00"),  # a broken flow
            ("Hal", "weekly_checkin", "stopped", True, True, "09:00"),
        ]:
            resident = await people.add_resident(
                tx,
                services.programme.new_resident(
                    name, name, f"{name} Test", status=status, quiet_end=quiet_end
                ),
            )
            ids[name] = resident.id
            if reachable:
                await identities.add_identity(
                    tx, "webchat", str(resident.id), resident_id=resident.id
                )
            await consents.record_consent(tx, resident.id, "checkins", agreed, "test")
            await schedules.set_checkin(
                tx, resident.id, flow_id=flow, rule=weekly, starts_at=start, next_due_at=DUE
            )
        # Ann also has a follow-up due a minute earlier: two conversations for her in the same
        # sweep, the check-in (the later) left waiting.
        await schedules.add_followup(tx, ids["Ann"], "weekly_checkin", DUE - timedelta(minutes=1))
    # Ann and Pat answered last time: their questions remember it.
    async with services.db.write() as tx:
        for name in ("Ann", "Pat"):
            await tx.execute(
                "INSERT INTO checkins (resident_id, flow_id, due_at, status, mood, said,"
                " answered_at, created_at, updated_at) VALUES (?, 'weekly_checkin', ?, 'answered',"
                " 'low', NULL, ?, ?, ?)",
                (ids[name], "2026-11-24T10:00:00+00:00", "2026-11-24T10:20:00+00:00", "x", "x"),
            )
    return ids


async def _what_it_left(services: Runtime, ids: dict[str, int]) -> dict[str, Any]:
    """Everything a sweep writes, by resident, without ids or wall-clock stamps."""
    seen: dict[str, Any] = {}
    async with services.db.read() as conn:
        for name, resident_id in sorted(ids.items()):
            found = await conn.execute_fetchall(
                "SELECT id FROM sessions WHERE resident_id = ? ORDER BY id", (resident_id,)
            )
            order = {row[0]: index for index, row in enumerate(found)}
            kept = []
            for row in found:
                session = await sessions.get_session(conn, row[0])
                assert session is not None
                kept.append(
                    (session.flow_id, session.status, session.wake_at, session.state,
                     session.context)
                )  # fmt: skip
            sent = [
                (m["channel"], m["body"], m["purpose"], m["routine"], order.get(m["session_id"]),
                 m["buttons"], m["status"])
                for m in await _rows(conn, "SELECT * FROM messages WHERE resident_id = ?"
                                     " AND direction = 'out' ORDER BY id", resident_id)
            ]  # fmt: skip
            sent = [(c, sealing.unseal(b), *rest) for c, b, *rest in sent]
            queued = await _rows(
                conn,
                "SELECT o.recipient, o.due_at, o.routine, o.buttons FROM outbox o"
                " JOIN messages m ON m.id = o.message_id WHERE m.resident_id = ? ORDER BY o.id",
                resident_id,
            )
            rows_of_checkins = [
                (c["schedule_id"], order.get(c["session_id"]), c["flow_id"], c["due_at"],
                 c["started_at"], c["moved_from"], c["channel"], c["status"], c["next_rung_at"])
                for c in await _rows(conn, "SELECT * FROM checkins WHERE resident_id = ?"
                                     " ORDER BY due_at, status", resident_id)
            ]  # fmt: skip
            slots = await _rows(
                conn,
                "SELECT s.kind, s.next_due_at, s.moved_from, s.active, r.due_at FROM schedules s"
                " LEFT JOIN schedule_runs r ON r.schedule_id = s.id WHERE s.resident_id = ?"
                " ORDER BY s.kind, r.due_at",
                resident_id,
            )
            seen[name] = {
                "sessions": kept,
                "messages": sent,
                "outbox": [tuple(row) for row in queued],
                "checkins": rows_of_checkins,
                "slots": [tuple(row) for row in slots],
            }
    plain: dict[str, Any] = json.loads(json.dumps(seen, default=str))
    return plain


async def _rows(conn: Any, sql: str, resident_id: int) -> list[Any]:
    return list(await conn.execute_fetchall(sql, (resident_id,)))


async def _sweep(tmp_path: Path, batch: int) -> tuple[int, dict[str, Any]]:
    async with _at_due(tmp_path) as (services, ids, clock):
        sweeps = Sweeps(services.db, services.conversations, clock, checkin_batch=batch)
        started = await sweeps.start_due_checkins()
        assert await sweeps.start_due_checkins() == 0
        return started, await _what_it_left(services, ids)


async def test_a_batch_does_exactly_what_one_at_a_time_does(tmp_path: Path) -> None:
    one_by_one = await _sweep(tmp_path / "one", 1)
    for batch in (3, 1000):
        assert await _sweep(tmp_path / f"batch{batch}", batch) == one_by_one
    started, left = one_by_one
    # The four demo residents (their weekly slots came round), Ann and her follow-up, and Fay
    # started; Eve moved out of her quiet hours; the rest recorded or skipped.
    assert started == 7
    assert [c[7] for c in left["Bea"]["checkins"]] == ["paused"]
    assert [c[7] for c in left["Cy"]["checkins"]] == ["declined"]
    assert left["Dot"]["checkins"] == [] and left["Hal"]["checkins"] == []
    assert left["Eve"]["checkins"] == [] and left["Eve"]["slots"][0][2] is not None
    assert [c[7] for c in left["Fay"]["checkins"]] == ["ended"]
    assert left["Gus"]["messages"] == [] and left["Gus"]["slots"][0][4] is not None
    assert [s[1] for s in left["Ann"]["sessions"]] == ["ended", "waiting"]
    assert [(c[1], c[7]) for c in left["Ann"]["checkins"] if c[7] == "waiting"] == [(1, "waiting")]
    # Ann has no catalyst yet: the team speaks for her.
    assert left["Ann"]["messages"][-1][1].startswith("Hi Ann, it's the Companion team.")
    [pat] = left["Pat"]["messages"]
    assert "You said you were not so good last week" in pat[1]


@contextlib.asynccontextmanager
async def _at_due(tmp_path: Path) -> AsyncIterator[tuple[Runtime, dict[str, int], MovableClock]]:
    """The world of `_world`, its clock at DUE."""
    clock = MovableClock(DUE - timedelta(days=7))
    services = make_services(tmp_path, clock)
    await services.start(background=False)
    try:
        ids = await _world(services)
        clock.moment = DUE
        yield services, ids, clock
    finally:
        await services.stop()


async def _queued(services: Runtime) -> list[tuple[int, str, str]]:
    async with services.db.read() as conn:
        found = await conn.execute_fetchall(
            "SELECT resident_id, kind, due_at FROM checkin_queue ORDER BY id"
        )
    return [tuple(row) for row in found]


async def _crash_in_the_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[int, str, str]], dict[str, int]]:
    """Sweep with the power going just after `step` (a writer of storage.checkin_starts) wrote;
    then sweep again a minute later, twice. What was left before, at the crash (and the queue
    then), and after."""
    async with _at_due(tmp_path) as (services, ids, clock):
        before = await _what_it_left(services, ids)
        real = getattr(checkin_starts, step)

        async def crash_after_writing(*args: Any) -> Any:
            await real(*args)
            raise RuntimeError("the power went")

        monkeypatch.setattr(checkin_starts, step, crash_after_writing)
        with pytest.raises(RuntimeError):
            await services.sweeps.start_due_checkins()
        crashed = await _what_it_left(services, ids)
        queued_then = await _queued(services)
        monkeypatch.setattr(checkin_starts, step, real)
        clock.moment = DUE + timedelta(minutes=1)
        assert await services.sweeps.start_due_checkins() == 7
        assert await services.sweeps.start_due_checkins() == 0
        assert await _queued(services) == []
        after = await _what_it_left(services, ids)
    # Each slot ran once.
    for name in ("Pat", "Fay", "Bea", "Cy"):
        assert len(after[name]["checkins"]) == len(before[name]["checkins"]) + 1
    # Ann's follow-up asks her check-in again, so it is a check-in of its own.
    assert len(after["Ann"]["checkins"]) == len(before["Ann"]["checkins"]) + 2
    assert len(after["Pat"]["messages"]) == 1 and len(after["Ann"]["sessions"]) == 2
    # The check-in keeps the moment it fell due, not the moment the restart started it.
    assert datetime.fromisoformat(after["Pat"]["checkins"][-1][3]) == DUE
    return before, crashed, queued_then, ids


async def test_a_crash_while_claiming_leaves_no_slot_claimed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, crashed, queued, _ = await _crash_in_the_sweep(tmp_path, monkeypatch, "queue_slots")
    assert crashed == before and queued == []


async def test_a_crash_while_starting_leaves_every_slot_queued_and_each_starts_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, crashed, queued, ids = await _crash_in_the_sweep(tmp_path, monkeypatch, "begin_all")
    # Claimed (the schedules moved on) and queued, and nothing started: no message, no
    # conversation, no check-in recorded.
    for name in ids:
        for part in ("sessions", "messages", "outbox", "checkins"):
            assert crashed[name][part] == before[name][part], (name, part)
    claimed = [n for n in ids if crashed[n]["slots"] != before[n]["slots"] and n != "Eve"]
    assert {"Pat", "Ann", "Bea", "Cy", "Dot", "Fay", "Gus", "Hal"} <= set(claimed)
    # Ann twice: her follow-up and her check-in. Eve's slot moved out of quiet hours instead.
    residents = sorted(resident for resident, _, _ in queued)
    assert residents == sorted([ids[n] for n in claimed] + [ids["Ann"]])


async def test_whether_a_resident_is_paused_is_read_when_the_check_in_starts(
    tmp_path: Path,
) -> None:
    """A pause said between the claim and the start (a busy minute) is honoured."""
    async with _at_due(tmp_path) as (services, ids, _):
        assert await services.sweeps.queue_due_checkins() > 0
        async with services.db.write() as tx:
            await tx.execute("UPDATE residents SET status = 'paused' WHERE id = ?", (ids["Pat"],))
        await services.sweeps.start_queued_checkins()
        left = await _what_it_left(services, ids)
    assert left["Pat"]["messages"] == []
    assert [c[7] for c in left["Pat"]["checkins"]][-1] == "paused"


async def test_a_resident_erased_between_the_claim_and_the_start_is_not_messaged(
    tmp_path: Path,
) -> None:
    async with _at_due(tmp_path) as (services, ids, clock):
        await services.sweeps.queue_due_checkins()
        assert ids["Pat"] in [resident for resident, _, _ in await _queued(services)]
        await Privacy(services.db, clock).erase_from_shell(ids["Pat"])
        assert ids["Pat"] not in [resident for resident, _, _ in await _queued(services)]
        await services.sweeps.start_queued_checkins()
        left = await _what_it_left(services, ids)
    assert left["Pat"]["messages"] == []
    assert "waiting" not in [c[7] for c in left["Pat"]["checkins"]]


async def test_a_read_held_open_elsewhere_does_not_start_a_check_in_twice(
    tmp_path: Path,
) -> None:
    # All reads share one connection, and while any statement on it is part-way through, that
    # connection keeps its snapshot from before: the queue can still show slots a batch has
    # just started and taken off it.
    async with _at_due(tmp_path) as (services, ids, clock):
        sweeps = Sweeps(services.db, services.conversations, clock, checkin_batch=3)
        async with services.db.read() as conn:
            held_open = await conn.execute("SELECT name FROM sqlite_master")
            assert await held_open.fetchone() is not None  # more rows to come: still open
            started = await asyncio.wait_for(sweeps.start_due_checkins(), 60)
            await held_open.close()
        left = await _what_it_left(services, ids)
    assert started == 7
    assert len(left["Pat"]["messages"]) == 1 and len(left["Ann"]["sessions"]) == 2
