"""Tests of the inbound pipeline: each kind of message, routed in the design's order."""

from __future__ import annotations

import logging

import pytest

from bot.inbound import InboundMessage
from bot.logs import JsonFormatter, configure
from bot.runtime import Runtime
from storage import identities, resident_history, sessions
from tests.bot.conftest import MovableClock
from tests.bot.helpers import open_alerts, replies, say, sent_to, start_checkin


async def test_pat_answers_her_check_in_by_number_and_the_result_is_kept(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    question = await start_checkin(services, pat)
    assert question == [
        "Hi Pat, it's Abby. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
    ]
    handled = await say(services, pat, "3")
    assert handled.route == "session"
    assert "Would you like me to give you a call?" in (await replies(services, handled))[0]
    yes = await say(services, pat, "yse")
    assert await replies(services, yes) == ["I'll ring you soon, Pat. Take care until then."]
    [alert] = await open_alerts(services)
    assert alert.summary == "Pat would like a call (this week: Not so good)"
    async with services.db.read() as conn:
        results = await resident_history.results_of(conn, pat, 10)
    assert [(r.name, r.label) for r in reversed(results)] == [
        ("mood", "Not so good"),
        ("wants_call", "yes"),
    ]
    assert all(m.status == "sent" for m in await sent_to(services, pat))


async def test_a_replayed_message_is_acknowledged_and_ignored(
    services: Runtime, demo: dict[str, int]
) -> None:
    first = await say(services, demo["Pat"], "hello", provider_id="SM-1")
    again = await say(services, demo["Pat"], "hello", provider_id="SM-1")
    assert again.duplicate and again.route == "duplicate" and again.replies == ()
    assert again.message_id == first.message_id
    inbound = await services.db.fetch_all("SELECT * FROM messages WHERE direction = 'in'")
    assert len(inbound) == 1
    assert len(await open_alerts(services)) == 1


async def test_a_risk_message_gets_the_fixed_reply_and_an_urgent_alert_even_mid_check_in(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    await start_checkin(services, pat)
    handled = await say(services, pat, "ive fallen and cant get up")
    assert handled.route == "safeguarding"
    [reply] = await replies(services, handled)
    assert "999" in reply and "111" in reply and "116 123" in reply
    [alert] = await open_alerts(services)
    assert alert.kind == "risk" and alert.urgency == "urgent"
    assert "fallen" not in alert.summary  # the resident's words stay in the conversation only


async def test_stop_opts_out_at_once_and_later_messages_are_not_sent(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    await start_checkin(services, pat)
    stop = await say(services, pat, "STOP")
    assert stop.route == "stop"
    assert "START" in (await replies(services, stop))[0]
    async with services.db.read() as conn:
        assert await sessions.waiting_session(conn, pat) is None
        [webchat] = await identities.identities_of_resident(conn, pat)
    assert webchat.opted_out_at is not None
    await start_checkin(services, pat)
    assert (await sent_to(services, pat))[-1].status == "cancelled"
    restart = await say(services, pat, "start")
    assert restart.route == "start"
    assert "Welcome back, Pat" in (await replies(services, restart))[0]


async def test_not_today_ends_the_check_in_kindly(services: Runtime, demo: dict[str, int]) -> None:
    pat = demo["Pat"]
    await start_checkin(services, pat)
    handled = await say(services, pat, "not today")
    assert handled.route == "pace"
    assert await replies(services, handled) == [
        "That's fine, Pat. We'll leave it for today. Message me any time."
    ]
    async with services.db.read() as conn:
        assert await sessions.waiting_session(conn, pat) is None


async def test_a_message_out_of_the_blue_is_passed_to_the_catalyst(
    services: Runtime, demo: dict[str, int]
) -> None:
    handled = await say(services, demo["Lucy"], "I finished a chapter of my book")
    assert handled.route == "catch_all"
    assert await replies(services, handled) == [
        "Thank you, Lucy. I've passed your message to Susie, who will get back to you."
    ]
    [alert] = await open_alerts(services)
    assert alert.summary == "Lucy sent a message to read."


async def test_an_unknown_sender_gets_one_polite_reply_and_staff_see_them(
    services: Runtime,
) -> None:
    first = await say(services, 999, "hello?")
    second = await say(services, 999, "anyone there")
    assert first.route == second.route == "unknown_sender"
    assert "someone from the team will be in touch" in (await replies(services, first))[0]
    assert second.replies == ()
    [alert] = await open_alerts(services)
    assert alert.kind == "unknown_sender"


async def test_help_starts_the_help_flow(services: Runtime, demo: dict[str, int]) -> None:
    handled = await say(services, demo["Grace"], "HELP")
    assert handled.route == "help"
    assert any("999" in text for text in await replies(services, handled))


async def test_logs_carry_no_phone_numbers_or_message_texts(
    services: Runtime, demo: dict[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    async with services.db.write() as tx:
        await identities.add_identity(tx, "sms", "+447700900123", resident_id=demo["Pat"])
    caplog.set_level(logging.INFO)
    await services.pipeline.handle(
        InboundMessage("sms", "+447700900123", "my secret jigsaw news", "SM-9")
    )
    await services.dispatcher.run_once()
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert caplog.records, "the pipeline logs what it did"
    assert "+447700900123" not in logged and "7700900123" not in logged
    assert "jigsaw" not in logged


def test_the_log_formatter_masks_a_number_that_slips_into_a_message() -> None:
    record = logging.makeLogRecord(
        {"msg": "sending to %s", "args": ("+44 7700 900123",), "levelname": "INFO", "name": "x"}
    )
    assert "[number]" in JsonFormatter().format(record)
    assert "900123" not in JsonFormatter().format(record)
    dated = logging.makeLogRecord({"msg": "due 2026-11-24T10:00:00+00:00", "levelname": "INFO"})
    assert "2026-11-24T10:00:00" in JsonFormatter().format(dated)


def test_the_log_formatter_masks_a_telegram_bot_token() -> None:
    token = "123456789:AAHk-zyx57W2v1u123ew11ABCDEFGHIJKLMNO"
    record = logging.makeLogRecord(
        {"msg": "POST https://api.telegram.org/bot%s/sendMessage", "args": (token,)}
    )
    formatted = JsonFormatter().format(record)
    assert token not in formatted and "[token]" in formatted


def test_libraries_that_log_urls_or_texts_stay_quiet_even_when_debugging() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure("debug")
        for name in ("httpx", "telegram", "twilio", "aiosqlite"):
            assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING, name
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def test_a_flow_the_resident_asks_for_is_answered_in_quiet_hours_too(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    clock.moment = clock.moment.replace(hour=22, minute=30)  # 22:30 in London
    handled = await say(services, demo["Pat"], "menu")
    await services.dispatcher.run_once()  # a person's messages go one a round, in order
    out = await sent_to(services, demo["Pat"])
    assert len(out) == len(handled.replies) == 2
    assert [(m.routine, m.status) for m in out] == [(False, "sent"), (False, "sent")]
