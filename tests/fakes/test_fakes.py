"""This module contains tests that the real twilio and python-telegram-bot SDKs work the fakes.

Each failure a fake can produce is shown to reach the SDK as the exception the service will see
from the real provider.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl

import aiohttp
import pytest
import telegram
from aiohttp import web
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

# twilio ships no type information; unused-ignore keeps this quiet once mypy is told to skip it.
from twilio.base.exceptions import (  # type: ignore[import-untyped, unused-ignore]
    TwilioRestException,
)
from twilio.http.async_http_client import (  # type: ignore[import-untyped, unused-ignore]
    AsyncTwilioHttpClient,
)
from twilio.request_validator import (  # type: ignore[import-untyped, unused-ignore]
    RequestValidator,
)
from twilio.rest import Client  # type: ignore[import-untyped, unused-ignore]

from bot.channels.telegram import retry_after_seconds
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio, count_segments

# aiohttp 3.14 deprecates the BasicAuth object and `auth=` argument that twilio's async client
# still uses on every request; with warnings as errors no request would get through.
twilio_sdk = pytest.mark.filterwarnings(
    "ignore:(BasicAuth is deprecated|The 'auth' parameter is deprecated):DeprecationWarning"
)

RESIDENT = "+447700900001"
APP_NUMBER = "+447700900123"
CHAT = 4242


class Endpoint:
    """A stand-in for the app's webhook on loopback that records every request it gets."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._record)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    async def _record(self, request: web.Request) -> web.Response:
        self.requests.append((str(request.url), dict(request.headers), await request.read()))
        return web.Response(text="<Response/>", content_type="text/xml")

    def form(self, index: int = -1) -> dict[str, str]:
        """The form parameters of a recorded request."""
        return dict(parse_qsl(self.requests[index][2].decode(), keep_blank_values=True))


# --- twilio -----------------------------------------------------------------------------------


@pytest.fixture
async def fake_twilio() -> AsyncIterator[FakeTwilio]:
    async with FakeTwilio() as fake:
        yield fake


@asynccontextmanager
async def twilio_client(fake: FakeTwilio, auth_token: str | None = None) -> AsyncIterator[Any]:
    """The real SDK client with its async HTTP client, pointed at the fake."""
    http_client = AsyncTwilioHttpClient()
    client = Client(fake.account_sid, auth_token or fake.auth_token, http_client=http_client)
    client.api.base_url = fake.url
    try:
        yield client
    finally:
        await http_client.close()


@twilio_sdk
async def test_twilio_send_is_recorded_and_answered_with_a_message_resource(
    fake_twilio: FakeTwilio,
) -> None:
    async with twilio_client(fake_twilio) as client:
        message = await client.messages.create_async(
            to=RESIDENT,
            from_=APP_NUMBER,
            body="How are you today?",
            status_callback="http://127.0.0.1:8000/webhooks/twilio/status",
            validity_period=600,
        )

    assert re.fullmatch(r"SM[0-9a-f]{32}", message.sid)
    assert (message.to, message.from_, message.status) == (RESIDENT, APP_NUMBER, "queued")
    assert (message.num_segments, message.direction, message.error_code) == (
        "1",
        "outbound-api",
        None,
    )
    assert message.account_sid == fake_twilio.account_sid
    assert message.date_created is not None and message.price is None
    [sent] = fake_twilio.sent
    assert (sent.sid, sent.to, sent.from_, sent.body) == (
        message.sid,
        RESIDENT,
        APP_NUMBER,
        "How are you today?",
    )
    assert sent.status_callback == "http://127.0.0.1:8000/webhooks/twilio/status"
    assert (sent.validity_period, sent.messaging_service_sid) == (600, None)
    [attempt] = fake_twilio.attempts
    assert (attempt.status, attempt.params["ValidityPeriod"]) == (201, "600")


@twilio_sdk
async def test_twilio_send_through_a_messaging_service_is_accepted(
    fake_twilio: FakeTwilio,
) -> None:
    service = "MG" + "a" * 32
    async with twilio_client(fake_twilio) as client:
        message = await client.messages.create_async(
            to=RESIDENT, messaging_service_sid=service, body="Hello"
        )

    assert (message.status, message.from_, message.messaging_service_sid) == (
        "accepted",
        None,
        service,
    )
    assert fake_twilio.sent[0].messaging_service_sid == service


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("€" * 80, 1),  # each € is an escape and a septet
        ("€" * 81, 2),
        ("é" * 160, 1),  # é is in the GSM alphabet, ê is not
        ("é" * 161, 2),
        ("ê" * 70, 1),
        ("ê" * 71, 2),
        ("😊" * 35, 1),  # each emoji is two UTF-16 units
        ("😊" * 36, 2),
    ],
)
def test_segments_are_counted_like_twilio(body: str, segments: int) -> None:
    assert count_segments(body) == segments


@twilio_sdk
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"to": ""}, 21604),
        ({"body": None}, 21602),
        ({"from_": None}, 21603),
        ({"to": "07700 900001"}, 21211),
        ({"validity_period": 0}, 21624),
        ({"body": "x" * 1601}, 21617),
    ],
)
async def test_twilio_refuses_invalid_requests_like_twilio(
    fake_twilio: FakeTwilio, changes: dict[str, Any], code: int
) -> None:
    kwargs = {"to": RESIDENT, "from_": APP_NUMBER, "body": "Hello"} | changes
    async with twilio_client(fake_twilio) as client:
        with pytest.raises(TwilioRestException) as caught:
            await client.messages.create_async(
                **{key: value for key, value in kwargs.items() if value is not None}
            )

    assert (caught.value.status, caught.value.code) == (400, code)
    assert fake_twilio.sent == []
    assert [attempt.code for attempt in fake_twilio.attempts] == [code]


@twilio_sdk
async def test_twilio_wrong_credentials_or_account_are_refused(fake_twilio: FakeTwilio) -> None:
    async with twilio_client(fake_twilio, auth_token="wrong") as client:
        with pytest.raises(TwilioRestException) as caught:
            await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")
    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert "Authenticate" in caught.value.msg

    async with twilio_client(fake_twilio) as client:
        other_account = client.api.v2010.accounts("AC" + "f" * 32)
        with pytest.raises(TwilioRestException) as caught:
            await other_account.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")
    assert (caught.value.status, caught.value.code) == (404, 20404)
    assert fake_twilio.sent == []


@twilio_sdk
@pytest.mark.parametrize(
    ("status", "code", "expected_code"),
    [(429, None, 20429), (500, None, 20500), (503, None, 20503), (400, 21610, 21610)],
)
async def test_twilio_injected_failures_reach_the_sdk(
    fake_twilio: FakeTwilio, status: int, code: int | None, expected_code: int
) -> None:
    fake_twilio.fail_next(status, code, times=2)
    async with twilio_client(fake_twilio) as client:
        for _ in range(2):
            with pytest.raises(TwilioRestException) as caught:
                await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")
            assert (caught.value.status, caught.value.code) == (status, expected_code)
        await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")

    assert len(fake_twilio.sent) == 1
    assert [a.status for a in fake_twilio.attempts] == [status, status, 201]


@twilio_sdk
@pytest.mark.parametrize("code", [21610, 21211, 21614])
async def test_twilio_refused_number_fails_every_time(fake_twilio: FakeTwilio, code: int) -> None:
    fake_twilio.refuse(RESIDENT, code=code)
    async with twilio_client(fake_twilio) as client:
        for _ in range(2):
            with pytest.raises(TwilioRestException) as caught:
                await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")
            assert (caught.value.status, caught.value.code) == (400, code)
        await client.messages.create_async(to="+447700900002", from_=APP_NUMBER, body="Hi")

    assert [sent.to for sent in fake_twilio.sent] == ["+447700900002"]


@twilio_sdk
async def test_twilio_slow_answer_needs_a_timeout_around_the_call(fake_twilio: FakeTwilio) -> None:
    # The async client passes timeout=None on every request, which aiohttp reads as "no
    # timeout", so a ClientTimeout on the session does nothing: the caller must bound the call.
    fake_twilio.delay_next(0.4, times=2)
    http_client = AsyncTwilioHttpClient(timeout=0.05)
    await http_client.session.close()
    http_client.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.05))
    client = Client(fake_twilio.account_sid, fake_twilio.auth_token, http_client=http_client)
    client.api.base_url = fake_twilio.url
    try:
        started = time.monotonic()
        await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="slow")
        assert time.monotonic() - started >= 0.4

        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.1):
                await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="again")
    finally:
        await http_client.close()

    # Twilio took the second message although the client gave up: a retry would send it twice.
    assert [sent.body for sent in fake_twilio.sent] == ["slow", "again"]


async def test_twilio_inbound_webhook_is_signed_with_twilio_parameters() -> None:
    async with (
        FakeTwilio(messaging_service_sid="MG" + "b" * 32) as fake,
        Endpoint() as app,
    ):
        url = f"{app.url}/webhooks/twilio/sms?channel=sms"
        status, text = await fake.send_inbound(
            url, RESIDENT, "STOP", message_sid="SM" + "1" * 32, extra={"OptOutType": "STOP"}
        )

    assert (status, text) == (200, "<Response/>")
    received_url, headers, _ = app.requests[0]
    params = app.form()
    validator = RequestValidator(fake.auth_token)
    assert received_url == url
    assert validator.validate(received_url, params, headers["X-Twilio-Signature"])
    assert not RequestValidator("other").validate(url, params, headers["X-Twilio-Signature"])
    assert not validator.validate(url, params | {"Body": "START"}, headers["X-Twilio-Signature"])
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert params["From"] == RESIDENT and params["To"] == fake.number
    assert params["MessageSid"] == params["SmsSid"] == params["SmsMessageSid"] == "SM" + "1" * 32
    assert (params["Body"], params["OptOutType"], params["SmsStatus"]) == (
        "STOP",
        "STOP",
        "received",
    )
    assert (params["NumMedia"], params["NumSegments"], params["FromCountry"]) == ("0", "1", "GB")
    assert params["AccountSid"] == fake.account_sid and params["ApiVersion"] == "2010-04-01"
    assert params["MessagingServiceSid"] == "MG" + "b" * 32
    assert fake.sign(url, params) == headers["X-Twilio-Signature"]


@twilio_sdk
async def test_twilio_status_callback_describes_the_message(fake_twilio: FakeTwilio) -> None:
    async with twilio_client(fake_twilio) as client, Endpoint() as app:
        message = await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")
        url = f"{app.url}/webhooks/twilio/status"
        await fake_twilio.send_status(url, message.sid, "delivered")
        status, _ = await fake_twilio.send_status(url, message.sid, "undelivered", error_code=30003)

    assert status == 200
    delivered, undelivered = app.form(0), app.form(1)
    assert "ErrorCode" not in delivered and delivered["MessageStatus"] == "delivered"
    assert undelivered["MessageStatus"] == undelivered["SmsStatus"] == "undelivered"
    assert (undelivered["MessageSid"], undelivered["ErrorCode"]) == (message.sid, "30003")
    assert (undelivered["To"], undelivered["From"]) == (RESIDENT, APP_NUMBER)
    signature = app.requests[1][1]["X-Twilio-Signature"]
    assert RequestValidator(fake_twilio.auth_token).validate(url, undelivered, signature)


async def test_twilio_wait_for_sent_says_what_was_sent(fake_twilio: FakeTwilio) -> None:
    with pytest.raises(AssertionError, match=r"expected 1 SMS within 0\.05s, got \[\]"):
        await fake_twilio.wait_for_sent(1, timeout=0.05)


# --- telegram ---------------------------------------------------------------------------------


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(fake_telegram.token, base_url=f"{fake_telegram.url}/bot") as bot:
        yield bot


def keyboard(*answers: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(a, callback_data=a) for a in answers]])


async def test_telegram_bot_starts_and_sends_with_an_inline_keyboard(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    assert (bot.username, bot.id) == ("companion_test_bot", 123456)
    first = await bot.send_message(CHAT, "How are you?", reply_markup=keyboard("good", "bad"))
    second = await bot.send_message(CHAT, "Thanks")

    assert (first.message_id, second.message_id) == (1, 2)
    assert first.chat.id == CHAT and first.from_user is not None and first.from_user.is_bot
    assert first.reply_markup == keyboard("good", "bad")
    assert [(s.chat_id, s.text, s.message_id) for s in fake_telegram.sent] == [
        (CHAT, "How are you?", 1),
        (CHAT, "Thanks", 2),
    ]
    assert fake_telegram.sent[0].reply_markup == {
        "inline_keyboard": [
            [{"text": "good", "callback_data": "good"}, {"text": "bad", "callback_data": "bad"}]
        ]
    }
    assert [method for method, _ in fake_telegram.calls] == ["getMe", "sendMessage", "sendMessage"]
    # python-telegram-bot posts a form whose non-string fields are JSON; the fake decodes them.
    assert fake_telegram.calls[1][1]["chat_id"] == CHAT


async def test_telegram_reads_json_query_and_form_parameters(fake_telegram: FakeTelegram) -> None:
    base = f"{fake_telegram.url}/bot{fake_telegram.token}"
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{base}/sendmessage",
            json={"chat_id": str(CHAT), "text": "hi", "reply_markup": {"inline_keyboard": []}},
        ) as response:
            assert (await response.json())["result"]["chat"]["id"] == CHAT
        async with session.get(f"{base}/sendMessage?chat_id={CHAT}&text=query") as response:
            assert (await response.json())["ok"] is True
        form = {"chat_id": str(CHAT), "text": "x", "reply_markup": "{not json"}
        async with session.post(f"{base}/sendMessage", data=form) as response:
            assert response.status == 400
            assert await response.json() == {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: can't parse reply_markup JSON object",
            }

    assert [(s.text, s.reply_markup) for s in fake_telegram.sent] == [
        ("hi", {"inline_keyboard": []}),
        ("query", None),
    ]


async def test_telegram_wrong_token_and_unknown_method(fake_telegram: FakeTelegram) -> None:
    with pytest.raises(InvalidToken, match="rejected by the server"):
        async with telegram.Bot("999:wrong", base_url=f"{fake_telegram.url}/bot"):
            pass
    async with telegram.Bot(fake_telegram.token, base_url=f"{fake_telegram.url}/bot") as bot:
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("noSuchMethod")


async def test_telegram_get_updates_parses_text_and_callback_updates(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    await bot.send_message(CHAT, "Shall we?", reply_markup=keyboard("yes", "no"))
    fake_telegram.queue_update(fake_telegram.text_update(CHAT, "/start TOKEN123", username="pat"))
    fake_telegram.queue_update(fake_telegram.callback_update(CHAT, "yes"))

    text, callback = await bot.get_updates(timeout=1)

    assert text.update_id + 1 == callback.update_id
    assert text.message is not None and text.message.text == "/start TOKEN123"
    assert text.message.from_user is not None and text.message.from_user.username == "pat"
    assert text.message.message_id == 2
    assert text.message.parse_entities() == {
        MessageEntity(MessageEntity.BOT_COMMAND, offset=0, length=6): "/start"
    }
    query = callback.callback_query
    assert query is not None and query.data == "yes" and query.from_user.id == CHAT
    assert query.message is not None and query.message.message_id == 1
    assert isinstance(query.message, telegram.Message)
    assert query.message.reply_markup == keyboard("yes", "no")

    # Without an offset nothing is confirmed; with one, earlier updates are gone for good.
    assert len(await bot.get_updates()) == 2
    started = time.monotonic()
    assert await bot.get_updates(offset=callback.update_id + 1, timeout=1) == ()
    assert time.monotonic() - started >= 0.9
    assert await bot.get_updates() == ()


async def test_telegram_command_entities_count_utf16_units(fake_telegram: FakeTelegram) -> None:
    update = fake_telegram.text_update(CHAT, "😊 /help@companion_test_bot now")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 3, "length": 24}]
    assert "entities" not in fake_telegram.text_update(CHAT, "not/a command")["message"]


async def test_telegram_long_poll_returns_when_an_update_arrives(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    started = time.monotonic()
    fake_telegram.queue_update(fake_telegram.text_update(CHAT, "hello"))

    [update] = await poll
    assert time.monotonic() - started < 0.5
    assert update.message is not None and update.message.text == "hello"


async def test_telegram_second_poller_ends_the_first_with_conflict(
    fake_telegram: FakeTelegram,
) -> None:
    base_url = f"{fake_telegram.url}/bot"
    async with (
        telegram.Bot(fake_telegram.token, base_url=base_url) as first,
        telegram.Bot(fake_telegram.token, base_url=base_url) as second,
    ):
        poll = asyncio.create_task(first.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        second_poll = asyncio.create_task(second.get_updates(timeout=5))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await poll
        fake_telegram.queue_update(fake_telegram.text_update(CHAT, "hi"))
        assert len(await second_poll) == 1


async def test_telegram_photo_and_edited_updates_parse(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.queue_update(fake_telegram.text_update(CHAT, "typo"))
    fake_telegram.queue_update(fake_telegram.photo_update(CHAT, caption="my garden"))
    fake_telegram.queue_update(fake_telegram.edited_message_update(CHAT, "fixed", message_id=1))

    _, photo, edited = await bot.get_updates()

    assert photo.message is not None and photo.message.caption == "my garden"
    assert photo.message.photo[-1].width == 800
    assert edited.edited_message is not None and edited.edited_message.text == "fixed"
    assert edited.edited_message.message_id == 1 and edited.edited_message.edit_date is not None
    assert edited.effective_chat is not None and edited.effective_chat.id == CHAT


async def test_telegram_webhook_delivery_carries_the_secret(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    async with Endpoint() as app:
        url = f"{app.url}/webhooks/telegram"
        assert await bot.set_webhook(url, secret_token="s3cret", allowed_updates=["message"])
        assert fake_telegram.webhook == {
            "url": url,
            "secret_token": "s3cret",
            "allowed_updates": ["message"],
        }
        info = await bot.get_webhook_info()
        assert (info.url, info.allowed_updates) == (url, ("message",))
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()

        update = fake_telegram.text_update(CHAT, "hello")
        assert await fake_telegram.deliver(update) == (200, "<Response/>")
        await fake_telegram.deliver(update, secret="forged")
        await fake_telegram.deliver(update, secret=None)

        assert await bot.delete_webhook()
        assert fake_telegram.webhook is None
        assert await bot.get_updates() == ()

    secrets = [headers.get("X-Telegram-Bot-Api-Secret-Token") for _, headers, _ in app.requests]
    assert secrets == ["s3cret", "forged", None]
    received = Update.de_json(json.loads(app.requests[0][2]), bot)
    assert received.message is not None and received.message.text == "hello"
    assert app.requests[0][1]["Content-Type"] == "application/json"


async def test_telegram_flood_control_raises_retry_after(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.fail_next("sendMessage", 429, retry_after=3)
    # RetryAfter reads its own deprecated int `retry_after` while being built, so with warnings
    # as errors the deprecation warning would be raised instead of RetryAfter (unless
    # PTB_TIMEDELTA is set, as importing the Telegram channel does).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "Hi")
    assert retry_after_seconds(caught.value) == 3
    assert str(caught.value).startswith("Flood control exceeded. Retry in ")
    assert fake_telegram.sent == []

    await bot.send_message(CHAT, "Hi")
    assert len(fake_telegram.sent) == 1


async def test_telegram_blocked_chat_is_forbidden(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.block(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(CHAT, "Hi")
    await bot.send_message(CHAT + 1, "Hi")
    fake_telegram.unblock(CHAT)
    await bot.send_message(CHAT, "Hi again")

    assert [s.chat_id for s in fake_telegram.sent] == [CHAT + 1, CHAT]


async def test_telegram_bad_gateway_is_a_network_error(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    fake_telegram.fail_next("sendMessage", 502)
    with pytest.raises(NetworkError, match="Bad Gateway") as caught:
        await bot.send_message(CHAT, "Hi")
    assert type(caught.value) is NetworkError


async def test_telegram_slow_answer_times_out(fake_telegram: FakeTelegram) -> None:
    fake_telegram.delay_next("sendMessage", 1.0)
    request = HTTPXRequest(read_timeout=0.2)
    async with telegram.Bot(
        fake_telegram.token, base_url=f"{fake_telegram.url}/bot", request=request
    ) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "Hi")

    # Telegram took the message although the client gave up: a retry would send it twice.
    assert [s.text for s in fake_telegram.sent] == ["Hi"]


@pytest.mark.parametrize(
    ("chat_id", "text", "description"),
    [
        (CHAT, "", "Message text is empty"),
        (CHAT, "   ", "Message text is empty"),
        ("@nobody", "Hi", "Chat not found"),
        (CHAT, "x" * 4097, "Message is too long"),
    ],
)
async def test_telegram_bad_requests(
    fake_telegram: FakeTelegram, bot: telegram.Bot, chat_id: int | str, text: str, description: str
) -> None:
    # python-telegram-bot drops the "Bad Request: " prefix and capitalises the rest.
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(chat_id, text)
    assert caught.value.message == description
    assert fake_telegram.sent == []


async def test_telegram_callback_answers_and_message_edits(
    fake_telegram: FakeTelegram, bot: telegram.Bot
) -> None:
    sent = await bot.send_message(CHAT, "Shall we?", reply_markup=keyboard("yes", "no"))
    query = fake_telegram.callback_update(CHAT, "yes")["callback_query"]

    assert await bot.answer_callback_query(query["id"], text="Noted")
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query["id"])
    edited = await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)
    assert isinstance(edited, telegram.Message) and edited.reply_markup is None
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=None)
    await bot.edit_message_text("Shall we? yes", CHAT, sent.message_id)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("nope", CHAT, 99)

    [answered] = fake_telegram.answered_callbacks
    assert (answered.callback_query_id, answered.text, answered.show_alert) == (
        query["id"],
        "Noted",
        False,
    )
    assert [(e.method, e.message_id, e.text, e.reply_markup) for e in fake_telegram.edited] == [
        ("editMessageReplyMarkup", 1, "Shall we?", None),
        ("editMessageText", 1, "Shall we? yes", None),
    ]


async def test_telegram_wait_for_sent(fake_telegram: FakeTelegram, bot: telegram.Bot) -> None:
    async def send_later() -> None:
        await asyncio.sleep(0.05)
        await bot.send_message(CHAT, "later")

    task = asyncio.create_task(send_later())
    assert [s.text for s in await fake_telegram.wait_for_sent(1)] == ["later"]
    await task
    with pytest.raises(AssertionError, match=r"expected 2 messages within 0\.05s"):
        await fake_telegram.wait_for_sent(2, timeout=0.05)


@twilio_sdk
async def test_twilio_a_429_can_carry_retry_after_which_the_sdk_exception_drops(
    fake_twilio: FakeTwilio,
) -> None:
    fake_twilio.fail_next(429, retry_after="37")
    async with twilio_client(fake_twilio) as client:
        with pytest.raises(TwilioRestException) as caught:
            await client.messages.create_async(to=RESIDENT, from_=APP_NUMBER, body="Hi")
    assert (caught.value.status, caught.value.code) == (429, 20429)
    # Why the channel needs its own HTTP client: the SDK's exception has no headers.
    assert not hasattr(caught.value, "headers")
    assert fake_twilio.sent == []
