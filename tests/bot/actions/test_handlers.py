"""Tests of the flow action handlers: each kind does its one thing, in the turn's transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiosqlite
import pytest

from bot import actions
from bot.actions import ActionCall, UnknownAction
from bot.runtime import Runtime
from flows.actions import REGISTRY
from storage import alerts, consents, people, schedules
from storage.records import Resident
from tests.bot.conftest import TUESDAY_10AM


@pytest.fixture
async def pat(services: Runtime, demo: dict[str, int]) -> Resident:
    async with services.db.read() as conn:
        found = await people.get_resident(conn, demo["Pat"])
    assert found is not None
    return found


@pytest.fixture
async def tx(services: Runtime, pat: Resident) -> AsyncIterator[aiosqlite.Connection]:
    # After `pat`, whose demo programme is written first: the write lock is held from here.
    async with services.db.write() as conn:
        yield conn


async def run(
    tx: aiosqlite.Connection,
    pat: Resident,
    kind: str,
    about: dict[str, dict[str, Any]] | None = None,
    **params: Any,
) -> ActionCall:
    call = ActionCall(tx, pat, "event_nudge", params, about or {})
    await actions.run(kind, call)
    return call


async def test_alert_catalyst_raises_an_alert_for_the_residents_own_catalyst(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    await run(tx, pat, "alert_catalyst", reason="Pat would like a call", urgency="urgent")
    [alert] = await alerts.list_alerts(tx, status="open")
    assert (alert.summary, alert.urgency, alert.kind) == ("Pat would like a call", "urgent", "flow")
    assert alert.catalyst_id == pat.catalyst_id


async def test_schedule_followup_adds_a_one_off_schedule_for_the_flow(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    due = TUESDAY_10AM.replace(day=27)
    await run(tx, pat, "schedule_followup", flow="weekly_checkin", due_at=due.isoformat())
    [followup] = [s for s in await schedules.due_schedules(tx, due, 10) if s.kind == "followup"]
    assert (followup.resident_id, followup.flow_id) == (pat.id, "weekly_checkin")
    not_yet = await schedules.due_schedules(tx, TUESDAY_10AM.replace(day=26), 10)
    assert all(s.kind != "followup" for s in not_yet)


async def test_record_consent_keeps_the_answer_and_which_flow_asked(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    await run(tx, pat, "record_consent", purpose="events", given=False)
    assert (await consents.current_consents(tx, pat.id))["events"] is False
    assert (await consents.consent_history(tx, pat.id))[-1]["source"] == "flow:event_nudge"


async def test_record_rsvp_tells_the_catalyst_and_keeps_it_in_the_audit_log(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    await run(tx, pat, "record_rsvp", event_id="ev-bingo", response="going")
    [alert] = await alerts.list_alerts(tx, status="open")
    assert alert.kind == "rsvp" and alert.summary == "Pat: going to event ev-bingo"
    async with tx.execute("SELECT action, detail FROM audit_log WHERE action = 'rsvp'") as cur:
        [row] = await cur.fetchall()
    assert "ev-bingo" in row["detail"]


async def test_record_rsvp_names_the_event_the_conversation_is_about(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    bingo = {"event": {"id": "ev-bingo", "title": "Bingo afternoon"}}
    await run(tx, pat, "record_rsvp", bingo, event_id="ev-bingo", response="going")
    [alert] = await alerts.list_alerts(tx, status="open")
    assert alert.summary == "Pat: going to Bingo afternoon (ev-bingo)"


async def test_start_flow_hands_over_once_the_conversation_ends(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    call = await run(tx, pat, "start_flow", flow="buddy_intro")
    assert call.hand_over == "buddy_intro"
    assert await alerts.list_alerts(tx) == []  # nothing else happens yet


async def test_an_action_kind_nobody_handles_is_an_error_not_a_silent_no_op(
    tx: aiosqlite.Connection, pat: Resident
) -> None:
    with pytest.raises(UnknownAction, match="send_flowers"):
        await run(tx, pat, "send_flowers")


def test_every_flow_action_kind_is_handled_here_or_by_the_engine() -> None:
    actions.check_covers(REGISTRY)
    with pytest.raises(UnknownAction, match="No handler for the flow action kinds: send_flowers"):
        actions.check_covers([*REGISTRY, "send_flowers"])
