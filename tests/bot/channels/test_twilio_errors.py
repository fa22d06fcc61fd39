"""Tests of what Twilio's refusals mean: the one error-code table, read the same way by a refused
send and by a delivery report, and a 429's Retry-After carried through the twilio SDK into the
`SendError` and honoured by the dispatcher."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.base import Outgoing
from bot.channels.twilio import TwilioSms
from bot.channels.twilio.errors import CODES, describe
from bot.channels.twilio.http_client import parse_retry_after
from bot.channels.twilio.sms import send_error
from bot.settings import Settings
from tests.bot.channels.conftest import PAT_PHONE, World
from tests.bot.channels.test_twilio import pat_says, retry_waiting, to, world_with
from tests.fakes.twilio_api import FakeTwilio

#: code: (permanent, unreachable, opted out), as decided from Twilio's error dictionary.
EXPECTED = {
    21211: (True, True, False),  # invalid 'To' number
    21214: (True, True, False),  # 'To' number cannot be reached
    21408: (True, False, False),  # the account may not text that country: the number is fine
    21610: (True, False, True),  # texted STOP to the carrier
    21612: (True, True, False),  # not reachable by SMS from our sender
    21614: (True, True, False),  # not a mobile number
    30003: (False, False, False),  # phone off or out of signal, for now
    30004: (True, False, False),  # message blocked
    30005: (True, True, False),  # unknown number
    30006: (True, True, False),  # landline or unreachable carrier
    30007: (True, False, False),  # filtered as spam
    30008: (False, False, False),  # unknown error: may go later
}


def test_the_table_holds_each_code_twilio_documents_with_the_decided_meaning() -> None:
    assert set(CODES) == set(EXPECTED)
    for code, (permanent, unreachable, opted_out) in EXPECTED.items():
        entry = CODES[code]
        assert (entry.permanent, entry.unreachable, entry.opted_out) == (
            permanent,
            unreachable,
            opted_out,
        ), code


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_a_send_refused_with_a_code_means_what_the_table_says(code: int) -> None:
    permanent, unreachable, opted_out = EXPECTED[code]
    error = send_error(400, code)
    assert (error.permanent, error.unreachable, error.opted_out) == (
        permanent,
        unreachable,
        opted_out,
    )
    assert f"Twilio {code}" in error.reason
    # A delivery report names the same reason staff see for a refused send.
    assert describe(code) == error.reason


def test_codes_outside_the_table_are_judged_by_the_http_status() -> None:
    assert send_error(400, 21617).permanent
    assert not send_error(500, 20500).permanent
    assert not send_error(401, 20003).permanent
    busy = send_error(429, 20429, 42.0)
    assert (busy.permanent, busy.retry_after) == (False, 42.0)
    assert send_error(429, 20429).retry_after is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, None),
        ("", None),
        ("30", 30.0),
        (" 7 ", 7.0),
        ("1.5", 1.5),
        ("-4", 0.0),
        ("soon", None),
        ("nan", None),
        ("Mon, 30 Nov 2026 04:01:00 GMT", 60.0),
        ("Mon, 30 Nov 2026 03:59:00 GMT", 0.0),
    ],
)
def test_retry_after_is_read_as_seconds_or_as_an_http_date(
    header: str | None, seconds: float | None
) -> None:
    now = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)
    assert parse_retry_after(header, now) == seconds


async def test_a_429_from_twilio_gives_a_send_error_carrying_its_retry_after(
    tmp_path: Path,
) -> None:
    async with FakeTwilio() as fake:
        settings = Settings.load(
            environ={
                "COMPANION_DATABASE": str(tmp_path / "c.db"),
                "TWILIO_ACCOUNT_SID": fake.account_sid,
                "TWILIO_AUTH_TOKEN": fake.auth_token,
                "TWILIO_FROM_NUMBER": fake.number,
                "TWILIO_API_URL": fake.url,
            },
            env_file=None,
        )
        channel = TwilioSms(settings)
        try:
            fake.fail_next(429, retry_after="120")
            fake.fail_next(429)
            fake.fail_next(503, retry_after="9")
            errors = []
            for _ in range(3):
                with pytest.raises(Exception) as caught:
                    await channel.send(Outgoing(PAT_PHONE, "Hello", []))
                errors.append(caught.value)
            sid = await channel.send(Outgoing(PAT_PHONE, "Hello", []))
        finally:
            await channel.close()
    assert [getattr(e, "retry_after", "?") for e in errors] == [120.0, None, 9.0]
    assert all(not getattr(e, "permanent", True) for e in errors)
    assert sid == fake.sent[0].sid


async def test_concurrent_sends_each_keep_their_own_retry_after(tmp_path: Path) -> None:
    async with FakeTwilio() as fake:
        settings = Settings.load(
            environ={
                "COMPANION_DATABASE": str(tmp_path / "c.db"),
                "TWILIO_ACCOUNT_SID": fake.account_sid,
                "TWILIO_AUTH_TOKEN": fake.auth_token,
                "TWILIO_FROM_NUMBER": fake.number,
                "TWILIO_API_URL": fake.url,
            },
            env_file=None,
        )
        channel = TwilioSms(settings)
        fake.fail_next(429, retry_after="60")
        fake.delay_next(0.2)  # the 429 answers last, after the other send has succeeded
        try:
            results = await asyncio.gather(
                channel.send(Outgoing(PAT_PHONE, "one", [])),
                channel.send(Outgoing("+447700900002", "two", [])),
                return_exceptions=True,
            )
        finally:
            await channel.close()
    [error] = [r for r in results if isinstance(r, Exception)]
    assert getattr(error, "retry_after", None) == 60.0


async def test_a_text_twilio_answers_429_is_retried_no_sooner_than_its_retry_after(
    tmp_path: Path,
) -> None:
    async with world_with(tmp_path) as world:
        await _retried_after_retry_after(world)


async def _retried_after_retry_after(world: World) -> None:
    world.twilio.fail_next(429, retry_after="600")
    await pat_says(world, "menu")
    await retry_waiting(world)
    [refused] = [a for a in world.twilio.attempts if a.status == 429]
    body = refused.params["Body"]

    def tries() -> list[int]:
        return [a.status for a in world.twilio.attempts if a.params.get("Body") == body]

    # Our own backoff would try again within seconds; Twilio asked for ten minutes.
    for step in (5, 55, 240, 290):  # 590 s in all
        world.clock.advance(timedelta(seconds=step))
        await world.settle()
        assert tries() == [429], step
    assert [s for s in to(world, PAT_PHONE) if s.body == body] == []
    world.clock.advance(timedelta(seconds=20))
    await world.settle()
    await retry_sent(world, body)
    assert tries() == [429, 201]


async def retry_sent(world: World, body: str) -> None:
    for _ in range(500):
        if any(s.body == body for s in world.twilio.sent):
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the retry never went")
