"""Tests of the check-in sweep as the catalyst sees its work: each check-in that fell due is
recorded (started and waiting, or not started because the resident is paused or said no),
quiet hours move a check-in and say so, clock changes never move a 10:00 check-in, a one-off
runs once, and a check-in can run a flow staff wrote."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.demo import seed_demo
from bot.runtime import Runtime
from bot.services.errors import Invalid
from bot.services.schedules import RhythmRequest
from storage import checkins, consents, flow_store, people, schedules, sessions
from storage.records import Checkin
from tests.bot.conftest import MovableClock, make_services
from tests.bot.helpers import sent_to

LONDON = ZoneInfo("Europe/London")


async def _checkins_of(services: Runtime, resident_id: int) -> list[Checkin]:
    async with services.db.read() as conn:
        return await checkins.recent(conn, resident_id, datetime(2000, 1, 1, tzinfo=UTC))


async def test_a_started_check_in_is_recorded_waiting_with_its_session_and_channel(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]  # Tuesdays at 10:00, London time
    clock.advance(timedelta(days=7))
    await services.sweeps.start_due_checkins()
    async with services.db.read() as conn:
        waiting = await checkins.waiting(conn, pat)
        session = await sessions.waiting_session(conn, pat)
        schedule = await schedules.checkin_schedule(conn, pat)
    assert waiting is not None and session is not None and schedule is not None
    assert (waiting.session_id, waiting.channel, waiting.flow_id) == (
        session.id,
        "webchat",
        "weekly_checkin",
    )
    assert waiting.due_at.startswith("2026-12-01T10:00")
    assert waiting.started_at is not None and waiting.started_at.startswith("2026-12-01T10:00")
    assert waiting.schedule_id == schedule.id and waiting.moved_from is None


async def test_a_check_in_due_while_paused_or_without_consent_is_recorded_and_not_started(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    async with services.db.write() as tx:
        await people.update_resident(tx, demo["Pat"], status="paused")
        await consents.record_consent(tx, demo["Grace"], "checkins", False, "test")
    clock.advance(timedelta(days=7))
    assert await services.sweeps.start_due_checkins() == 2  # Lucy and William only
    await services.dispatcher.run_once()
    for name, status, day in (("Pat", "paused", "12-01"), ("Grace", "declined", "11-26")):
        assert await sent_to(services, demo[name]) == []
        [row] = await _checkins_of(services, demo[name])
        assert (row.status, row.session_id, row.started_at) == (status, None, None)
        assert row.due_at.startswith(f"2026-{day}T10:00")
    # Neither is replayed: the schedule moved on to the next week.
    assert await services.sweeps.start_due_checkins() == 0


async def test_a_check_in_in_quiet_hours_moves_to_their_end_and_remembers_where_it_was(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]  # quiet from 20:00 to 09:00
    saved = await services.services.schedules.set(
        pat, RhythmRequest(every="week", days=["tuesday"], at="21:00")
    )
    assert saved.description == "Every Tuesday at 9pm"
    assert saved.next_due_at is not None and saved.next_due_at.startswith("2026-11-25T09:00")
    assert saved.moved_from is not None and saved.moved_from.startswith("2026-11-24T21:00")
    clock.moment = datetime(2026, 11, 24, 21, 0, tzinfo=UTC)
    assert await services.sweeps.start_due_checkins() == 0
    clock.moment = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    assert await services.sweeps.start_due_checkins() == 1
    [row] = await _checkins_of(services, pat)
    assert row.status == "waiting"
    assert row.moved_from is not None and row.moved_from.startswith("2026-11-24T21:00")
    assert row.started_at is not None and row.started_at.startswith("2026-11-25T09:00")
    after = await services.services.schedules.get(pat)
    assert after is not None and after.next_due_at is not None and after.moved_from is not None
    assert after.next_due_at.startswith("2026-12-02T09:00")
    assert after.moved_from.startswith("2026-12-01T21:00")


async def test_quiet_hours_changed_after_the_rhythm_was_set_still_move_the_check_in(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    async with services.db.write() as tx:
        await people.update_resident(tx, pat, quiet_start="21:00", quiet_end="11:30")
    clock.advance(timedelta(days=7))  # Tuesday 1 December, 10:00: now in Pat's quiet hours
    await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()
    assert await sent_to(services, pat) == []
    moved = await services.services.schedules.get(pat)
    assert moved is not None and moved.next_due_at is not None and moved.moved_from is not None
    assert moved.next_due_at.startswith("2026-12-01T11:30")
    assert moved.moved_from.startswith("2026-12-01T10:00")
    clock.moment = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
    await services.sweeps.start_due_checkins()
    [row] = await _checkins_of(services, pat)
    assert row.status == "waiting" and row.moved_from is not None
    assert row.moved_from.startswith("2026-12-01T10:00")


@pytest.mark.parametrize(
    ("first_day", "change"),
    [
        (datetime(2026, 3, 26, tzinfo=UTC), datetime(2026, 3, 29, tzinfo=UTC)),
        (datetime(2026, 10, 22, tzinfo=UTC), datetime(2026, 10, 25, tzinfo=UTC)),
    ],
)
async def test_a_clock_change_never_moves_a_ten_oclock_check_in(
    tmp_path: Path, first_day: datetime, change: datetime
) -> None:
    clock = MovableClock(first_day)
    services = make_services(tmp_path, clock)
    await services.start(background=False)
    try:
        demo = await seed_demo(services)
        pat = demo["Pat"]
        await services.services.schedules.set(pat, RhythmRequest(every="day", at="10:00"))
        # The sweep runs every quarter of an hour for a week around the change.
        while clock.moment < first_day + timedelta(days=7):
            clock.advance(timedelta(minutes=15))
            await services.sweeps.start_due_checkins()
        rows = await _checkins_of(services, pat)
    finally:
        await services.stop()
    began = [datetime.fromisoformat(row.started_at or "").astimezone(LONDON) for row in rows]
    assert len(began) == 7
    assert {(moment.hour, moment.minute) for moment in began} == {(10, 0)}
    assert change.date() in {moment.date() for moment in began}
    assert len({moment.utcoffset() for moment in began}) == 2  # both sides of the change


async def test_a_one_off_check_in_runs_once_on_its_day(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    saved = await services.services.schedules.set(
        pat, RhythmRequest(every="once", on="2026-12-08", at="10:00")
    )
    assert saved.description == "Once, on Tuesday 8 December at 10am"
    assert saved.next_due_at is not None and saved.next_due_at.startswith("2026-12-08T10:00")
    clock.moment = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    await services.sweeps.start_due_checkins()
    assert await _checkins_of(services, pat) == []  # Pat's weekly Tuesday is replaced
    for day in (8, 15, 22):
        clock.moment = datetime(2026, 12, day, 10, 0, tzinfo=UTC)
        await services.sweeps.start_due_checkins()
    [row] = await _checkins_of(services, pat)
    assert row.due_at.startswith("2026-12-08T10:00")
    after = await services.services.schedules.get(pat)
    assert after is not None and after.next_due_at is None and not after.active


async def test_a_one_off_in_the_past_or_without_a_date_is_refused(
    services: Runtime, demo: dict[str, int]
) -> None:
    cases = [
        (RhythmRequest(every="once", on="2026-11-20", at="10:00"), "on"),
        (RhythmRequest(every="once", at="10:00"), "on"),
        (RhythmRequest(every="once", on="8 December", at="10:00"), "on"),
        (RhythmRequest(every="once", on="2026-12-08", at="25:00"), "at"),
    ]
    before = await services.services.schedules.get(demo["Pat"])
    for request, field in cases:
        with pytest.raises(Invalid) as refused:
            await services.services.schedules.set(demo["Pat"], request)
        assert refused.value.field == field
    assert await services.services.schedules.get(demo["Pat"]) == before


TEA_CHECKIN = """\
format: 1
id: tea_checkin
name: Tea and a chat
purpose: checkins
languages: [en]
start: ask
steps:
  ask:
    say: "It's {{ catalyst.first_name }}. Fancy a cuppa, {{ resident.preferred_name }}? yes or no"
    ask:
      type: yes_no
      timeout: 1d
    branches:
      "yes": lovely
      "no": lovely
      other: lovely
      no_response: end
  lovely:
    say: "Thank you!"
    end: completed
"""


async def test_a_check_in_can_run_a_flow_staff_wrote_for_check_ins_and_no_other(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    async with services.db.write() as tx:
        stored = await flow_store.publish(tx, "tea_checkin", "Tea and a chat", TEA_CHECKIN, "t")
    services.flows.add_revision(stored)
    schedules_service = services.services.schedules
    with pytest.raises(Invalid) as refused:
        await schedules_service.set(
            demo["Pat"], RhythmRequest(every="week", at="10:00", flow="event_nudge")
        )
    assert refused.value.field == "flow" and "not a check-in" in refused.value.message
    await schedules_service.set(
        demo["Pat"], RhythmRequest(every="week", days=["wednesday"], at="10:00", flow="tea_checkin")
    )
    clock.moment = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()
    [question] = await sent_to(services, demo["Pat"])
    assert question.body == "It's Abby. Fancy a cuppa, Pat? yes or no"
    [row] = await _checkins_of(services, demo["Pat"])
    assert (row.flow_id, row.status) == ("tea_checkin", "waiting")


async def test_starting_a_check_in_now_records_it_waiting(
    services: Runtime, demo: dict[str, int]
) -> None:
    started = await services.services.checkins.start_now(demo["William"])
    [row] = await _checkins_of(services, demo["William"])
    async with services.db.read() as conn:
        session = await sessions.waiting_session(conn, demo["William"])
    assert session is not None and session.context["session"] == {"started_by": "staff"}
    assert (row.status, row.session_id, row.channel) == ("waiting", session.id, started.channel)
