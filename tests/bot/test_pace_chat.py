"""Tests of a resident setting the pace in the chat, as Pat and her catalyst Abby notice it: not
today, later (the question comes back the same day, or tomorrow when it is late), a call asked
for, a pause (with an end, with none, across a clock change) and the hello when it ends, and a
rhythm less or more often offered, said yes or no to. Every clock is set to a named date."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import replies
from bot.demo import seed_demo
from bot.resume import PauseEnds
from bot.runtime import Runtime
from bot.services.schedules import RhythmRequest, checkin_flows
from flows.sms import Encoding, sms_info
from storage import checkins, people, schedules, sessions
from storage.records import Alert, Resident
from tests.bot.conftest import MovableClock, make_services
from tests.bot.helpers import open_alerts, say, sent_to
from tests.bot.helpers import replies as replies_to

LONG_NAME = "Bartholomew-Alexander"
#: Tuesday 1 December 2026, 10:00 in London (GMT): Pat's check-in is due.
DEC_1_10AM = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


class World:
    """The demo programme on a clock the test moves, from a named moment."""

    def __init__(self, services: Runtime, clock: MovableClock, ids: dict[str, int]) -> None:
        self.services = services
        self.clock = clock
        self.ids = ids

    @property
    def pat(self) -> int:
        return self.ids["Pat"]

    async def at(self, moment: datetime) -> None:
        """Move to `moment` and run the sweeps the scheduler would (the ladder's too)."""
        self.clock.moment = moment
        await self.services.sweeps.start_due_checkins()
        await self.services.sweeps.wake_sessions()
        await PauseEnds(
            self.services.db, self.services.conversations, self.clock
        ).resume_ended_pauses()
        await self.services.dispatcher.run_once()

    async def texts_to(self, resident_id: int) -> list[str]:
        return [message.body for message in await sent_to(self.services, resident_id)]

    async def said(self, resident_id: int, text: str) -> list[str]:
        handled = await say(self.services, resident_id, text)
        return await replies_to(self.services, handled)

    async def resident(self, resident_id: int) -> Resident:
        async with self.services.db.read() as conn:
            found = await people.get_resident(conn, resident_id)
        assert found is not None
        return found

    async def alerts_about(self, resident_id: int) -> list[Alert]:
        return [a for a in await open_alerts(self.services) if a.resident_id == resident_id]


Opener = Callable[[datetime], Awaitable[World]]


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[Opener]:
    opened: list[Runtime] = []

    async def open_at(moment: datetime) -> World:
        # The demo is seeded a week before, so its check-ins fall due from `moment` on.
        clock = MovableClock(moment - timedelta(days=7))
        home = tmp_path / f"world{len(opened)}"
        home.mkdir(exist_ok=True)
        services = make_services(home, clock)
        await services.start(background=False)
        opened.append(services)
        ids = await seed_demo(services)
        return World(services, clock, ids)

    yield open_at
    for services in opened:
        await services.stop()


async def _checkin_status(world: World, resident_id: int) -> str:
    async with world.services.db.read() as conn:
        latest = await checkins.latest(conn, resident_id)
    assert latest is not None
    return latest.status


# -- not today, later --------------------------------------------------------------------------


async def test_not_today_ends_the_check_in_and_nothing_escalates(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]
    assert await w.said(w.pat, "not today thanks") == [
        "That's fine, Pat. We'll leave it for today. Message me any time."
    ]
    assert await _checkin_status(w, w.pat) == "not_today"
    for hours in (2, 4, 8, 24):  # past every rung of the ladder
        await w.at(DEC_1_10AM + timedelta(hours=hours))
    assert await w.alerts_about(w.pat) == []
    assert (await w.texts_to(w.pat))[-1].startswith("That's fine, Pat.")


async def test_not_today_ask_me_tomorrow_asks_again_at_the_same_time_tomorrow(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    await w.at(DEC_1_10AM + timedelta(minutes=20))
    assert await w.said(w.pat, "not today, maybe tomorrow") == [
        "That's fine, Pat. We'll leave it for today, and I'll ask again tomorrow at about 10am."
    ]
    assert await _checkin_status(w, w.pat) == "not_today"
    await w.at(datetime(2026, 12, 2, 9, 55, tzinfo=UTC))
    assert "How are you" not in (await w.texts_to(w.pat))[-1]
    await w.at(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]
    assert await w.alerts_about(w.pat) == []


async def test_not_today_ask_me_tomorrow_at_3_asks_again_then(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "not today, ask me tomorrow at 3") == [
        "That's fine, Pat. We'll leave it for today, and I'll ask again tomorrow at about 3pm."
    ]
    await w.at(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    assert "How are you" not in (await w.texts_to(w.pat))[-1]
    await w.at(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_later_asks_again_two_hours_on_and_is_not_not_today(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    await w.at(DEC_1_10AM + timedelta(minutes=3))
    assert await w.said(w.pat, "later") == [
        "Of course, Pat. I'll ask again at about 12:05pm. Message me any time before then."
    ]
    assert await _checkin_status(w, w.pat) == "later"
    await w.at(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    assert (await w.texts_to(w.pat))[-1].startswith("Of course, Pat.")
    await w.at(datetime(2026, 12, 1, 12, 5, tzinfo=UTC))
    assert (await w.texts_to(w.pat))[-1] == (
        "Hi Pat, it's Abby. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    )
    assert await w.alerts_about(w.pat) == []


async def test_a_time_of_day_given_is_when_the_question_comes_back(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "bit busy, try me after 3") == [
        "Of course, Pat. I'll ask again at about 3pm. Message me any time before then."
    ]
    await w.at(datetime(2026, 12, 1, 14, 55, tzinfo=UTC))
    assert "How are you" not in (await w.texts_to(w.pat))[-1]
    await w.at(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_this_afternoon_asks_again_at_two(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "can you ask me this afternoon") == [
        "Of course, Pat. I'll ask again at about 2pm. Message me any time before then."
    ]
    await w.at(datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_later_at_half_seven_with_quiet_hours_from_eight_is_tomorrow_morning(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    evening = datetime(2026, 12, 1, 19, 0, tzinfo=UTC)
    await w.services.services.schedules.set(
        w.pat, RhythmRequest(every="week", days=["TU"], at="19:00")
    )
    await w.at(evening)
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]
    await w.at(evening + timedelta(minutes=30))
    assert await w.said(w.pat, "later") == [
        "That's fine, Pat. It's getting late, so I'll try tomorrow at about 9am. Sleep well."
    ]
    await w.at(datetime(2026, 12, 2, 8, 55, tzinfo=UTC))
    assert "How are you" not in (await w.texts_to(w.pat))[-1]
    await w.at(datetime(2026, 12, 2, 9, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_ask_me_at_10am_said_in_the_afternoon_asks_tomorrow_at_10am(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    afternoon = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    await w.services.services.schedules.set(
        w.pat, RhythmRequest(every="week", days=["TU"], at="14:00")
    )
    await w.at(afternoon)
    assert await w.said(w.pat, "can you ask me at 10am") == [
        "That's fine, Pat. We'll leave it for today, and I'll ask again tomorrow at about 10am."
    ]
    assert await _checkin_status(w, w.pat) == "later"
    # Not at 10 tonight, nor at the end of tonight's quiet hours: at 10 tomorrow morning.
    await w.at(datetime(2026, 12, 2, 9, 55, tzinfo=UTC))
    assert "How are you" not in (await w.texts_to(w.pat))[-1]
    await w.at(datetime(2026, 12, 2, 10, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]
    assert await w.alerts_about(w.pat) == []


async def test_later_with_no_check_in_waiting_is_passed_on(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    handled = await say(w.services, w.pat, "later")
    assert handled.route != "pace"
    async with w.services.db.read() as conn:
        assert await schedules.checkin_schedule(conn, w.pat) is not None


# -- a call ------------------------------------------------------------------------------------


async def test_a_call_asked_for_alerts_abby_and_tells_pat_when(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    assert await w.said(w.pat, "can someone give me a ring please") == [
        "Of course, Pat. I've asked Abby to ring you. Expect a call by the end of the next "
        "working day."
    ]
    [alert] = await w.alerts_about(w.pat)
    assert alert.kind == "call" and alert.urgency == "routine"
    assert alert.summary.startswith("Pat would like a call.")
    assert "give me a ring" in alert.summary
    # "ring me" does not say how she is: the check-in still waits for that.
    assert await _checkin_status(w, w.pat) == "waiting"


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("can abby ring me this afternoon", "this afternoon"),
        ("call me tomorrow please", "tomorrow"),
        ("give me a ring on the 14th", "on the 14th"),
        ("ring me at half past 2", "at about 2:30pm"),
        ("can someone phone me after 3", "at about 3pm"),
    ],
)
async def test_when_pat_would_like_the_call_is_in_abbys_alert(
    world: Opener, text: str, when: str
) -> None:
    w = await world(DEC_1_10AM)
    [reply] = await w.said(w.pat, text)
    assert reply.startswith("Of course, Pat. I've asked Abby to ring you.")
    [alert] = await w.alerts_about(w.pat)
    assert alert.summary.startswith(f"Pat would like a call ({when}).")


async def test_a_call_asked_for_when_offered_one_is_the_check_ins_yes(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    [offer] = await w.said(w.pat, "3")
    assert "Would you like me to give you a call?" in offer
    assert await w.said(w.pat, "call me please") == [
        "I'll ring you soon, Pat. Take care until then."
    ]
    [alert] = await w.alerts_about(w.pat)
    assert "would like a call" in alert.summary


async def test_a_resident_with_no_catalyst_hears_someone_from_the_team_will_ring(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    async with w.services.db.write() as tx:
        await people.update_resident(tx, w.ids["Lucy"], catalyst_id=None)
    [reply] = await w.said(w.ids["Lucy"], "could someone phone me")
    assert "someone from the team to ring you" in reply
    [alert] = await w.alerts_about(w.ids["Lucy"])
    assert alert.kind == "call" and alert.catalyst_id is None


# -- pauses ------------------------------------------------------------------------------------


async def test_a_fortnights_pause_ends_by_itself_across_the_clock_change(world: Opener) -> None:
    monday = datetime(2026, 10, 19, 11, 0, tzinfo=UTC)  # 12:00 BST
    w = await world(datetime(2026, 10, 20, 9, 0, tzinfo=UTC))  # Pat: Tuesdays 10:00 BST
    w.clock.moment = monday
    assert await w.said(w.pat, "can you pause for a fortnight") == [
        "Of course, Pat. I'll pause your check-ins until Monday 2 November and let Abby know. "
        "Say I'M BACK if it's sooner."
    ]
    [alert] = await w.alerts_about(w.pat)
    assert alert.kind == "pace"
    assert "until Monday 2 November" in alert.summary and "pause for a fortnight" in alert.summary
    # Tuesdays 20 and 27 October go by without a question.
    for day in (20, 27):
        await w.at(datetime(2026, 10, day, 9, 0, tzinfo=UTC))
        await w.at(datetime(2026, 10, day, 10, 0, tzinfo=UTC))
        assert all("How are you" not in text for text in await w.texts_to(w.pat))
    # The clocks went back on 25 October: 09:00 on 2 November is 09:00 UTC, not 08:00.
    await w.at(datetime(2026, 11, 2, 8, 30, tzinfo=UTC))
    assert (await w.resident(w.pat)).status == "paused"
    await w.at(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    assert (await w.resident(w.pat)).status == "active"
    assert (await w.texts_to(w.pat))[-1] == (
        "Welcome back, Pat. It's Abby. I'll be in touch as usual: every Tuesday at 10am."
    )
    await w.at(datetime(2026, 11, 3, 10, 0, tzinfo=UTC))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_going_into_hospital_pauses_until_pat_says_she_is_back(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    [reply] = await w.said(w.pat, "I'm going into hospital tomorrow")
    assert reply == (
        "Of course, Pat. I'll pause your check-ins and let Abby know. "
        "Say I'M BACK when you're ready."
    )
    assert await _checkin_status(w, w.pat) == "paused"
    async with w.services.db.read() as conn:
        assert await sessions.waiting_session(conn, w.pat) is None
    [alert] = await w.alerts_about(w.pat)
    assert "until they say they're back" in alert.summary
    assert "going into hospital tomorrow" in alert.summary
    resident = await w.resident(w.pat)
    assert (resident.status, resident.paused_until) == ("paused", None)
    await w.at(DEC_1_10AM + timedelta(days=7))
    assert all("How are you" not in text for text in (await w.texts_to(w.pat))[2:])
    assert await w.said(w.pat, "I'm back") == [
        "Welcome back, Pat. It's Abby. I'll be in touch as usual: every Tuesday at 10am."
    ]
    assert (await w.resident(w.pat)).status == "active"
    await w.at(DEC_1_10AM + timedelta(days=14))
    assert "How are you this week?" in (await w.texts_to(w.pat))[-1]


async def test_a_pause_until_their_own_words_has_no_end_and_abby_reads_them(
    world: Opener,
) -> None:
    w = await world(DEC_1_10AM)
    [reply] = await w.said(w.pat, "pause until I am home from hospital")
    assert "Say I'M BACK when you're ready." in reply
    assert (await w.resident(w.pat)).paused_until is None
    [alert] = await w.alerts_about(w.pat)
    assert alert.summary.startswith(
        "Pat asked to pause check-ins until they say they're back (I am home from hospital)."
    )


async def test_back_on_the_14th_pauses_until_then(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    w.clock.moment = DEC_1_10AM
    [reply] = await w.said(w.pat, "pause please, back on the 14th")
    assert "until Monday 14 December" in reply
    assert (await w.resident(w.pat)).paused_until == "2026-12-14T09:00:00.000000+00:00"


async def test_i_am_back_when_not_paused_is_not_a_pace_request(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    handled = await say(w.services, w.pat, "I'm back")
    assert handled.route != "pace"


async def test_a_pause_asked_for_in_polish_is_honoured(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    w.clock.moment = DEC_1_10AM
    [reply] = await w.said(w.pat, "wracam 14 grudnia")  # "I'm back on 14 December"
    assert "until Monday 14 December" in reply
    [alert] = await w.alerts_about(w.pat)
    assert "wracam 14 grudnia" in alert.summary


# -- rhythm ------------------------------------------------------------------------------------


async def test_less_often_offers_every_two_weeks_and_yes_sets_it(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    w.clock.moment = DEC_1_10AM + timedelta(hours=3)
    assert await w.said(w.pat, "less often please") == [
        "Of course, Pat. How about every 2 weeks on Tuesday at 10am? Reply yes or no"
    ]
    [answer] = await w.said(w.pat, "yes")
    assert "every 2 weeks on Tuesday at 10am from now on" in answer
    [alert] = await w.alerts_about(w.pat)
    assert alert.kind == "pace"
    assert alert.summary == (
        "Pat agreed to check-ins every 2 weeks on Tuesday at 10am (was every Tuesday at 10am); "
        "it is set."
    )
    schedule = await w.services.services.schedules.get(w.pat)
    assert schedule is not None and schedule.description == "Every 2 weeks on Tuesday at 10am"
    # Her last check-in was today, so Tuesday 8 December goes by and 15 December comes.
    await w.at(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))
    assert "How are you" not in (await w.texts_to(w.pat))[-1]
    await w.at(datetime(2026, 12, 15, 10, 0, tzinfo=UTC))
    assert "How are you" in (await w.texts_to(w.pat))[-1]


async def test_a_rhythm_pat_names_is_the_one_offered(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    w.clock.moment = DEC_1_10AM + timedelta(hours=3)
    assert await w.said(w.pat, "once a month is enough thanks") == [
        "Of course, Pat. How about every month on the first Tuesday at 10am? Reply yes or no"
    ]
    await w.said(w.pat, "yes")
    schedule = await w.services.services.schedules.get(w.pat)
    assert schedule is not None
    assert schedule.description == "Every month on the first Tuesday at 10am"


async def test_less_often_during_a_check_in_is_never_a_missed_check_in(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    [offer] = await w.said(w.pat, "not so often please")
    assert "How about every 2 weeks on Tuesday at 10am?" in offer
    assert await _checkin_status(w, w.pat) == "ended"
    for hours in (2, 4, 8, 24, 30):  # past every rung of the ladder, and the offer's wait
        await w.at(DEC_1_10AM + timedelta(hours=hours))
    [alert] = await w.alerts_about(w.pat)
    assert alert.kind == "pace" and "every 2 weeks on Tuesday at 10am was offered and not" in (
        alert.summary
    )


async def test_more_often_said_no_to_keeps_the_rhythm_and_tells_abby(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    w.clock.moment = DEC_1_10AM + timedelta(hours=3)
    assert await w.said(w.pat, "could you message me more often") == [
        "Of course, Pat. How about every Tuesday and Friday at 10am? Reply yes or no"
    ]
    [answer] = await w.said(w.pat, "no")
    assert answer == (
        "That's fine, Pat. I'll keep to every Tuesday at 10am for now, and Abby will talk it "
        "through with you."
    )
    [alert] = await w.alerts_about(w.pat)
    assert alert.summary == (
        "Pat would like check-ins more often; every Tuesday and Friday at 10am was offered and "
        "not taken, so still every Tuesday at 10am. Worth a chat about what suits them."
    )
    schedule = await w.services.services.schedules.get(w.pat)
    assert schedule is not None and schedule.description == "Every Tuesday at 10am"


async def test_the_offer_of_a_rhythm_is_not_a_flow_check_ins_can_run(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    assert "rhythm_change" not in dict(checkin_flows(w.services.flows))
    assert "weekly_checkin" in dict(checkin_flows(w.services.flows))


async def test_less_often_with_no_rhythm_set_tells_the_catalyst(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    async with w.services.db.write() as tx:
        await tx.execute("DELETE FROM schedules WHERE resident_id = ?", (w.pat,))
    assert await w.said(w.pat, "too many messages") == [
        replies.LESS_OFTEN.format(name="Pat", catalyst="Abby")
    ]
    [alert] = await w.alerts_about(w.pat)
    assert alert.summary.startswith("Pat would like check-ins less often.")


# -- what comes before pace --------------------------------------------------------------------


async def test_stop_check_ins_is_still_the_consent_words(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    handled = await say(w.services, w.pat, "no more check-ins")
    assert handled.route == "consent"


async def test_a_risk_message_with_pace_words_goes_to_safeguarding(world: Opener) -> None:
    w = await world(DEC_1_10AM)
    await w.at(DEC_1_10AM)
    handled = await say(w.services, w.pat, "not today, I've fallen and can't get up")
    assert handled.route != "pace"
    assert any(alert.urgency == "urgent" for alert in await w.alerts_about(w.pat))


# -- the words ---------------------------------------------------------------------------------

PACE_REPLIES = (
    replies.NOT_TODAY,
    replies.NOT_TODAY_UNTIL,
    replies.LATER,
    replies.LATER_TOMORROW,
    replies.PAUSED,
    replies.PAUSED_UNTIL,
    replies.LESS_OFTEN,
    replies.MORE_OFTEN,
    replies.WELCOME_BACK,
    replies.RESUMED,
    replies.CALL,
    replies.CALL_TEAM,
)


@pytest.mark.parametrize("reply", PACE_REPLIES)
def test_every_pace_reply_fits_one_gsm7_segment_with_long_names(reply: str) -> None:
    text = reply.format(
        name=LONG_NAME,
        catalyst=LONG_NAME,
        when="on Wednesday at about 12:45pm" if reply is replies.NOT_TODAY_UNTIL else "12:45pm",
        day="Wednesday 30 September",
        rhythm="every 2 months on the first Wednesday at 10:30am",
    )
    info = sms_info(text)
    assert (info.encoding, info.segments) == (Encoding.GSM7, 1), text
