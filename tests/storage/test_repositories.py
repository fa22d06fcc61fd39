"""Tests of the smaller repositories: consent, schedules, sessions, alerts and tokens."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from storage import alerts, consents, people, schedules, sessions, tokens
from storage.database import Database
from storage.people import NewResident

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


async def _pat(db: Database) -> int:
    async with db.write() as tx:
        return (await people.add_resident(tx, NewResident("Pat", "Patricia", "Pat Smith"))).id


async def test_consent_is_per_purpose_and_the_newest_answer_counts(db: Database) -> None:
    pat = await _pat(db)
    async with db.write() as tx:
        await consents.record_consent(tx, pat, "checkins", True, "flow:onboarding")
        await consents.record_consent(tx, pat, "events", True, "flow:onboarding")
        await consents.record_consent(tx, pat, "events", False, "keyword:STOP")
    async with db.read() as conn:
        assert await consents.current_consents(conn, pat) == {
            "checkins": True,
            "events": False,
            "buddying": False,
        }
        assert [h["source"] for h in await consents.consent_history(conn, pat)] == [
            "flow:onboarding",
            "flow:onboarding",
            "keyword:STOP",
        ]


async def test_a_schedule_slot_can_only_run_once(db: Database) -> None:
    pat = await _pat(db)
    async with db.write() as tx:
        schedule = await schedules.set_checkin(
            tx, pat, flow_id="weekly_checkin", rule="FREQ=WEEKLY", starts_at=NOW, next_due_at=NOW
        )
        [due] = await schedules.due_schedules(tx, NOW, 10)
        assert await schedules.claim_slot(tx, due, NOW + timedelta(weeks=1)) is True
        assert await schedules.claim_slot(tx, due, NOW + timedelta(weeks=1)) is False
        assert await schedules.due_schedules(tx, NOW, 10) == []
        replaced = await schedules.set_checkin(
            tx, pat, flow_id="weekly_checkin", rule="FREQ=DAILY", starts_at=NOW, next_due_at=NOW
        )
    assert replaced.id == schedule.id and replaced.rule == "FREQ=DAILY"


async def test_a_resident_has_at_most_one_waiting_session(db: Database) -> None:
    pat = await _pat(db)
    waiting = {
        "flow_id": "f",
        "revision": 1,
        "status": "waiting",
        "wait": {"wake_at": NOW.isoformat()},
    }
    async with db.write() as tx:
        first = await sessions.save_session(tx, pat, waiting, None)
    with pytest.raises(sqlite3.IntegrityError):
        async with db.write() as tx:
            await sessions.save_session(tx, pat, waiting, None)
    async with db.write() as tx:
        [due] = await sessions.due_wakeups(tx, NOW, 10)
        assert due.id == first
        assert await sessions.end_waiting(tx, pat, "stopped") == first
        assert await sessions.waiting_session(tx, pat) is None
        assert await sessions.due_wakeups(tx, NOW, 10) == []


async def test_an_alert_is_acknowledged_once(db: Database) -> None:
    pat = await _pat(db)
    async with db.write() as tx:
        alert = await alerts.raise_alert(
            tx,
            resident_id=pat,
            catalyst_id=None,
            kind="risk",
            urgency="urgent",
            summary="Pat may have fallen",
        )
        assert await alerts.acknowledge_alert(tx, alert.id, "abby") is True
        assert await alerts.acknowledge_alert(tx, alert.id, "susie") is False
    async with db.read() as conn:
        [stored] = await alerts.list_alerts(conn)
    assert (stored.status, stored.acknowledged_by) == ("acknowledged", "abby")


async def test_a_token_is_only_known_by_its_hash(db: Database) -> None:
    async with db.write() as tx:
        token_id, token = await tokens.create_token(tx, "admin laptop")
    async with db.read() as conn:
        assert await tokens.token_id(conn, token) == token_id
        assert await tokens.token_id(conn, token + "x") is None
    rows = await db.fetch_all("SELECT token_hash FROM api_tokens")
    assert token not in str([tuple(row) for row in rows])
