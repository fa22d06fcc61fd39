"""Tests of the sweeps: check-ins start on their slot once, and waiting sessions are woken."""

from __future__ import annotations

from datetime import timedelta

from bot.conversations import Route
from bot.runtime import Runtime
from storage import consents, people, resident_history, schedules, sessions
from tests.bot.conftest import MovableClock
from tests.bot.helpers import replies, say, sent_to


async def test_a_due_check_in_starts_once_and_moves_to_the_next_week(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]  # the demo checks in with Pat on Tuesdays at 10:00, London time
    assert await services.sweeps.start_due_checkins() == 0  # seeded at 10:00: next is a week on
    clock.advance(timedelta(days=7))
    # By next Tuesday every demo resident's weekly slot (Tuesday to Friday) has come round.
    assert await services.sweeps.start_due_checkins() == 4
    assert await services.sweeps.start_due_checkins() == 0
    await services.dispatcher.run_once()
    [question] = await sent_to(services, pat)
    assert question.body.startswith("Hi Pat, it's Abby. How are you this week?")
    async with services.db.read() as conn:
        schedule = await schedules.checkin_schedule(conn, pat)
    assert schedule is not None and schedule.next_due_at is not None
    assert schedule.next_due_at.startswith("2026-12-08T10:00")


async def test_after_downtime_a_missed_slot_runs_once_not_once_per_week_missed(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    clock.advance(timedelta(days=7 * 3 + 1))  # three Tuesdays passed while the service was down
    await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()
    assert len(await sent_to(services, demo["Pat"])) == 1


async def test_no_check_in_starts_without_consent_or_while_paused(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    async with services.db.write() as tx:
        await consents.record_consent(tx, demo["Pat"], "checkins", False, "test")
    clock.advance(timedelta(days=7))
    await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()
    assert await sent_to(services, demo["Pat"]) == []


async def test_a_waiting_check_in_is_reminded_by_the_ladder_then_counts_as_missed(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    clock.advance(timedelta(days=7))
    await services.sweeps.start_due_checkins()
    [question] = await sent_to(services, pat)
    clock.advance(timedelta(hours=2))
    # The flow has no reminder of its own: the escalation ladder asks again.
    assert await services.sweeps.wake_sessions() == 0
    assert await services.sweeps.climb_ladders() == 4  # all four demo residents are waiting
    await services.dispatcher.run_once()
    # A reminder that reads as one: the question's greeting gives way to "checking in again".
    reminder = (await sent_to(services, pat))[-1].body
    assert reminder.startswith("Just checking in again, Pat. How are you this week?")
    assert question.body.endswith(reminder.removeprefix("Just checking in again, Pat. "))
    clock.advance(timedelta(days=3))
    assert await services.sweeps.wake_sessions() == 4
    async with services.db.read() as conn:
        assert await sessions.waiting_session(conn, pat) is None
    async with services.db.read() as conn:
        results = await resident_history.results_of(conn, pat, 10)
    assert [(r.name, r.label) for r in results] == [("checkin", "missed")]


async def test_an_event_nudge_keeps_its_event_for_the_reminder_and_the_next_turn(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    bingo = {
        "id": "ev-bingo",
        "title": "Bingo afternoon",
        "when": "Thursday 26 November, 1pm",
        "place": "Castle Point centre",
        "welcome": "A volunteer sits with newcomers",
        "cost": "£1 a card",
        "travel": "bus 62",
        "access": "step-free",
    }
    async with services.db.write() as tx:
        await consents.record_consent(tx, pat, "events", True, "test")
        resident = await people.get_resident(tx, pat)
        assert resident is not None
        await services.conversations.start(
            tx, resident, "event_nudge", Route("webchat", str(pat)), {"event": bingo}
        )
    clock.advance(timedelta(days=1))
    assert await services.sweeps.wake_sessions() == 1
    await services.dispatcher.run_once()
    reminder = (await sent_to(services, pat))[-1]
    assert reminder.body.startswith("No rush, Pat. If you'd like to go to Bingo afternoon, reply 1")
    more = await say(services, pat, "2")
    assert (await replies(services, more))[0] == (
        "Bingo afternoon: it's £1 a card. Getting there: bus 62. Access: step-free."
    )
    async with services.db.read() as conn:
        waiting = await sessions.waiting_session(conn, pat)
    assert waiting is not None and waiting.context["event"] == bingo
    assert waiting.context["session"] == {"started_by": "staff"}


async def test_a_check_in_started_by_the_schedule_says_so_in_its_session(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    clock.advance(timedelta(days=7))
    await services.sweeps.start_due_checkins()
    async with services.db.read() as conn:
        waiting = await sessions.waiting_session(conn, demo["Pat"])
    assert waiting is not None and waiting.context["session"] == {"started_by": "schedule"}


async def test_a_flows_messages_need_the_consent_for_the_purpose_it_declares(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    async with services.db.write() as tx:
        await consents.record_consent(tx, pat, "events", False, "test")
        resident = await people.get_resident(tx, pat)
        assert resident is not None
        await services.conversations.start(
            tx, resident, "event_nudge", Route("webchat", str(pat)), {"event": {"title": "Bingo"}}
        )
    await services.dispatcher.run_once()
    nudge = await sent_to(services, pat)
    assert nudge and {m.purpose for m in nudge} == {"events"}
    assert {m.status for m in nudge} == {"cancelled"}  # Pat has not agreed to hear of events
