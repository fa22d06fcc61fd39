"""Tests of the check-ins store: one waiting at a time, settling, words sealed, newest first."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

from storage import checkins, people
from storage.database import Database
from storage.people import NewResident

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


async def _pat(db: Database) -> int:
    async with db.write() as tx:
        return (await people.add_resident(tx, NewResident("Pat", "Patricia", "Pat Smith"))).id


async def test_a_new_waiting_check_in_ends_the_one_before(db: Database) -> None:
    pat = await _pat(db)
    async with db.write() as tx:
        first = await checkins.record(
            tx, resident_id=pat, flow_id="weekly_checkin", due_at=NOW, started_at=NOW
        )
        second = await checkins.record(
            tx, resident_id=pat, flow_id="weekly_checkin", due_at=NOW + timedelta(days=7)
        )
    async with db.read() as conn:
        assert (await checkins.get(conn, first)).status == "ended"  # type: ignore[union-attr]
        assert (await checkins.waiting(conn, pat)).id == second  # type: ignore[union-attr]


async def test_an_answer_settles_it_with_mood_and_sealed_words(db: Database) -> None:
    pat = await _pat(db)
    async with db.write() as tx:
        await checkins.record(
            tx,
            resident_id=pat,
            flow_id="weekly_checkin",
            due_at=NOW,
            next_rung_at=NOW + timedelta(hours=2),
        )
        settled = await checkins.settle_waiting(
            tx, pat, "answered", mood="low", said="my knee is bad", answered_at=NOW
        )
    assert settled is not None
    async with db.read() as conn:
        assert await checkins.waiting(conn, pat) is None
        last = await checkins.latest(conn, pat, frozenset({"answered"}))
        assert last is not None
        assert (last.mood, last.said, last.next_rung_at) == ("low", "my knee is bad", None)
        assert [c.id for c in await checkins.recent(conn, pat, NOW - timedelta(days=1))] == [
            last.id
        ]
    with sqlite3.connect(db.path) as raw:
        stored = raw.execute("SELECT said FROM checkins").fetchone()[0]
    assert "knee" not in stored


async def test_only_one_check_in_waits_per_resident(db: Database) -> None:
    pat = await _pat(db)
    async with db.write() as tx:
        await checkins.record(tx, resident_id=pat, flow_id="weekly_checkin", due_at=NOW)
    try:
        async with db.write() as tx:
            await tx.execute(
                "INSERT INTO checkins (resident_id, flow_id, due_at, status, created_at,"
                " updated_at) VALUES (?, 'x', 'a', 'waiting', 'a', 'a')",
                (pat,),
            )
    except sqlite3.IntegrityError:
        pass
    else:
        raise AssertionError("a second waiting check-in was stored")
