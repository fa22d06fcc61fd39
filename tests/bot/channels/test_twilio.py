"""Tests of the SMS channel end to end: the real service and the twilio SDK against a fake Twilio.

Pat texts the service through signed webhooks and reads what the fake Twilio was asked to send
her; Abby, her catalyst, reads her pages the same way. Delivery reports come back as signed
status callbacks. Time only moves when a test moves the service's clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

# twilio ships no type information; unused-ignore keeps this quiet once mypy is told to skip it.
from twilio.request_validator import (  # type: ignore[import-untyped, unused-ignore]
    RequestValidator,
)

from bot import replies
from bot.channels.twilio import TwilioSms
from storage import identities, messages, outbox
from storage.records import Message
from tests.bot.channels.conftest import (
    ABBY_PHONE,
    PAT_PHONE,
    SERVICE_NUMBER,
    World,
    start_world,
)
from tests.fakes.twilio_api import SentSms, count_segments

PUBLIC_URL = "https://companion.example.org"
MESSAGING_SERVICE = "MG" + "0" * 31 + "7"
PAT_TELEGRAM = 5550002


# --- helpers --------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def world_with(
    tmp_path: Path, extra_env: dict[str, str] | None = None, *, public: bool = True
) -> AsyncIterator[World]:
    """A world, built with `extra_env`, torn down however the test ends.

    Its SMS rate limit is raised from a long code's one a second, so that a test sending a
    handful of texts does not spend seconds waiting for the limiter.
    """
    env = {"COMPANION_SMS_PER_SECOND": "100", **(extra_env or {})}
    worlds = start_world(tmp_path, public=public, extra_env=env)
    try:
        yield await anext(worlds)
    finally:
        await anext(worlds, None)  # start_world's own teardown


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with world_with(tmp_path) as built:
        yield built


async def eventually(check: Callable[[], Awaitable[bool]], what: str, timeout: float = 5) -> None:
    """Wait until the background dispatcher has got somewhere (never a timing assertion)."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.01)


async def drained(world: World) -> None:
    """Send everything due now, and wait until each send in flight has been settled."""
    await world.settle()

    async def empty() -> bool:
        async with world.services.db.read() as conn:
            return await outbox.pending_count(conn) == 0

    await eventually(empty, "the outbox is empty")


async def retry_waiting(world: World) -> None:
    """Wait until a failed send has been put back in the outbox for later."""

    async def waiting() -> bool:
        query = "SELECT COUNT(*) FROM outbox WHERE attempts > 0"
        async with world.services.db.read() as conn, conn.execute(query) as cursor:
            row = await cursor.fetchone()
        return row is not None and row[0] > 0

    await eventually(waiting, "a send is waiting to be retried")


async def message_count(world: World) -> int:
    async with world.services.db.read() as conn, conn.execute("SELECT COUNT(*) FROM messages") as c:
        row = await c.fetchone()
    assert row is not None
    return int(row[0])


async def by_sid(world: World, sid: str) -> Message:
    """Our message for a provider id, once the dispatcher has recorded it."""
    found: list[Message] = []

    async def recorded() -> bool:
        async with world.services.db.read() as conn:
            message = await messages.find_by_provider_id(conn, "sms", sid)
        found[:] = [message] if message else []
        return bool(found)

    await eventually(recorded, f"the send {sid} is recorded")
    return found[0]


def to(world: World, number: str) -> list[SentSms]:
    return [sms for sms in world.twilio.sent if sms.to == number]


async def wait_for_sms(world: World, number: str, n: int) -> list[SentSms]:
    """Wait until at least `n` texts went to `number`; return them."""

    async def arrived() -> bool:
        return len(to(world, number)) >= n

    await eventually(arrived, f"{n} texts to {number}")
    return to(world, number)


async def conversation(world: World, name: str) -> list[dict[str, Any]]:
    response = await world.api("GET", f"/residents/{world.ids[name]}/conversation")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["messages"]
    return found


async def sms_channel(world: World, name: str) -> dict[str, Any]:
    response = await world.api("GET", f"/residents/{world.ids[name]}")
    assert response.status_code == 200, response.text
    [sms] = [c for c in response.json()["resident"]["channels"] if c["channel"] == "sms"]
    assert isinstance(sms, dict)
    return sms


async def open_alerts(world: World) -> list[dict[str, Any]]:
    response = await world.api("GET", "/alerts?status=open")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["alerts"]
    return found


async def pat_says(world: World, text: str, **options: Any) -> None:
    status, answer = await world.twilio.send_inbound(world.sms_webhook, PAT_PHONE, text, **options)
    assert status == 200, answer


async def post_form(url: str, params: dict[str, str], signature: str | None) -> httpx.Response:
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    async with httpx.AsyncClient(timeout=10) as client:
        return await client.post(url, data=params, headers=headers)


def inbound_params(world: World, body: str, sid: str = "SM" + "f" * 32) -> dict[str, str]:
    return {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": world.twilio.account_sid,
        "From": PAT_PHONE,
        "To": SERVICE_NUMBER,
        "Body": body,
        "NumMedia": "0",
    }


async def use_sms_channel(world: World, channel: TwilioSms) -> None:
    """Swap the service's SMS channel for `channel` (closing the one it replaces)."""
    await channel.open()
    old = world.services.channels["sms"]
    world.services.channels["sms"] = world.services.dispatcher.channels["sms"] = channel
    await old.close()


# --- sending and receiving ------------------------------------------------------------------


async def test_a_signed_text_is_answered_with_empty_twiml_and_the_reply_reaches_pat(
    world: World,
) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        params = inbound_params(world, "menu")
        response = await client.post(
            world.sms_webhook,
            data=params,
            headers={"X-Twilio-Signature": world.twilio.sign(world.sms_webhook, params)},
        )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert response.text.endswith("<Response />")
    menu = await world.twilio.wait_for_sent(2)
    assert menu[0].body.startswith("Hi Pat, it's Abby.")
    assert menu[1].body.startswith("How can I help?")
    for sms in menu:
        assert (sms.to, sms.from_, sms.messaging_service_sid) == (PAT_PHONE, SERVICE_NUMBER, None)
        assert sms.status_callback == world.url + "/webhooks/twilio/status"


async def test_a_reply_to_pat_is_sent_with_twilios_longest_validity_period(world: World) -> None:
    await pat_says(world, "I went to the lunch club today")
    [reply] = await wait_for_sms(world, PAT_PHONE, 1)
    assert reply.body == replies.PASSED_ON.format(name="Pat", catalyst="Abby")
    assert reply.validity_period == 36_000


async def test_the_menu_pat_asked_for_is_a_reply_not_a_routine_message(world: World) -> None:
    await pat_says(world, "menu")
    menu = await wait_for_sms(world, PAT_PHONE, 2)
    assert [sms.validity_period for sms in menu] == [36_000, 36_000]


async def test_a_routine_check_in_is_sent_with_a_four_hour_validity_period(world: World) -> None:
    response = await world.api("POST", f"/residents/{world.ids['Pat']}/checkins")
    assert response.status_code == 202, response.text
    assert response.json()["channel"] == "sms"
    [checkin, *_] = await world.twilio.wait_for_sent(1)
    assert checkin.to == PAT_PHONE
    assert checkin.validity_period == 4 * 3600


async def test_with_a_messaging_service_texts_go_from_the_service_and_not_a_number(
    tmp_path: Path,
) -> None:
    env = {"TWILIO_MESSAGING_SERVICE_SID": MESSAGING_SERVICE, "TWILIO_FROM_NUMBER": ""}
    async with world_with(tmp_path, extra_env=env) as world:
        await pat_says(world, "menu")
        for sms in await world.twilio.wait_for_sent(2):
            assert sms.messaging_service_sid == MESSAGING_SERVICE
            assert sms.from_ is None
            assert sms.to == PAT_PHONE
            assert sms.status_callback == world.status_webhook


# --- forgeries ------------------------------------------------------------------------------


async def test_a_text_without_a_signature_is_refused_and_changes_nothing(world: World) -> None:
    before = await message_count(world)
    response = await post_form(world.sms_webhook, inbound_params(world, "menu"), None)
    assert response.status_code == 403
    await drained(world)
    assert await message_count(world) == before
    assert world.twilio.sent == []


async def test_a_text_with_a_wrong_signature_is_refused_and_changes_nothing(world: World) -> None:
    before = await message_count(world)
    params = inbound_params(world, "menu")
    good = world.twilio.sign(world.sms_webhook, params)
    for wrong in ("nonsense", good[:-2] + "AA", good.lower(), good + "="):
        response = await post_form(world.sms_webhook, params, wrong)
        assert response.status_code == 403, wrong
    await drained(world)
    assert await message_count(world) == before
    assert world.twilio.sent == []


async def test_a_text_changed_after_it_was_signed_is_refused(world: World) -> None:
    before = await message_count(world)
    params = inbound_params(world, "I'm fine thanks")
    signature = world.twilio.sign(world.sms_webhook, params)
    for tampered in (
        {**params, "Body": "STOP"},
        {**params, "From": "+447700900002"},
        {**params, "Extra": "1"},
        {key: value for key, value in params.items() if key != "NumMedia"},
    ):
        response = await post_form(world.sms_webhook, tampered, signature)
        assert response.status_code == 403, tampered
    await drained(world)
    assert await message_count(world) == before
    assert (await sms_channel(world, "Pat"))["opted_out"] is False


async def test_a_text_signed_with_another_auth_token_is_refused(world: World) -> None:
    before = await message_count(world)
    params = inbound_params(world, "menu")
    forged = RequestValidator("not-our-auth-token").compute_signature(world.sms_webhook, params)
    response = await post_form(world.sms_webhook, params, forged)
    assert response.status_code == 403
    await drained(world)
    assert await message_count(world) == before
    assert world.twilio.sent == []


async def test_signatures_are_checked_against_the_public_url_not_the_one_called(
    tmp_path: Path,
) -> None:
    async with world_with(tmp_path, extra_env={"COMPANION_PUBLIC_URL": PUBLIC_URL}) as world:
        before = await message_count(world)
        params = inbound_params(world, "menu")
        # Signed over the loopback URL the request really went to: what a forger could see.
        response = await post_form(
            world.sms_webhook, params, world.twilio.sign(world.sms_webhook, params)
        )
        assert response.status_code == 403
        assert await message_count(world) == before
        # Signed over the public URL, as Twilio does when a proxy hands the request on.
        public = PUBLIC_URL + "/webhooks/twilio/sms"
        response = await post_form(world.sms_webhook, params, world.twilio.sign(public, params))
        assert response.status_code == 200
        menu = await world.twilio.wait_for_sent(2)
        assert [sms.status_callback for sms in menu] == [PUBLIC_URL + "/webhooks/twilio/status"] * 2


async def test_a_status_callback_with_a_bad_signature_changes_nothing(world: World) -> None:
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    assert (await by_sid(world, first.sid)).status == "sent"
    params = {
        "MessageSid": first.sid,
        "MessageStatus": "undelivered",
        "ErrorCode": "21610",
        "AccountSid": world.twilio.account_sid,
    }
    for signature in (None, "bad", world.twilio.sign(world.sms_webhook, params)):
        response = await post_form(world.status_webhook, params, signature)
        assert response.status_code == 403, signature
    assert (await by_sid(world, first.sid)).status == "sent"
    assert (await sms_channel(world, "Pat"))["opted_out"] is False
    assert not [a for a in await open_alerts(world) if a["kind"] == "undeliverable"]


async def test_a_signed_request_for_another_twilio_account_is_refused(world: World) -> None:
    before = await message_count(world)
    params = {**inbound_params(world, "menu"), "AccountSid": "AC" + "9" * 32}
    response = await post_form(
        world.sms_webhook, params, world.twilio.sign(world.sms_webhook, params)
    )
    assert response.status_code == 403
    assert await message_count(world) == before


async def test_a_signed_text_reusing_the_id_of_one_of_our_messages_is_refused(
    world: World,
) -> None:
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    await by_sid(world, first.sid)
    before = await message_count(world)
    status, answer = await world.twilio.send_inbound(
        world.sms_webhook, PAT_PHONE, "STOP", message_sid=first.sid
    )
    assert status == 400, answer
    assert await message_count(world) == before
    assert (await sms_channel(world, "Pat"))["opted_out"] is False


async def test_without_a_public_url_the_signature_is_over_the_url_called_and_no_callback_is_asked(
    tmp_path: Path,
) -> None:
    async with world_with(tmp_path, public=False) as world:
        await pat_says(world, "menu")
        for sms in await world.twilio.wait_for_sent(2):
            # Twilio could not reach us to report on it.
            assert sms.status_callback is None


# --- replays and delivery reports -----------------------------------------------------------


async def test_a_replayed_text_is_acknowledged_and_ignored(world: World) -> None:
    sid = "SM" + "1" * 32
    await pat_says(world, "menu", message_sid=sid)
    await world.twilio.wait_for_sent(2)
    await pat_says(world, "menu", message_sid=sid)
    await drained(world)
    inbound = [m for m in await conversation(world, "Pat") if m["direction"] == "in"]
    assert [m["text"] for m in inbound] == ["menu"]
    assert [sms.body[:12] for sms in world.twilio.sent] == ["Hi Pat, it's", "How can I he"]


async def test_delivery_reports_show_in_the_conversation_and_never_go_backwards(
    world: World,
) -> None:
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    message = await by_sid(world, first.sid)

    async def status() -> str:
        [shown] = [m for m in await conversation(world, "Pat") if m["id"] == message.id]
        return str(shown["status"])

    for reported, shown in (
        ("queued", "sent"),
        ("sent", "sent"),
        ("delivered", "delivered"),
        ("sent", "delivered"),
        ("queued", "delivered"),
    ):
        answer, _ = await world.twilio.send_status(world.status_webhook, first.sid, reported)
        assert answer == 204
        assert await status() == shown, reported


async def test_a_report_for_a_message_we_never_sent_changes_nothing(world: World) -> None:
    await pat_says(world, "menu")
    await world.twilio.wait_for_sent(2)
    await drained(world)
    before = await conversation(world, "Pat")
    answer, _ = await world.twilio.send_status(
        world.status_webhook, "SM" + "0" * 32, "undelivered", error_code=21610
    )
    assert answer == 204
    assert await conversation(world, "Pat") == before
    assert (await sms_channel(world, "Pat"))["opted_out"] is False


async def test_a_report_with_a_status_twilio_does_not_have_is_refused(world: World) -> None:
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    await by_sid(world, first.sid)
    for garbage in ("exploded", ""):
        answer, _ = await world.twilio.send_status(world.status_webhook, first.sid, garbage)
        assert answer == 400, garbage
    assert (await by_sid(world, first.sid)).status == "sent"


async def test_a_report_of_21610_opts_pat_out_and_tells_abby_why_the_message_was_lost(
    world: World,
) -> None:
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    await by_sid(world, first.sid)
    answer, _ = await world.twilio.send_status(
        world.status_webhook, first.sid, "undelivered", error_code=21610
    )
    assert answer == 204
    assert (await sms_channel(world, "Pat"))["opted_out"] is True
    assert (await by_sid(world, first.sid)).status == "undelivered"
    [alert] = [a for a in await open_alerts(world) if a["kind"] == "undeliverable"]
    assert alert["resident_id"] == world.ids["Pat"]
    assert "opted out with its carrier (Twilio 21610)" in alert["summary"]
    # Abby hears of it on her phone, by reference.
    await drained(world)
    [page] = to(world, ABBY_PHONE)
    assert page.body.startswith(f"Companion alert {alert['reference']}: Pat ")
    # Nothing moved to the web chat, which nobody may be reading.
    assert [m for m in await conversation(world, "Pat") if m["channel"] == "webchat"] == []


async def test_a_lost_text_moves_to_telegram_when_pat_has_it_and_abby_is_told(
    world: World,
) -> None:
    async with world.services.db.write() as tx:
        await identities.add_identity(
            tx, "telegram", str(PAT_TELEGRAM), resident_id=world.ids["Pat"]
        )
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    await by_sid(world, first.sid)
    answer, _ = await world.twilio.send_status(
        world.status_webhook, first.sid, "undelivered", error_code=21610
    )
    assert answer == 204
    [moved] = await world.telegram.wait_for_sent(1)
    assert (moved.chat_id, moved.text) == (PAT_TELEGRAM, first.body)
    [alert] = [a for a in await open_alerts(world) if a["resident_id"] == world.ids["Pat"]]
    assert alert["kind"] == "channel"
    assert "Messages go by telegram now" in alert["summary"]
    assert (await sms_channel(world, "Pat"))["opted_out"] is True
    # A second report for the same message moves nothing again.
    await world.twilio.send_status(world.status_webhook, first.sid, "failed", error_code=30008)
    await drained(world)
    assert len(world.telegram.sent) == 1


async def test_a_failed_report_without_a_code_raises_an_alert_and_keeps_the_number(
    world: World,
) -> None:
    await pat_says(world, "menu")
    [first, *_] = await world.twilio.wait_for_sent(2)
    await by_sid(world, first.sid)
    answer, _ = await world.twilio.send_status(world.status_webhook, first.sid, "failed")
    assert answer == 204
    [alert] = [a for a in await open_alerts(world) if a["kind"] == "undeliverable"]
    assert "could not be delivered by sms" in alert["summary"]
    channel = await sms_channel(world, "Pat")
    assert (channel["opted_out"], channel["reachable"]) == (False, True)


# --- refusals when sending ------------------------------------------------------------------


async def test_a_send_refused_with_21610_opts_pat_out_and_is_not_retried(world: World) -> None:
    world.twilio.refuse(PAT_PHONE, 21610)
    await pat_says(world, "menu")
    await drained(world)
    assert (await sms_channel(world, "Pat"))["opted_out"] is True
    world.clock.advance(timedelta(hours=1))
    await drained(world)
    assert [a.code for a in world.twilio.attempts if a.params["To"] == PAT_PHONE] == [21610]
    assert to(world, PAT_PHONE) == []
    out = [m for m in await conversation(world, "Pat") if m["direction"] == "out"]
    assert [m["status"] for m in out] == ["failed", "cancelled"]
    assert "21610" in out[0]["error"]


async def test_a_send_refused_with_21211_marks_the_number_unreachable(world: World) -> None:
    world.twilio.refuse(PAT_PHONE, 21211)
    await pat_says(world, "menu")
    await drained(world)
    channel = await sms_channel(world, "Pat")
    assert (channel["reachable"], channel["opted_out"]) == (False, False)
    world.clock.advance(timedelta(hours=1))
    await drained(world)
    # The first text of the menu was tried once; the second not at all, as the number is
    # known to be lost by then; and Abby hears of it once.
    pat_attempts = [a for a in world.twilio.attempts if a.params["To"] == PAT_PHONE]
    assert [(a.params["Body"][:12], a.code) for a in pat_attempts] == [("Hi Pat, it's", 21211)]
    [undeliverable] = [a for a in await open_alerts(world) if a["kind"] == "undeliverable"]
    assert "not a valid phone number (Twilio 21211)" in undeliverable["summary"]
    # A new conversation is not started on a number that cannot be reached.
    response = await world.api("POST", f"/residents/{world.ids['Pat']}/checkins")
    assert response.json()["channel"] != "sms", response.text
    await drained(world)
    assert len([a for a in world.twilio.attempts if a.params["To"] == PAT_PHONE]) == 1


@pytest.mark.parametrize("status", [429, 500, 503, 401])
async def test_a_busy_or_broken_twilio_is_retried_and_each_text_goes_once(
    world: World, status: int
) -> None:
    world.twilio.fail_next(status)
    await pat_says(world, "menu")
    await retry_waiting(world)
    assert world.twilio.sent == []
    world.clock.advance(timedelta(minutes=1))
    await drained(world)
    menu = to(world, PAT_PHONE)
    assert [sms.body[:12] for sms in menu] == ["Hi Pat, it's", "How can I he"]
    assert [a.status for a in world.twilio.attempts] == [status, 201, 201]
    out = [m for m in await conversation(world, "Pat") if m["direction"] == "out"]
    assert [m["status"] for m in out] == ["sent", "sent"]


async def test_a_message_twilio_refuses_outright_is_not_retried_and_abby_is_told(
    world: World,
) -> None:
    world.twilio.fail_next(400, 21617)
    await pat_says(world, "menu")
    await drained(world)
    world.clock.advance(timedelta(hours=1))
    await drained(world)
    pat_attempts = [a for a in world.twilio.attempts if a.params["To"] == PAT_PHONE]
    assert [a.status for a in pat_attempts] == [400, 201]
    out = [m for m in await conversation(world, "Pat") if m["direction"] == "out"]
    assert [m["status"] for m in out] == ["failed", "sent"]
    [alert] = [a for a in await open_alerts(world) if a["kind"] == "undeliverable"]
    assert "21617" in alert["summary"]
    # The number itself is fine.
    channel = await sms_channel(world, "Pat")
    assert (channel["opted_out"], channel["reachable"]) == (False, True)


async def test_a_send_when_twilio_cannot_be_reached_is_retried(world: World) -> None:
    working = world.services.channels["sms"]
    nowhere = dataclasses.replace(world.services.settings, twilio_api_url="http://127.0.0.1:9")
    world.services.channels["sms"] = world.services.dispatcher.channels["sms"] = TwilioSms(nowhere)
    await pat_says(world, "menu")
    await retry_waiting(world)
    await use_sms_channel(world, TwilioSms(world.services.settings))
    await working.close()
    world.clock.advance(timedelta(minutes=1))
    await drained(world)
    assert [sms.body[:12] for sms in to(world, PAT_PHONE)] == ["Hi Pat, it's", "How can I he"]


async def test_a_send_that_times_out_is_retried(world: World) -> None:
    await use_sms_channel(world, TwilioSms(world.services.settings, timeout=0.3))
    world.twilio.delay_next(2.0)
    await pat_says(world, "menu")
    await retry_waiting(world)
    world.clock.advance(timedelta(minutes=1))
    await drained(world)
    bodies = [sms.body[:12] for sms in to(world, PAT_PHONE)]
    # Twilio took the first try before the answer timed out, as it may: the retry is a
    # second copy, which is the price of never losing a message.
    assert bodies == ["Hi Pat, it's", "Hi Pat, it's", "How can I he"]
    first = await by_sid(world, world.twilio.sent[1].sid)
    assert first.status == "sent"


# --- STOP, START and HELP -------------------------------------------------------------------


async def test_stop_opts_pat_out_and_sends_our_one_confirmation(world: World) -> None:
    await pat_says(world, "STOP")
    await drained(world)
    assert (await sms_channel(world, "Pat"))["opted_out"] is True
    assert [sms.body for sms in to(world, PAT_PHONE)] == [replies.STOPPED]


async def test_stop_that_twilio_answered_itself_opts_pat_out_without_a_reply(
    world: World,
) -> None:
    await pat_says(world, "STOP", extra={"OptOutType": "STOP"})
    await drained(world)
    assert (await sms_channel(world, "Pat"))["opted_out"] is True
    assert to(world, PAT_PHONE) == []
    assert [m for m in await conversation(world, "Pat") if m["direction"] == "out"] == []
    # Abby still hears of it.
    [page] = to(world, ABBY_PHONE)
    assert "Pat asked for no more messages" in page.body


async def test_start_that_twilio_answered_itself_opts_pat_in_without_a_reply(
    world: World,
) -> None:
    await pat_says(world, "STOP", extra={"OptOutType": "STOP"})
    await pat_says(world, "START", extra={"OptOutType": "START"})
    await drained(world)
    assert (await sms_channel(world, "Pat"))["opted_out"] is False
    assert to(world, PAT_PHONE) == []


async def test_start_on_its_own_opts_pat_in_with_our_welcome_back(world: World) -> None:
    await pat_says(world, "STOP", extra={"OptOutType": "STOP"})
    await pat_says(world, "START")
    await drained(world)
    assert (await sms_channel(world, "Pat"))["opted_out"] is False
    assert [sms.body for sms in to(world, PAT_PHONE)] == [replies.STARTED.format(name="Pat")]


async def test_help_that_twilio_answered_itself_gets_no_reply_from_us(world: World) -> None:
    await pat_says(world, "HELP", extra={"OptOutType": "HELP"})
    await drained(world)
    assert to(world, PAT_PHONE) == []
    # Without Twilio's answer, HELP is ours to answer: the help menu.
    await pat_says(world, "HELP")
    await drained(world)
    assert [sms.body[:12] for sms in to(world, PAT_PHONE)] == ["Hi Pat, it's", "How can I he"]


async def test_after_stop_a_check_in_is_not_texted_to_pat(world: World) -> None:
    await pat_says(world, "STOP")
    await drained(world)
    response = await world.api("POST", f"/residents/{world.ids['Pat']}/checkins")
    assert response.json().get("channel") != "sms", response.text
    await drained(world)
    assert [sms.body for sms in to(world, PAT_PHONE)] == [replies.STOPPED]


# --- long messages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["neighbour", "café’s"], ids=["plain text", "text with a curly quote"]
)
async def test_a_long_message_arrives_in_parts_split_between_words(world: World, word: str) -> None:
    body = " ".join(f"{word}{n}" for n in range(260))
    assert count_segments(body) > 10
    async with world.services.db.write() as tx:
        message_id = await messages.queue_outbound(
            tx,
            channel="sms",
            address=PAT_PHONE,
            body=body,
            purpose="service",
            routine=False,
            resident_id=world.ids["Pat"],
        )
    await drained(world)
    parts = [sms.body for sms in to(world, PAT_PHONE)]
    assert len(parts) > 1
    assert all(count_segments(part) <= 10 for part in parts)
    assert " ".join(parts) == body
    for part in parts:
        assert part == part.strip() and part.split()[0].startswith(word)
    async with world.services.db.read() as conn:
        message = await messages.get_message(conn, message_id)
    assert message is not None and message.status == "sent"
    assert message.segments == sum(count_segments(part) for part in parts)


async def test_when_a_later_part_fails_the_parts_twilio_took_are_not_sent_again(
    world: World,
) -> None:
    body = " ".join(f"neighbour{n}" for n in range(260))
    async with world.services.db.write() as tx:
        await messages.queue_outbound(
            tx,
            channel="sms",
            address=PAT_PHONE,
            body=body,
            purpose="service",
            routine=False,
            resident_id=world.ids["Pat"],
        )
    # Twilio takes the first part but answers slowly; by then it is failing.
    world.twilio.delay_next(0.5)
    world.services.dispatcher.wake()
    await wait_for_sms(world, PAT_PHONE, 1)
    world.twilio.fail_next(500)
    await retry_waiting(world)
    world.clock.advance(timedelta(minutes=1))
    await drained(world)
    parts = [sms.body for sms in to(world, PAT_PHONE)]
    assert " ".join(parts) == body
    assert [a.status for a in world.twilio.attempts] == [201, 500] + [201] * (len(parts) - 1)


# --- paging the catalyst --------------------------------------------------------------------


async def test_a_risk_text_pages_abby_by_sms_without_pats_words(world: World) -> None:
    await pat_says(world, "I want to end it all")
    await drained(world)
    [page] = to(world, ABBY_PHONE)
    [alert] = [a for a in await open_alerts(world) if a["kind"] == "risk"]
    assert alert["reference"] == f"A{alert['id']}"
    assert page.body.startswith(f"Companion URGENT alert {alert['reference']}: Pat ")
    assert "end it all" not in page.body
    assert page.validity_period == 36_000
    # Pat got the fixed safety reply at once.
    [reply] = to(world, PAT_PHONE)
    assert "999" in reply.body
