"""Tests of the retention job: a text 13 months old is removed and one 11 months old is kept, at
any hour and on any date; the message rows stay, so the figures do not change; a text an open
alert needs is kept until the alert is closed; it works in batches; the conversation says why a
text is gone; and the setting is checked at start."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from dateutil.relativedelta import relativedelta

from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.retention import Retention
from bot.settings import Settings, SettingsError
from storage import alerts, checkins, messages, people
from tests.bot.conftest import MovableClock, make_services

OLD = "My knee is sore again, 13 months ago"
RECENT = "Bingo was lovely, 11 months ago"
REMOVED = "(removed after 12 months)"

#: Moments the job runs at: midnight, just before midnight on a leap day, summer time, noon.
MOMENTS = (
    datetime(2027, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2028, 2, 29, 23, 59, tzinfo=UTC),
    datetime(2027, 7, 15, 3, 30, tzinfo=UTC),
    datetime(2026, 11, 24, 12, 0, tzinfo=UTC),
)


async def said_at(services: Runtime, clock: MovableClock, resident: int, text: str) -> int:
    """A message from `resident`, stamped at the clock's time."""
    async with services.db.write() as tx:
        found = await people.get_resident(tx, resident)
        assert found is not None
        inbound = await messages.record_inbound(
            tx,
            channel="webchat",
            provider_id=f"{text}-{clock.now().isoformat()}",
            address=str(resident),
            body=text,
            resident_id=resident,
        )
    return inbound.message_id


async def text_of(services: Runtime, message_id: int) -> str:
    async with services.db.read() as conn:
        found = await messages.get_message(conn, message_id)
    assert found is not None
    return found.body


@pytest.mark.parametrize("now", MOMENTS, ids=lambda moment: moment.isoformat())
async def test_a_13_month_old_text_goes_and_an_11_month_old_one_stays(
    services: Runtime, demo: dict[str, int], clock: MovableClock, now: datetime
) -> None:
    pat = demo["Pat"]
    clock.moment = now - relativedelta(months=13)
    old = await said_at(services, clock, pat, OLD)
    clock.moment = now - relativedelta(months=11)
    recent = await said_at(services, clock, pat, RECENT)
    clock.moment = now
    before = await services.services.conversation.messages(pat)

    run = await services.services.retention.run()

    assert run.removed == 1
    assert await text_of(services, old) == REMOVED
    assert await text_of(services, recent) == RECENT
    after = await services.services.conversation.messages(pat)
    # Every row stays, with its direction, status and date: only the text went.
    assert [(m.id, m.direction, m.status, m.created_at) for m in after] == [
        (m.id, m.direction, m.status, m.created_at) for m in before
    ]
    assert (await services.services.retention.run()).removed == 0


async def test_a_text_an_open_alert_needs_is_kept_until_it_is_closed(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    now = clock.now()
    clock.moment = now - relativedelta(months=14)
    fall = await said_at(services, clock, pat, "I fell in the garden")
    async with services.db.write() as tx:
        resident = await people.get_resident(tx, pat)
        assert resident is not None
        alert = await alerts.alert_for(
            tx, resident, kind="risk", urgency="urgent", summary="Pat: a fall", message_id=fall
        )
    clock.moment = now
    assert (await services.services.retention.run()).removed == 0
    assert await text_of(services, fall) == "I fell in the garden"

    ada = Viewer(4, "ada", "Ada Admin", "admin", None)
    await services.services.alerts.close(ada, alert.id, "Rang her; her son is with her")
    assert (await services.services.retention.run()).removed == 1
    assert await text_of(services, fall) == REMOVED


async def test_a_message_still_waiting_to_be_sent_keeps_its_text(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    now = clock.now()
    clock.moment = now - relativedelta(months=13)
    async with services.db.write() as tx:
        waiting = await messages.queue_outbound(
            tx,
            channel="webchat",
            address=str(demo["Pat"]),
            body="Still to go",
            purpose="checkins",
            routine=True,
            resident_id=demo["Pat"],
        )
    clock.moment = now
    assert (await services.services.retention.run()).removed == 0
    assert await text_of(services, waiting) == "Still to go"


async def test_it_works_in_batches_and_is_audited_as_the_system(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    now = clock.now()
    clock.moment = now - relativedelta(years=2)
    made = [await said_at(services, clock, demo["Lucy"], f"old news {n}") for n in range(5)]
    clock.moment = now
    run = await services.services.retention.run(batch=2)
    assert run.removed == 5
    assert [await text_of(services, m) for m in made] == [REMOVED] * 5
    (entry, *_) = await services.services.audit.entries(subject="messages")
    assert (entry.actor, entry.action, entry.detail["removed"]) == (
        "system",
        "removed old message texts",
        5,
    )
    assert "old news" not in repr(entry.detail)


async def test_the_conversation_says_the_text_was_removed(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    now = clock.now()
    clock.moment = now - relativedelta(months=13)
    await said_at(services, clock, pat, OLD)
    clock.moment = now
    await services.services.retention.run()
    ada = Viewer(4, "ada", "Ada Admin", "admin", None)
    lines = await services.services.conversation.latest(ada, pat)
    assert [line.message.body for line in lines] == [REMOVED]
    assert lines[0].speaker == "from Pat"


async def test_a_shorter_period_is_counted_in_months(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    now = clock.now()
    clock.moment = now - relativedelta(months=4)
    four = await said_at(services, clock, demo["Pat"], "four months ago")
    clock.moment = now - relativedelta(months=2)
    two = await said_at(services, clock, demo["Pat"], "two months ago")
    clock.moment = now
    assert (await Retention(services.db, clock, 3).run()).removed == 1
    assert await text_of(services, four) == "(removed after 3 months)"
    assert await text_of(services, two) == "two months ago"


async def test_the_service_runs_it_daily_at_half_past_three_and_soon_after_start(
    tmp_path: Path, clock: MovableClock
) -> None:
    runtime = make_services(tmp_path, clock)
    await runtime.start(background=True)
    try:
        assert runtime.scheduler is not None
        retention = runtime.services.retention.run_job
        jobs = [job for job in runtime.scheduler.get_jobs() if job.func == retention]
        daily = [job for job in jobs if isinstance(job.trigger, CronTrigger)]
        once = [job for job in jobs if isinstance(job.trigger, DateTrigger)]
        assert len(daily) == 1 and len(once) == 1
        fields = {f.name: str(f) for f in daily[0].trigger.fields}
        assert (fields["hour"], fields["minute"]) == ("3", "30")
        assert str(daily[0].trigger.timezone) == "UTC"
    finally:
        await runtime.stop()


def test_the_retention_period_is_a_whole_number_of_months() -> None:
    assert Settings.load(environ={}, env_file=None).retention_months == 12
    loaded = Settings.load(environ={"COMPANION_RETENTION_MONTHS": "24"}, env_file=None)
    assert loaded.retention_months == 24
    for bad in ("0", "-1", "twelve", "1.5"):
        with pytest.raises(SettingsError) as caught:
            Settings.load(environ={"COMPANION_RETENTION_MONTHS": bad}, env_file=None)
        assert "COMPANION_RETENTION_MONTHS" in str(caught.value)


async def test_a_check_in_answers_own_words_go_after_the_same_time_as_texts(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    now = datetime(2027, 1, 12, 10, 0, tzinfo=UTC)
    kept = {}
    for months, words in ((13, OLD), (11, RECENT)):
        when = now - relativedelta(months=months)
        async with services.db.write() as tx:
            kept[words] = await checkins.record(
                tx, resident_id=pat, flow_id="weekly_checkin", due_at=when, status="ended"
            )
            await checkins.settle(tx, kept[words], "answered", mood="low", said=words)
    clock.moment = now

    await services.services.retention.run()

    async with services.db.read() as conn:
        old = await checkins.get(conn, kept[OLD])
        recent = await checkins.get(conn, kept[RECENT])
    assert old is not None and (old.status, old.mood, old.said) == ("answered", "low", None)
    assert recent is not None and recent.said == RECENT
