"""Tests of the dispatcher: quiet hours, consent at send time, retries, fallbacks and limits."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import dispatcher as dispatcher_module
from bot.channels.base import Outgoing, SendError
from bot.inbound import InboundMessage
from bot.rate_limit import RateLimiter
from bot.runtime import Runtime
from storage import alerts, consents, identities, messages, people
from tests.bot.conftest import MovableClock, make_services
from tests.bot.helpers import open_alerts, say, sent_to, start_checkin


class FlakyChannel:
    """A channel that fails as told, then succeeds; it records what it sent."""

    name = "sms"

    def __init__(self, failures: list[SendError]) -> None:
        self.failures = failures
        self.sent: list[Outgoing] = []

    async def open(self) -> None:
        pass

    async def close(self) -> None:
        pass

    async def send(self, message: Outgoing) -> str:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return f"SM{len(self.sent)}"


async def _queue(
    services: Runtime,
    resident_id: int,
    body: str,
    *,
    routine: bool = True,
    purpose: str = "checkins",
    channel: str = "webchat",
    address: str = "",
) -> int:
    async with services.db.write() as tx:
        return await messages.queue_outbound(
            tx,
            channel=channel,
            address=address or str(resident_id),
            body=body,
            purpose=purpose,
            routine=routine,
            resident_id=resident_id,
        )


async def test_a_routine_message_waits_for_quiet_hours_to_end_and_a_reply_does_not(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    clock.moment = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # 22:30 in London
    pat = demo["Pat"]
    await _queue(services, pat, "How are you this week?")
    await _queue(services, demo["Lucy"], "Thanks, noted.", routine=False)
    await services.dispatcher.run_once()
    [routine] = await sent_to(services, pat)
    [reply] = await sent_to(services, demo["Lucy"])
    assert (routine.status, reply.status) == ("queued", "sent")
    clock.moment = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    await services.dispatcher.run_once()
    assert (await sent_to(services, pat))[0].status == "sent"


async def test_consent_withdrawn_after_queueing_stops_the_message(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    await _queue(services, pat, "A nudge about bingo", purpose="events")
    async with services.db.write() as tx:
        await consents.record_consent(tx, pat, "events", False, "test")
    await services.dispatcher.run_once()
    [message] = await sent_to(services, pat)
    assert (message.status, message.error) == ("cancelled", "no consent to events")


SMS_NUMBER = "+447700900001"


class SmsWorld:
    """Runtime with a flaky SMS channel and no rate limit, and helpers to use them."""

    def __init__(self, services: Runtime, channel: FlakyChannel, telegram: FlakyChannel) -> None:
        self.services = services
        self.channel = channel
        self.telegram = telegram

    async def resident(self, *also: str) -> int:
        """Pat, on SMS and on each channel in `also` ("webchat", "telegram")."""
        async with self.services.db.write() as tx:
            resident = await people.add_resident(tx, people.NewResident("Pat", "Pat", "Pat Fuller"))
            await identities.add_identity(tx, "sms", SMS_NUMBER, resident_id=resident.id)
            for channel in also:
                address = str(resident.id)
                await identities.add_identity(tx, channel, address, resident_id=resident.id)
        return resident.id

    async def queue(self, resident_id: int, body: str, *, routine: bool = False) -> None:
        await _queue(
            self.services,
            resident_id,
            body,
            routine=routine,
            purpose="service",
            channel="sms",
            address=SMS_NUMBER,
        )


@pytest.fixture
async def sms(tmp_path: Path, clock: MovableClock) -> AsyncIterator[SmsWorld]:
    channel, telegram = FlakyChannel([]), FlakyChannel([])
    telegram.name = "telegram"
    services = make_services(tmp_path, clock, {"sms": channel, "telegram": telegram})
    services.dispatcher.limiters.clear()
    await services.start(background=False)
    yield SmsWorld(services, channel, telegram)
    await services.stop()


async def test_a_429_is_retried_after_retry_after_and_then_sent(
    sms: SmsWorld, clock: MovableClock
) -> None:
    sms.channel.failures.append(SendError("429 Too Many Requests", retry_after=30))
    pat = await sms.resident()
    await sms.queue(pat, "Hello")
    await sms.services.dispatcher.run_once()
    assert sms.channel.sent == []
    clock.advance(timedelta(seconds=29))
    await sms.services.dispatcher.run_once()
    assert sms.channel.sent == []
    clock.advance(timedelta(seconds=2))
    await sms.services.dispatcher.run_once()
    assert [m.body for m in sms.channel.sent] == ["Hello"]
    assert (await sent_to(sms.services, pat))[0].status == "sent"


async def test_a_blocked_channel_moves_the_message_to_the_residents_other_channel(
    sms: SmsWorld,
) -> None:
    sms.channel.failures.append(SendError("21610 unsubscribed", opted_out=True))
    pat = await sms.resident("telegram")
    await sms.queue(pat, "Hello")
    await sms.services.dispatcher.run_once()
    await sms.services.dispatcher.run_once()
    statuses = [(m.channel, m.status) for m in await sent_to(sms.services, pat)]
    assert statuses == [("sms", "failed"), ("telegram", "sent")]
    assert [m.body for m in sms.telegram.sent] == ["Hello"]
    async with sms.services.db.read() as conn:
        found = await identities.find_identity(conn, "sms", SMS_NUMBER)
    assert found is not None and found.opted_out_at is not None
    [alert] = await open_alerts(sms.services)
    assert alert.kind == "channel" and "Messages go by telegram now" in alert.summary


async def test_the_web_chat_is_no_place_to_move_an_undelivered_message_to(
    sms: SmsWorld,
) -> None:
    sms.channel.failures.append(SendError("403 blocked", unreachable=True))
    pat = await sms.resident("webchat")
    await sms.queue(pat, "Hello")
    await sms.services.dispatcher.run_once()
    await sms.services.dispatcher.run_once()
    statuses = [(m.channel, m.status) for m in await sent_to(sms.services, pat)]
    assert statuses == [("sms", "failed")]
    [alert] = await open_alerts(sms.services)
    assert alert.kind == "undeliverable"


async def test_a_message_moves_to_another_channel_once_and_then_alerts(
    sms: SmsWorld,
) -> None:
    sms.channel.failures.append(SendError("30005 unknown number", unreachable=True))
    sms.telegram.failures.append(SendError("403 blocked", unreachable=True))
    pat = await sms.resident("telegram")
    await sms.queue(pat, "Hello")
    for _ in range(3):
        await sms.services.dispatcher.run_once()
    statuses = [(m.channel, m.status) for m in await sent_to(sms.services, pat)]
    assert statuses == [("sms", "failed"), ("telegram", "failed")]
    kinds = sorted(a.kind for a in await open_alerts(sms.services))
    assert kinds == ["channel", "undeliverable"]


async def test_an_undeliverable_message_with_no_other_channel_alerts_the_catalyst(
    sms: SmsWorld,
) -> None:
    sms.channel.failures.append(SendError("403 blocked", unreachable=True))
    pat = await sms.resident()
    await sms.queue(pat, "Hello")
    await sms.services.dispatcher.run_once()
    [alert] = await open_alerts(sms.services)
    assert alert.kind == "undeliverable" and "403 blocked" in alert.summary


async def test_routine_messages_to_one_person_keep_their_order_through_a_retry(
    sms: SmsWorld, clock: MovableClock
) -> None:
    sms.channel.failures.append(SendError("503 Service Unavailable"))
    pat = await sms.resident()
    for body in ("one", "two", "three"):
        await sms.queue(pat, body, routine=True)
    for _ in range(6):
        await sms.services.dispatcher.run_once()
        clock.advance(timedelta(minutes=1))
    assert [m.body for m in sms.channel.sent] == ["one", "two", "three"]


async def test_a_reply_does_not_wait_behind_a_message_held_for_a_retry(
    sms: SmsWorld, clock: MovableClock
) -> None:
    sms.channel.failures.append(SendError("503 Service Unavailable", retry_after=600))
    pat = await sms.resident()
    await sms.queue(pat, "Here is this week's question", routine=True)
    await sms.services.dispatcher.run_once()
    assert sms.channel.sent == []  # it failed, and is held for the retry
    await sms.queue(pat, "Please call 999 now if you are hurt.")
    await sms.queue(pat, "Tuesday it is", routine=True)
    await sms.services.dispatcher.run_once()
    # The question failed and waits ten minutes; the safety reply went at once, and the
    # routine message after the question stays behind it.
    assert [m.body for m in sms.channel.sent] == ["Please call 999 now if you are hurt."]
    clock.advance(timedelta(minutes=11))
    await sms.services.dispatcher.run_once()
    assert [m.body for m in sms.channel.sent][1:] == [
        "Here is this week's question",
        "Tuesday it is",
    ]


async def test_the_rate_limiter_never_allows_more_than_the_limit_in_any_second() -> None:
    now = [0.0]
    times: list[float] = []

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    limiter = RateLimiter(5, clock=lambda: now[0], sleep=sleep)
    for _ in range(23):
        await limiter.acquire()
        times.append(now[0])
        now[0] += 0.0625  # a power of two, so the sums are exact
    for start in times:
        assert sum(start <= t < start + 1 for t in times) <= 5
    assert times[-1] < 4.5  # and it keeps close to the limit, not far under it


def test_the_limit_holds_at_the_hand_over_however_long_the_checks_before_it_take() -> None:
    now = [0.0]
    limiter = RateLimiter(5, clock=lambda: now[0])
    handed: list[float] = []
    for burst in range(12):
        while (wait := limiter.try_acquire()) > 0:
            now[0] += wait
        reserved = 1
        while limiter.try_acquire() == 0:
            reserved += 1
        # The last checks before the hand-over take 30 ms in one burst and 1 ms in the next,
        # which would squeeze two bursts into one second if turns were counted when reserved.
        started = now[0]
        for _ in range(reserved):
            now[0] = started + (0.03 if burst % 2 == 0 else 0.001)
            while (wait := limiter.hand_over()) > 0:
                now[0] += wait
            handed.append(now[0])
    assert len(handed) >= 50
    for start in handed:
        assert sum(start <= t < start + 1 for t in handed) <= 5
    assert handed[-1] - handed[0] < len(handed) / 5 + 1  # and close to the limit


class SlowChannel(FlakyChannel):
    """A channel whose provider takes its time: each send waits until released."""

    def __init__(self) -> None:
        super().__init__([])
        self.name = "telegram"
        self.release = asyncio.Event()
        self.started = asyncio.Event()

    async def send(self, message: Outgoing) -> str:
        self.started.set()
        await self.release.wait()
        return await super().send(message)


async def test_one_slow_send_holds_up_nobody_else(tmp_path: Path, clock: MovableClock) -> None:
    sms, slow = FlakyChannel([]), SlowChannel()
    services = make_services(tmp_path, clock, {"sms": sms, "telegram": slow})
    services.dispatcher.limiters.clear()
    await services.start(background=False)
    running = asyncio.create_task(services.dispatcher.run_forever(idle=0.05))
    try:
        world = SmsWorld(services, sms, slow)
        lucy = await world.resident("telegram")
        await _queue(
            services,
            lucy,
            "to the slow chat",
            routine=False,
            purpose="service",
            channel="telegram",
            address=str(lucy),
        )
        services.dispatcher.wake()
        async with asyncio.timeout(2):
            await slow.started.wait()
        # The slow send is under way; a message that falls due now must not wait for it.
        async with services.db.write() as tx:
            pat = await people.add_resident(tx, people.NewResident("Pat", "Pat", "Pat Fuller"))
            await identities.add_identity(tx, "sms", "+447700900222", resident_id=pat.id)
        await _queue(
            services,
            pat.id,
            "urgent",
            routine=False,
            purpose="safety",
            channel="sms",
            address="+447700900222",
        )
        services.dispatcher.wake()
        async with asyncio.timeout(2):
            while not sms.sent:
                await asyncio.sleep(0.01)
        assert [m.body for m in sms.sent] == ["urgent"] and slow.sent == []
        slow.release.set()
        async with asyncio.timeout(2):
            while not slow.sent:
                await asyncio.sleep(0.01)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
        await services.stop()


async def test_at_night_a_safety_reply_is_not_held_behind_the_waiting_check_in_question(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    clock.moment = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # 22:30 in London
    pat = demo["Pat"]
    [question] = await start_checkin(services, pat)
    assert question.startswith("Hi Pat")
    held = await sent_to(services, pat)
    assert [m.status for m in held] == ["queued"]  # routine: waits for 09:00
    handled = await say(services, pat, "I had a fall")
    assert handled.route == "safeguarding"
    later = await say(services, pat, "thank you")
    statuses = {m.id: m.status for m in await sent_to(services, pat)}
    assert [statuses[i] for i in handled.replies] == ["sent"]
    assert [statuses[i] for i in later.replies] == ["sent"]
    assert statuses[held[0].id] == "queued"


async def test_stop_said_while_messages_wait_for_the_rate_limit_stops_them(
    tmp_path: Path, clock: MovableClock
) -> None:
    sms = FlakyChannel([])
    services = make_services(tmp_path, clock, {"sms": sms})
    services.dispatcher.limiters["sms"] = RateLimiter(2)
    await services.start(background=False)
    running = asyncio.create_task(services.dispatcher.run_forever(idle=0.05))
    try:
        numbers = [f"+4477009003{n:02d}" for n in range(6)]
        residents = []
        async with services.db.write() as tx:
            for number in numbers:
                resident = await people.add_resident(tx, people.NewResident("Pat", "Pat", "P"))
                await identities.add_identity(tx, "sms", number, resident_id=resident.id)
                await consents.record_consent(tx, resident.id, "checkins", True, "test")
                residents.append(resident.id)
        for resident_id, number in zip(residents, numbers, strict=True):
            await _queue(services, resident_id, "How are you?", channel="sms", address=number)
        services.dispatcher.wake()
        async with asyncio.timeout(2):
            while not sms.sent:
                await asyncio.sleep(0.01)
        # Everyone not sent to yet says STOP while their question waits for a turn.
        waiting = [n for n in numbers if n not in {m.address for m in sms.sent}]
        for number in waiting:
            await services.pipeline.handle(InboundMessage("sms", number, "STOP", f"SM{number}"))
        # Their STOP confirmations go first (replies), then each question meets its check.
        async with asyncio.timeout(10):
            while await services.db.fetch_one("SELECT id FROM outbox LIMIT 1"):
                await asyncio.sleep(0.05)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    questions = [m for m in sms.sent if m.body == "How are you?"]
    assert len(questions) == len(numbers) - len(waiting) <= 2
    assert not {m.address for m in questions} & set(waiting)
    async with services.db.read() as conn:
        for resident_id, number in zip(residents, numbers, strict=True):
            [question] = [
                m for m in await messages.conversation(conn, resident_id) if m.direction == "out"
            ][:1]
            expected = "cancelled" if number in waiting else "sent"
            assert question.status == expected
    await services.stop()


class SpacedChannel(FlakyChannel):
    """A channel that makes each chat wait `gap` seconds after a message (as Telegram does)."""

    def __init__(self, gap: float) -> None:
        super().__init__([])
        self.name = "telegram"
        self.gap = gap
        self.free_at: dict[str, float] = {}

    def ready_in(self, address: str) -> float:
        return max(self.free_at.get(address, 0.0) - asyncio.get_running_loop().time(), 0.0)

    async def send(self, message: Outgoing) -> str:
        assert self.ready_in(message.address) == 0, "sent before the chat was free"
        self.free_at[message.address] = asyncio.get_running_loop().time() + self.gap
        return await super().send(message)


async def test_consent_withdrawn_while_a_chat_is_spaced_out_stops_the_message(
    tmp_path: Path, clock: MovableClock
) -> None:
    chat = SpacedChannel(gap=0.5)
    services = make_services(tmp_path, clock, {"telegram": chat})
    services.dispatcher.limiters.clear()
    await services.start(background=False)
    running = asyncio.create_task(services.dispatcher.run_forever(idle=0.05))
    try:
        async with services.db.write() as tx:
            lucy = await people.add_resident(tx, people.NewResident("Lucy", "Lucy", "L"))
            await identities.add_identity(tx, "telegram", "555", resident_id=lucy.id)
            await consents.record_consent(tx, lucy.id, "events", True, "test")
        await _queue(
            services,
            lucy.id,
            "Thanks!",
            routine=False,
            purpose="service",
            channel="telegram",
            address="555",
        )
        await _queue(
            services,
            lucy.id,
            "Bingo on Friday?",
            purpose="events",
            channel="telegram",
            address="555",
        )
        services.dispatcher.wake()
        async with asyncio.timeout(2):
            while not chat.sent:
                await asyncio.sleep(0.01)
        # The nudge waits for the chat's gap; Lucy says she wants no more nudges meanwhile.
        async with services.db.write() as tx:
            await consents.record_consent(tx, lucy.id, "events", False, "test")
        async with asyncio.timeout(3):
            while await services.db.fetch_one("SELECT id FROM outbox LIMIT 1"):
                await asyncio.sleep(0.05)
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    assert [m.body for m in chat.sent] == ["Thanks!"]
    nudge = (await sent_to(services, lucy.id))[1]
    assert (nudge.status, nudge.error) == ("cancelled", "no consent to events")
    await services.stop()


async def test_consent_counts_per_channel_the_newest_answer_for_it_or_for_every_channel(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]  # agreed to events on every channel; reached by web chat
    async with services.db.write() as tx:
        await consents.record_consent(tx, pat, "events", False, "test", "telegram")
    await _queue(services, pat, "Bingo on Friday?", purpose="events")
    await services.dispatcher.run_once()
    assert [(m.body, m.status) for m in await sent_to(services, pat)] == [
        ("Bingo on Friday?", "sent")
    ]
    async with services.db.write() as tx:
        await consents.record_consent(tx, pat, "events", False, "test", "webchat")
    await _queue(services, pat, "Quiz on Monday?", purpose="events")
    await services.dispatcher.run_once()
    quiz = (await sent_to(services, pat))[-1]
    assert (quiz.status, quiz.error) == ("cancelled", "no consent to events")
    # A later answer for every channel overrides the earlier one for web chat.
    async with services.db.write() as tx:
        await consents.record_consent(tx, pat, "events", True, "test")
    await _queue(services, pat, "Choir on Tuesday?", purpose="events")
    await services.dispatcher.run_once()
    assert (await sent_to(services, pat))[-1].status == "sent"


async def _raise_risk(services: Runtime, resident_id: int) -> int:
    async with services.db.write() as tx:
        alert = await alerts.raise_alert(
            tx,
            resident_id=resident_id,
            catalyst_id=None,
            kind="risk",
            urgency="urgent",
            summary="A fall",
        )
    return alert.id


async def test_nudges_and_buddy_prompts_wait_while_a_risk_alert_is_open_and_go_once_closed(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    pat = demo["Pat"]
    alert_id = await _raise_risk(services, pat)
    await _queue(services, pat, "Bingo on Friday?", purpose="events")
    await _queue(services, pat, "Meet your buddy?", purpose="buddying")
    await _queue(services, pat, "How are you this week?", purpose="checkins")
    await _queue(services, pat, "Thanks, noted.", purpose="checkins", routine=False)
    await _queue(services, pat, "Call 999 now.", purpose="safety", routine=False)
    await services.dispatcher.run_once()
    status = {m.body: m.status for m in await sent_to(services, pat)}
    assert status == {
        "Bingo on Friday?": "queued",
        "Meet your buddy?": "queued",
        # The check-in, the check-in reply and the safety message are not held.
        "How are you this week?": "sent",
        "Thanks, noted.": "sent",
        "Call 999 now.": "sent",
    }
    clock.advance(timedelta(hours=1))
    await services.dispatcher.run_once()
    assert {m.body: m.status for m in await sent_to(services, pat)}["Bingo on Friday?"] == "queued"
    async with services.db.write() as tx:
        await alerts.close_alert(tx, alert_id, "staff:sam", "Rang her, she is fine.")
    clock.advance(dispatcher_module.HELD_RECHECK)
    await services.dispatcher.run_once()
    status = {m.body: m.status for m in await sent_to(services, pat)}
    assert (status["Bingo on Friday?"], status["Meet your buddy?"]) == ("sent", "sent")


async def test_a_nudge_held_for_a_risk_alert_closed_at_night_waits_for_the_morning(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    clock.moment = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # 18:00 in London
    pat = demo["Pat"]
    alert_id = await _raise_risk(services, pat)
    await _queue(services, pat, "Bingo on Friday?", purpose="events")
    await services.dispatcher.run_once()
    clock.moment = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    async with services.db.write() as tx:
        await alerts.close_alert(tx, alert_id, "staff:sam", "All well.")
    await services.dispatcher.run_once()
    assert (await sent_to(services, pat))[0].status == "queued"
    clock.moment = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    await services.dispatcher.run_once()
    assert (await sent_to(services, pat))[0].status == "sent"


async def test_a_read_held_open_elsewhere_does_not_make_a_sent_message_go_twice(
    sms: SmsWorld,
) -> None:
    # All reads share one connection, and while any statement on it is part-way through
    # (a page listing residents, a sweep), SQLite keeps that connection's snapshot from
    # before. A message sent and recorded meanwhile still looks due to the next round.
    services = sms.services
    pat = await sms.resident()
    await sms.queue(pat, "Thanks, noted.")
    async with services.db.read() as conn:
        held_open = await conn.execute("SELECT name FROM sqlite_master")
        assert await held_open.fetchone() is not None  # more rows to come: still open
        await services.dispatcher.run_once()
        await services.dispatcher.run_once()
        await held_open.close()
    await services.dispatcher.run_once()
    assert [m.body for m in sms.channel.sent] == ["Thanks, noted."]
