"""Tests of the escalation ladder through the real sweeps and pipeline, on an injected clock:
Pat silent through every rung, a late reply, misses in a row, and everything that stops it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bot import paging
from bot.runtime import Runtime
from storage import alerts, checkins, consents, identities, messages, people
from storage.records import Alert, Checkin, Message, Person
from tests.bot.conftest import MovableClock
from tests.bot.helpers import say, sent_to

PAT_PHONE = "+447700900123"
QUESTION = "Hi Pat, it's Abby. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
#: The ladder's reminder asks it again as a reminder, not word for word.
REMINDER = "Just checking in again, Pat. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"


async def _abby_on_telegram(services: Runtime) -> Person:
    async with services.db.write() as tx:
        abby = next(p for p in await people.list_people(tx, "catalyst") if p.first_name == "Abby")
        await identities.add_identity(tx, "telegram", "777", person_id=abby.id)
        await people.set_alert_channel(tx, abby.id, "telegram")
    return abby


async def _pages(services: Runtime, person: Person) -> list[str]:
    async with services.db.write() as tx:
        await paging.page_new_alerts(tx)
        return [m.body for m in await messages.messages_to_person(tx, person.id)]


async def _give_pat_a_phone(services: Runtime, pat: int) -> None:
    async with services.db.write() as tx:
        await identities.add_identity(tx, "sms", PAT_PHONE, resident_id=pat)


async def _tuesday_checkin(services: Runtime, clock: MovableClock, to: datetime) -> None:
    """Move the clock to a Tuesday at 10:00 (UTC) and let the sweep start the check-ins."""
    clock.moment = to
    await services.sweeps.start_due_checkins()
    await services.dispatcher.run_once()


async def _checkin_of(services: Runtime, resident: int) -> Checkin:
    async with services.db.read() as conn:
        found = await checkins.latest(conn, resident)
    assert found is not None
    return found


async def _missed(services: Runtime, resident: int) -> list[Alert]:
    async with services.db.read() as conn:
        found = await alerts.list_alerts(conn)
    return [a for a in found if a.resident_id == resident and a.kind == "missed"]


async def _after(
    services: Runtime, clock: MovableClock, hours: float, resident: int
) -> list[Message]:
    """Let `hours` pass, run the ladder's sweep, send; the messages the resident got meanwhile."""
    before = len(await sent_to(services, resident))
    clock.advance(timedelta(hours=hours))
    await services.sweeps.climb_ladders()
    await services.dispatcher.run_once()
    return (await sent_to(services, resident))[before:]


async def _silent_through(services: Runtime, clock: MovableClock, resident: int) -> None:
    """Pat does not answer: the default ladder's three rungs, each when it falls due."""
    for hours in (2, 2, 4):
        await _after(services, clock, hours, resident)


#: Tuesday 1 December 2026, 10:00 in London (GMT), a week after the demo is seeded.
DEC_1 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


async def test_pat_silent_through_the_whole_ladder(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    abby = await _abby_on_telegram(services)
    await _give_pat_a_phone(services, pat)
    # Last Wednesday Pat answered a check-in: OK, and no call needed.
    clock.advance(timedelta(days=1))
    await services.services.checkins.start_now(pat)
    await say(services, pat, "2")
    await say(services, pat, "no thanks")
    assert (await _checkin_of(services, pat)).mood == "ok"

    await _tuesday_checkin(services, clock, DEC_1)
    [question] = (await sent_to(services, pat))[-1:]
    assert (question.channel, question.body) == ("sms", QUESTION)
    assert await _after(services, clock, 1.5, pat) == []  # nothing before two hours

    [reminder] = await _after(services, clock, 0.5, pat)  # 12:00: a reminder of the question
    assert (reminder.channel, reminder.body) == ("sms", REMINDER)
    [elsewhere] = await _after(services, clock, 2, pat)  # 14:00: on her other channel
    assert (elsewhere.channel, elsewhere.body) == ("webchat", REMINDER)
    assert await _missed(services, pat) == []

    assert await _after(services, clock, 4, pat) == []  # 18:00: Abby is told, not Pat
    [alert] = await _missed(services, pat)
    assert (
        alert.summary == "Pat hasn't answered Tuesday's check-in. Last reply 6 days ago; then: OK."
    )
    assert alert.urgency == "routine" and alert.catalyst_id == abby.id
    [page] = [p for p in await _pages(services, abby) if "hasn't answered" in p]
    assert page == f"Companion alert A{alert.id}: {alert.summary}"
    checkin = await _checkin_of(services, pat)
    assert (checkin.status, checkin.alert_id, checkin.next_rung_at) == ("missed", alert.id, None)
    # The ladder is done: nothing more comes, to Pat or to Abby.
    assert await _after(services, clock, 24, pat) == []
    assert len(await _missed(services, pat)) == 1


async def test_a_reply_after_the_alert_is_all_clear(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    abby = await _abby_on_telegram(services)
    await _tuesday_checkin(services, clock, DEC_1)
    await _silent_through(services, clock, pat)  # a reminder, no other channel, missed
    [missed] = await _missed(services, pat)
    assert missed.summary == "Pat hasn't answered Tuesday's check-in. No reply to a check-in yet."

    clock.advance(timedelta(minutes=10))  # 18:10, after the alert
    handled = await say(services, pat, "not great, my knee is bad")
    assert handled.replies  # the check-in carries on as if she had answered on time
    async with services.db.read() as conn:
        closed = await alerts.inbox_alert(conn, missed.id)
        everything = await alerts.list_alerts(conn, status="open")
    assert closed is not None and closed.alert.status == "closed"
    assert closed.closing_note == "All clear: Pat replied at 18:10."
    [clear] = [a for a in everything if a.kind == "all_clear"]
    assert clear.summary == (
        f"All clear: Pat replied at 18:10. The missed check-in alert (A{missed.id}) is closed."
    )
    assert any(
        p.startswith(f"Companion alert A{clear.id}: All clear")
        for p in await _pages(services, abby)
    )
    checkin = await _checkin_of(services, pat)
    assert (checkin.status, checkin.mood) == ("answered", "low")
    assert checkin.said == "not great, my knee is bad"
    # Another message later closes nothing more and says nothing more.
    await say(services, pat, "no thanks")
    async with services.db.read() as conn:
        assert [a.kind for a in await alerts.list_alerts(conn, status="open")].count(
            "all_clear"
        ) == 1


async def test_an_answer_in_time_stops_the_ladder_and_keeps_the_mood(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    await _tuesday_checkin(services, clock, DEC_1)
    clock.advance(timedelta(hours=1))
    await say(services, pat, "1")
    checkin = await _checkin_of(services, pat)
    assert (checkin.status, checkin.mood, checkin.said, checkin.next_rung_at) == (
        "answered",
        "good",
        None,  # a bare choice is not kept as her words
        None,
    )
    assert checkin.answered_at is not None and checkin.answered_at.startswith("2026-12-01T11:00")
    before = len(await sent_to(services, pat))
    for _ in range(4):
        await _after(services, clock, 3, pat)
    assert len(await sent_to(services, pat)) == before
    assert await _missed(services, pat) == []


async def test_three_misses_in_a_row_make_the_alert_urgent(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    for week in range(3):
        await _tuesday_checkin(services, clock, DEC_1 + timedelta(weeks=week))
        await _silent_through(services, clock, pat)
    first, second, third = sorted(await _missed(services, pat), key=lambda a: a.id)
    assert (first.urgency, second.urgency, third.urgency) == ("routine", "routine", "urgent")
    assert "3 missed in a row" in third.summary and "2 missed in a row" in second.summary


async def test_nothing_escalates_while_paused_turned_down_or_with_a_risk_alert_open(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    await _tuesday_checkin(services, clock, DEC_1)  # all four demo residents are asked
    pat, lucy, grace, william = (demo[n] for n in ("Pat", "Lucy", "Grace", "William"))
    async with services.db.write() as tx:
        await people.update_resident(tx, pat, status="paused")
        await consents.record_consent(tx, lucy, "checkins", False, "test")
        await alerts.raise_alert(
            tx, resident_id=grace, catalyst_id=None, kind="risk", urgency="urgent", summary="x"
        )
    for hours in (2, 2, 4):
        clock.advance(timedelta(hours=hours))
        await services.sweeps.climb_ladders()
    await services.dispatcher.run_once()
    for resident in (pat, lucy, grace):
        assert len(await sent_to(services, resident)) == 1  # the question, nothing after
    assert [await _missed(services, r) for r in (pat, lucy, grace)] == [[], [], []]
    assert [(await _checkin_of(services, r)).status for r in (pat, lucy, grace)] == [
        "paused",
        "declined",
        "waiting",  # a person has Grace in hand; her answer still counts when it comes
    ]
    # William, with nothing in the way, got his missed alert as usual.
    assert len(await _missed(services, william)) == 1


async def test_not_today_stops_the_ladder(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    await _tuesday_checkin(services, clock, DEC_1)
    clock.advance(timedelta(minutes=30))
    await say(services, pat, "not today thanks")
    before = len(await sent_to(services, pat))
    await _after(services, clock, 12, pat)
    assert len(await sent_to(services, pat)) == before
    assert await _missed(services, pat) == []


async def test_a_rung_due_in_quiet_hours_waits_for_them_to_end(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    # Pat's check-in is at 19:00 this time: her reminder would be at 21:00, in quiet hours.
    async with services.db.write() as tx:
        await people.update_resident(tx, pat, quiet_start="20:00", quiet_end="09:00")
    clock.moment = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    await services.services.checkins.start_now(pat)
    await services.dispatcher.run_once()
    assert await _after(services, clock, 2, pat) == []  # 21:00
    assert await _after(services, clock, 11.9, pat) == []  # 08:54 the next morning
    [reminder] = await _after(services, clock, 0.1, pat)  # 09:00
    assert reminder.body == REMINDER
    assert reminder.created_at.startswith("2026-12-02T09:00")
    # Pat has one channel only: the other-channel rung is skipped; missed comes 4 hours later.
    assert await _after(services, clock, 2, pat) == []
    assert await _missed(services, pat) == []
    assert await _after(services, clock, 4, pat) == []
    [alert] = await _missed(services, pat)
    assert alert.summary.startswith("Pat hasn't answered Tuesday's check-in.")


async def test_a_resident_with_no_catalyst_is_still_missed_by_staff(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    async with services.db.write() as tx:
        await people.update_resident(tx, pat, catalyst_id=None)
        staff = await people.add_person(tx, "staff", "Sam", "Sam Staff", "sam@example.org")
        await identities.add_identity(tx, "telegram", "888", person_id=staff.id)
        await people.set_alert_channel(tx, staff.id, "telegram")
    await _tuesday_checkin(services, clock, DEC_1)
    await _silent_through(services, clock, pat)
    [alert] = await _missed(services, pat)
    assert alert.catalyst_id is None
    pages = await _pages(services, staff)
    assert any("Pat hasn't answered Tuesday's check-in" in p for p in pages)


async def test_an_empty_sweep_takes_no_write_lock(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    written: list[str] = []
    real = services.db.write

    def spy() -> Any:
        written.append("write")
        return real()

    services.db.write = spy  # type: ignore[method-assign]
    assert await services.sweeps.climb_ladders() == 0
    assert written == []


async def test_by_sms_abby_hears_of_the_miss_and_the_all_clear_in_fixed_words(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    async with services.db.write() as tx:
        abby = next(p for p in await people.list_people(tx, "catalyst") if p.first_name == "Abby")
        await identities.add_identity(tx, "sms", "+447700900099", person_id=abby.id)
        await people.set_alert_channel(tx, abby.id, "sms")
    await _tuesday_checkin(services, clock, DEC_1)
    await _silent_through(services, clock, pat)
    [missed] = await _missed(services, pat)
    assert await _pages(services, abby) == [
        f"Companion alert A{missed.id}: Pat hasn't answered a check-in. See the admin."
    ]
    await say(services, pat, "2")
    pages = await _pages(services, abby)
    assert pages[-1] == (
        f"Companion alert A{missed.id + 1}: Pat replied after a missed check-in: all clear. "
        "See the admin."
    )


async def test_a_resident_who_wrote_about_something_else_is_not_chased(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    await _tuesday_checkin(services, clock, DEC_1)
    clock.advance(timedelta(hours=1))
    await say(services, pat, "HELP")  # handled before the check-in's question sees it
    before = len(await sent_to(services, pat))
    await _silent_through(services, clock, pat)
    assert len(await sent_to(services, pat)) == before
    assert await _missed(services, pat) == []
    assert (await _checkin_of(services, pat)).status == "ended"


async def test_a_few_words_of_a_choice_are_not_kept_as_what_she_said(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    await _tuesday_checkin(services, clock, DEC_1)
    await say(services, pat, "grand thanks love")
    checkin = await _checkin_of(services, pat)
    assert (checkin.status, checkin.mood, checkin.said) == ("answered", "good", None)


async def test_an_answer_on_her_other_channel_answers_the_check_in(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    await _give_pat_a_phone(services, pat)
    await _tuesday_checkin(services, clock, DEC_1)  # asked by SMS
    for hours in (2, 2):  # the reminder by SMS, then the question in the web chat
        clock.advance(timedelta(hours=hours))
        await services.sweeps.climb_ladders()
    clock.advance(timedelta(minutes=5))
    await say(services, pat, "3")  # from the web chat
    checkin = await _checkin_of(services, pat)
    assert (checkin.status, checkin.mood, checkin.channel) == ("answered", "low", "sms")
    clock.advance(timedelta(hours=4))
    await services.sweeps.climb_ladders()
    assert await _missed(services, pat) == []
