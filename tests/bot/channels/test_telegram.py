"""Tests of the Telegram channel end to end: the real service, python-telegram-bot and a fake
Bot API on loopback.

Each test speaks as Telegram does (updates posted to the webhook with the secret token, or
handed out by getUpdates) and checks what a person notices: the text a resident's chat gets,
the buttons on it, the alert their catalyst sees, the channel a message moves to.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from telegram import Bot

from bot import runtime as runtime_module
from bot.channels.telegram import PER_CHAT_INTERVAL, TelegramChannel
from storage import alerts, identities, messages, people, rows
from tests.bot.channels.conftest import LUCY_CHAT, PAT_PHONE, World, start_world
from tests.fakes.telegram_api import JSON, SentTelegram

T = TypeVar("T")

#: Chats that are nobody's yet, as a new Telegram user's would be.
NEW_CHAT = 5550101
OTHER_CHAT = 5550102
SUSIE_CHAT = 5550201
LUCY_PHONE = "+447700900002"
LINK = re.compile(r"^https://t\.me/companion_test_bot\?start=([A-Za-z0-9_-]{1,64})$")
CHECKIN_QUESTION = "Hi Lucy, it's Susie. How are you this week? Reply 1 Good, 2 OK or 3 Not so good"
GLAD = "That's lovely to hear, Lucy. I'll check in again as usual. Message me here any time."
EXPIRED = (
    "Sorry, this link has run out or was used already. Please ask your Connection Catalyst "
    "for a new one."
)


# --- helpers -----------------------------------------------------------------------------------


async def until(check: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    """Wait until `check()` holds; fail naming `what` if it does not in time."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


async def eventually(check: Callable[[], Awaitable[T]], what: str, timeout: float = 5.0) -> T:
    """Poll `check` until what it returns is truthy, and return that."""
    deadline = time.monotonic() + timeout
    while not (found := await check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)
    return found


async def connected(world: World) -> None:
    """Wait until the service has met the bot (getMe) and set or deleted its webhook."""
    updates = world.services.telegram_updates
    assert updates is not None
    await until(lambda: updates.state.startswith("on"), "Telegram to connect")


def to(world: World, chat: int) -> list[str]:
    """The texts the bot has sent to `chat`, in order."""
    return [sent.text for sent in world.telegram.sent if sent.chat_id == chat]


async def texts_to(world: World, chat: int, n: int, timeout: float = 5.0) -> list[str]:
    """Wait until `chat` has had `n` messages; return their texts."""
    await until(lambda: len(to(world, chat)) >= n, f"{n} message(s) to chat {chat}", timeout)
    return to(world, chat)


async def say(world: World, chat: int, text: str, **kwargs: Any) -> JSON:
    """Post a text message from `chat` to the webhook, as Telegram would; it must be taken."""
    update = world.telegram.text_update(chat, text, **kwargs)
    status, _ = await world.telegram.deliver(update)
    assert status == 200
    return update


def ok_json(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body, dict)
    return body


async def resident(world: World, resident_id: int) -> dict[str, Any]:
    body = ok_json(await world.api("GET", f"/residents/{resident_id}"))
    found = body["resident"]
    assert isinstance(found, dict)
    return found


async def telegram_of(world: World, resident_id: int) -> dict[str, Any] | None:
    """The resident's Telegram channel as the API shows it, if they have one."""
    channels = (await resident(world, resident_id))["channels"]
    return next((c for c in channels if c["channel"] == "telegram"), None)


async def alert_summaries(world: World) -> list[str]:
    body = ok_json(await world.api("GET", "/alerts"))
    return [alert["summary"] for alert in body["alerts"]]


async def make_link(world: World, path: str) -> str:
    """A start link made through the API; returns its token."""
    await connected(world)
    body = ok_json(await world.api("POST", path), 201)
    match = LINK.match(body["link"])
    assert match, body["link"]
    datetime.fromisoformat(body["expires_at"])
    return match.group(1)


async def message_count(world: World) -> int:
    [row] = await world.services.db.fetch_all("SELECT COUNT(*) AS n FROM messages")
    return int(row["n"])


async def start_checkin(world: World, name: str = "Lucy") -> None:
    body = ok_json(await world.api("POST", f"/residents/{world.ids[name]}/checkins"), 202)
    assert body["channel"] == "telegram"


async def queue(world: World, *outgoing: tuple[int, int, str]) -> None:
    """Put messages (resident, chat, text) in the outbox at once, as the flows do, and wake
    the dispatcher."""
    async with world.services.db.write() as tx:
        for resident_id, chat, body in outgoing:
            await messages.queue_outbound(
                tx,
                channel="telegram",
                address=str(chat),
                body=body,
                purpose="service",
                routine=False,
                resident_id=resident_id,
            )
    world.services.dispatcher.wake()


def buttons(sent: SentTelegram) -> list[list[dict[str, str]]]:
    assert sent.reply_markup is not None, f"no keyboard on {sent.text!r}"
    rows = sent.reply_markup["inline_keyboard"]
    assert isinstance(rows, list)
    return rows


class BriskTelegram(TelegramChannel):
    """The real channel with a short per-chat spacing, so tests that send a few messages to one
    chat do not wait a second between them."""

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot, per_chat_interval=0.02)


@pytest.fixture
def real_spacing() -> None:
    """Keep Telegram's one message a second to a chat (other tests here shorten it)."""


@pytest.fixture(autouse=True)
def brisk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "real_spacing" not in request.fixturenames:
        monkeypatch.setattr(runtime_module, "TelegramChannel", BriskTelegram)


@pytest.fixture
async def polling(tmp_path: Path) -> AsyncIterator[World]:
    """The service with no public URL: Telegram updates come by long polling."""
    async for built in start_world(tmp_path, public=False):
        yield built


# --- webhook and polling -----------------------------------------------------------------------


async def test_with_a_public_url_the_webhook_is_set_with_a_secret_token(world: World) -> None:
    await connected(world)
    webhook = world.telegram.webhook
    assert webhook is not None
    assert webhook["url"] == f"{world.url}/webhooks/telegram"
    assert webhook["secret_token"]
    assert sorted(webhook["allowed_updates"]) == ["callback_query", "message"]
    health = (await world.client.get("/healthz")).json()
    assert health["channels"]["telegram"] == "on (webhook)"
    await say(world, LUCY_CHAT, "I finished a chapter of my book")
    assert await texts_to(world, LUCY_CHAT, 1) == [
        "Thank you, Lucy. I've passed your message to Susie, who will get back to you."
    ]


async def test_without_a_public_url_updates_come_by_long_polling(polling: World) -> None:
    world = polling
    await connected(world)
    assert any(method == "deleteWebhook" for method, _ in world.telegram.calls)
    assert world.telegram.webhook is None
    health = (await world.client.get("/healthz")).json()
    assert health["channels"]["telegram"] == "on (polling)"
    update = world.telegram.text_update(LUCY_CHAT, "I finished a chapter of my book")
    world.telegram.queue_update(update)
    assert await texts_to(world, LUCY_CHAT, 1) == [
        "Thank you, Lucy. I've passed your message to Susie, who will get back to you."
    ]
    # The update is confirmed (the next poll's offset) only once it is in the conversation.
    confirmed = update["update_id"] + 1
    await until(
        lambda: any(
            method == "getUpdates" and params.get("offset") == confirmed
            for method, params in world.telegram.calls
        ),
        "the update to be confirmed",
    )
    inbound = [m for m in await world.conversation("Lucy") if m.direction == "in"]
    assert [m.body for m in inbound] == ["I finished a chapter of my book"]


async def test_an_update_fetched_again_after_a_restart_is_taken_once(polling: World) -> None:
    world = polling
    await connected(world)
    update = world.telegram.text_update(LUCY_CHAT, "I finished a chapter of my book")
    world.telegram.queue_update(update)
    await texts_to(world, LUCY_CHAT, 1)
    # A crash between committing an update and confirming it: the restarted service polls
    # without an offset, and Telegram hands the update out again. (The fake forgets confirmed
    # updates, so it is queued again once the new first poll has ended the old one.)
    updates = world.services.telegram_updates
    assert updates is not None
    await updates.stop()
    polls = len(world.telegram.calls)
    updates.start()
    await until(
        lambda: any(
            method == "getUpdates" and "offset" not in params
            for method, params in world.telegram.calls[polls:]
        ),
        "the first poll after the restart",
    )
    await asyncio.sleep(0.05)
    world.telegram.queue_update(update)
    await until(
        lambda: any(
            method == "getUpdates" and params.get("offset") == update["update_id"] + 1
            for method, params in world.telegram.calls[polls:]
        ),
        "the update to be taken again",
    )
    await world.settle()
    assert len(to(world, LUCY_CHAT)) == 1
    assert [m.direction for m in await world.conversation("Lucy")] == ["in", "out"]


# --- the webhook's checks ----------------------------------------------------------------------


@pytest.mark.parametrize("secret", [None, "", "not-the-secret"])
async def test_an_update_without_the_right_secret_token_is_refused(
    world: World, secret: str | None
) -> None:
    await connected(world)
    before = await message_count(world)
    update = world.telegram.text_update(LUCY_CHAT, "I want to end it all")
    status, _ = await world.telegram.deliver(update, secret=secret)
    assert status == 403
    assert await message_count(world) == before
    await world.settle()
    assert world.telegram.sent == []
    assert await alert_summaries(world) == []


@pytest.mark.parametrize(
    "body",
    [b"not json", b"\xff\xfe", b"[1, 2]", b'{"message": {"text": "hi"}}', b'{"update_id": "7"}'],
)
async def test_a_body_that_is_not_an_update_gets_400(world: World, body: bytes) -> None:
    await connected(world)
    assert world.telegram.webhook is not None
    before = await message_count(world)
    response = await world.client.post(
        "/webhooks/telegram",
        content=body,
        headers={
            "X-Telegram-Bot-Api-Secret-Token": world.telegram.webhook["secret_token"],
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 400
    assert await message_count(world) == before


def private(text: Any, **changes: Any) -> JSON:
    """A message update as JSON, mangled by `changes`."""
    message = {
        "message_id": 1,
        "date": 1_790_000_000,
        "chat": {"id": NEW_CHAT, "type": "private", "first_name": "Ann"},
        "from": {"id": NEW_CHAT, "is_bot": False, "first_name": "Ann"},
        "text": text,
        **changes,
    }
    return {"update_id": 1, "message": message}


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 1, "message": "hello"},
        private("hello", date=10**20),  # no such time: the library raises OverflowError
        private(5),  # text that is not a string
        private(["hello"]),
        {
            "update_id": 1,
            "callback_query": {
                "id": "1",
                "from": private("x")["message"]["from"],
                "message": private("Good?")["message"],
                "chat_instance": "1",
                "data": 7,  # button data that is not a string
            },
        },
    ],
    ids=["message-not-an-object", "date-overflow", "text-number", "text-list", "data-number"],
)
async def test_an_update_that_cannot_be_read_gets_400_not_500(world: World, update: JSON) -> None:
    await connected(world)
    before = await message_count(world)
    status, text = await world.telegram.deliver(update)
    assert status == 400, text
    assert await message_count(world) == before


async def test_text_that_cannot_be_stored_as_it_came_is_kept_with_a_replacement(
    world: World,
) -> None:
    await connected(world)
    # JSON can carry half a UTF-16 pair, which no database or API can store or send.
    status, _ = await world.telegram.deliver(private("hello \ud83d there"))
    assert status == 200
    [hello] = await texts_to(world, NEW_CHAT, 1)
    assert hello.startswith("Hello, this is Companion")
    async with world.services.db.read() as conn:
        inbound = [
            rows.message(row)
            for row in await conn.execute_fetchall("SELECT * FROM messages WHERE direction = 'in'")
        ]
    # Addresses and texts are sealed, so they are compared once read back.
    [body] = [message.body for message in inbound if message.address == str(NEW_CHAT)]
    assert body == "hello \ufffd there"


async def test_an_update_delivered_twice_is_answered_once(world: World) -> None:
    await connected(world)
    update = await say(world, LUCY_CHAT, "I finished a chapter of my book")
    status, _ = await world.telegram.deliver(update)
    assert status == 200
    await texts_to(world, LUCY_CHAT, 1)
    await world.settle()
    assert len(to(world, LUCY_CHAT)) == 1
    assert [m.direction for m in await world.conversation("Lucy")] == ["in", "out"]
    assert len(await alert_summaries(world)) == 1


# --- start links -------------------------------------------------------------------------------


async def test_a_start_link_connects_a_new_chat_to_the_resident(world: World) -> None:
    grace = world.ids["Grace"]
    assert await telegram_of(world, grace) is None
    token = await make_link(world, f"/residents/{grace}/telegram-link")
    await say(world, NEW_CHAT, f"/start {token}", first_name="Grace")
    assert await texts_to(world, NEW_CHAT, 1) == [
        "Hello Grace, you're now connected to Companion here. Lisa will be in touch. "
        "Reply STOP at any time to stop."
    ]
    channel = await telegram_of(world, grace)
    assert channel is not None
    assert channel["address"] == str(NEW_CHAT) and channel["reachable"]
    # From now on her check-ins come to this chat, with buttons.
    await start_checkin(world, "Grace")
    [_, question] = await texts_to(world, NEW_CHAT, 2)
    assert question.startswith("Hi Grace, it's Lisa. How are you this week?")
    assert buttons(world.telegram.sent[-1])


async def test_a_resident_asked_nothing_yet_starts_onboarding_when_they_open_the_link(
    world: World,
) -> None:
    catalysts = ok_json(await world.api("GET", "/catalysts"))["catalysts"]
    susie = next(c["id"] for c in catalysts if c["first_name"] == "Susie")
    created = ok_json(
        await world.api(
            "POST",
            "/residents",
            {
                "preferred_name": "Joan",
                "first_name": "Joan",
                "full_name": "Joan Barker",
                "catalyst_id": susie,
            },
        ),
        201,
    )
    joan = created["resident"]["id"]
    token = await make_link(world, f"/residents/{joan}/telegram-link")
    await say(world, NEW_CHAT, f"/start {token}", first_name="Joan")
    first, second = await texts_to(world, NEW_CHAT, 2)
    assert first.startswith("Hello Joan, it's Susie, your Connection Catalyst.")
    assert second.startswith("First, what would you like me to call you?")
    channel = await telegram_of(world, joan)
    assert channel is not None and channel["address"] == str(NEW_CHAT)


async def test_a_link_works_once(world: World) -> None:
    grace = world.ids["Grace"]
    token = await make_link(world, f"/residents/{grace}/telegram-link")
    await say(world, NEW_CHAT, f"/start {token}", first_name="Grace")
    await texts_to(world, NEW_CHAT, 1)
    # Forwarded to someone else: it binds nobody.
    await say(world, OTHER_CHAT, f"/start {token}", first_name="Mallory")
    assert await texts_to(world, OTHER_CHAT, 1) == [EXPIRED]
    channel = await telegram_of(world, grace)
    assert channel is not None and channel["address"] == str(NEW_CHAT)
    async with world.services.db.read() as conn:
        assert await identities.find_identity(conn, "telegram", str(OTHER_CHAT)) is None
    # Grace opening her link again is as good as a plain /start.
    await say(world, NEW_CHAT, f"/start {token}", first_name="Grace")
    [_, again] = await texts_to(world, NEW_CHAT, 2)
    assert again.startswith("Welcome back, Grace.")


async def test_a_link_expires_after_fourteen_days(world: World) -> None:
    grace, william = world.ids["Grace"], world.ids["William"]
    for_grace = await make_link(world, f"/residents/{grace}/telegram-link")
    for_william = await make_link(world, f"/residents/{william}/telegram-link")
    world.clock.advance(timedelta(days=13, hours=23))
    await say(world, NEW_CHAT, f"/start {for_grace}", first_name="Grace")
    assert (await texts_to(world, NEW_CHAT, 1))[0].startswith("Hello Grace, you're now connected")
    world.clock.advance(timedelta(days=1, hours=1))
    await say(world, OTHER_CHAT, f"/start {for_william}", first_name="William")
    assert await texts_to(world, OTHER_CHAT, 1) == [EXPIRED]
    assert await telegram_of(world, william) is None


async def test_a_newer_link_replaces_an_unused_older_one(world: World) -> None:
    grace = world.ids["Grace"]
    older = await make_link(world, f"/residents/{grace}/telegram-link")
    newer = await make_link(world, f"/residents/{grace}/telegram-link")
    assert older != newer
    await say(world, NEW_CHAT, f"/start {older}", first_name="Grace")
    assert await texts_to(world, NEW_CHAT, 1) == [EXPIRED]
    assert await telegram_of(world, grace) is None
    await say(world, NEW_CHAT, f"/start {newer}", first_name="Grace")
    [_, welcome] = await texts_to(world, NEW_CHAT, 2)
    assert welcome.startswith("Hello Grace, you're now connected")


async def test_a_chat_that_is_another_residents_is_not_taken_by_a_link(world: World) -> None:
    grace = world.ids["Grace"]
    token = await make_link(world, f"/residents/{grace}/telegram-link")
    await say(world, LUCY_CHAT, f"/start {token}", first_name="Lucy")
    assert await texts_to(world, LUCY_CHAT, 1) == [
        "Sorry, this chat is already connected to someone else. We've let the team know; "
        "they will be in touch."
    ]
    assert await telegram_of(world, grace) is None
    lucy = await telegram_of(world, world.ids["Lucy"])
    assert lucy is not None and lucy["address"] == str(LUCY_CHAT)
    body = ok_json(await world.api("GET", "/alerts"))
    [alert] = body["alerts"]
    assert alert["resident_id"] == grace and alert["kind"] == "link"
    assert "already belongs to someone else" in alert["summary"]


async def test_a_chat_first_seen_as_unknown_becomes_the_residents_through_a_link(
    world: World,
) -> None:
    await say(world, NEW_CHAT, "hello, is this the companion?", first_name="Grace")
    [hello] = await texts_to(world, NEW_CHAT, 1)
    assert hello.startswith("Hello, this is Companion")
    grace = world.ids["Grace"]
    token = await make_link(world, f"/residents/{grace}/telegram-link")
    await say(world, NEW_CHAT, f"/start {token}", first_name="Grace")
    [_, welcome] = await texts_to(world, NEW_CHAT, 2)
    assert welcome.startswith("Hello Grace, you're now connected")
    channel = await telegram_of(world, grace)
    assert channel is not None and channel["address"] == str(NEW_CHAT)
    # What she says now is hers: her catalyst reads it, no "we don't know you".
    await say(world, NEW_CHAT, "I went to the library today", first_name="Grace")
    [*_, passed_on] = await texts_to(world, NEW_CHAT, 3)
    assert passed_on == (
        "Thank you, Grace. I've passed your message to Lisa, who will get back to you."
    )


async def test_a_link_opened_on_a_new_phone_moves_the_resident_to_the_new_chat(
    world: World,
) -> None:
    lucy = world.ids["Lucy"]
    token = await make_link(world, f"/residents/{lucy}/telegram-link")
    await say(world, NEW_CHAT, f"/start {token}", first_name="Lucy")
    [welcome] = await texts_to(world, NEW_CHAT, 1)
    assert welcome.startswith("Hello Lucy, you're now connected")
    channel = await telegram_of(world, lucy)
    assert channel is not None and channel["address"] == str(NEW_CHAT)
    await start_checkin(world)
    assert (await texts_to(world, NEW_CHAT, 2))[1] == CHECKIN_QUESTION
    assert to(world, LUCY_CHAT) == []


# --- buttons -----------------------------------------------------------------------------------


async def test_a_question_with_choices_has_one_button_per_row(world: World) -> None:
    await start_checkin(world)
    [question] = await world.telegram.wait_for_sent(1)
    assert question.chat_id == LUCY_CHAT and question.text == CHECKIN_QUESTION
    [ours] = [m for m in await world.conversation("Lucy") if m.direction == "out"]
    assert buttons(question) == [
        [{"text": "Good", "callback_data": f"{ours.id}:1"}],
        [{"text": "OK", "callback_data": f"{ours.id}:2"}],
        [{"text": "Not so good", "callback_data": f"{ours.id}:3"}],
    ]


async def test_pressing_a_button_answers_like_typing_its_number(world: World) -> None:
    await start_checkin(world)
    await texts_to(world, LUCY_CHAT, 1)
    await say(world, LUCY_CHAT, "1", first_name="Lucy")
    assert (await texts_to(world, LUCY_CHAT, 2))[1] == GLAD
    await start_checkin(world)
    await texts_to(world, LUCY_CHAT, 3)
    question = world.telegram.sent[-1]
    good = buttons(question)[0][0]
    assert good["text"] == "Good"
    press = world.telegram.callback_update(
        LUCY_CHAT, good["callback_data"], message_id=question.message_id, first_name="Lucy"
    )
    status, _ = await world.telegram.deliver(press)
    assert status == 200
    assert (await texts_to(world, LUCY_CHAT, 4))[3] == GLAD
    # The spinner stops, and the question's buttons go, so they cannot be pressed again.
    await until(lambda: len(world.telegram.answered_callbacks) == 1, "the press to be answered")
    [answered] = world.telegram.answered_callbacks
    assert answered.callback_query_id == press["callback_query"]["id"]
    assert answered.text is None
    await until(lambda: len(world.telegram.edited) == 1, "the keyboard to be removed")
    [edit] = world.telegram.edited
    assert edit.method == "editMessageReplyMarkup"
    assert (edit.chat_id, edit.message_id) == (LUCY_CHAT, question.message_id)
    assert edit.reply_markup is None


async def test_a_button_on_an_earlier_question_is_ignored(world: World) -> None:
    await start_checkin(world)
    await start_checkin(world)
    earlier, latest = await world.telegram.wait_for_sent(2)
    press = world.telegram.callback_update(
        LUCY_CHAT,
        buttons(earlier)[2][0]["callback_data"],
        message_id=earlier.message_id,
        first_name="Lucy",
    )
    before = await message_count(world)
    status, _ = await world.telegram.deliver(press)
    assert status == 200
    await until(lambda: len(world.telegram.answered_callbacks) == 1, "the press to be answered")
    assert world.telegram.answered_callbacks[0].text == "That question has passed."
    await until(lambda: len(world.telegram.edited) == 1, "the old keyboard to be removed")
    assert world.telegram.edited[0].message_id == earlier.message_id
    # Recorded for staff to see, but no answer to the question asked now, and no reply.
    assert await message_count(world) == before + 1
    await world.settle()
    assert len(world.telegram.sent) == 2
    assert await alert_summaries(world) == []
    # The current question still takes its answer.
    await say(world, LUCY_CHAT, "good", first_name="Lucy")
    assert (await texts_to(world, LUCY_CHAT, 3))[2] == GLAD
    assert latest.message_id != earlier.message_id


async def press(world: World, sent: SentTelegram, row: int) -> None:
    update = world.telegram.callback_update(
        LUCY_CHAT, buttons(sent)[row][0]["callback_data"], message_id=sent.message_id
    )
    status, _ = await world.telegram.deliver(update)
    assert status == 200


async def test_the_questions_buttons_still_answer_it_after_a_reminder(world: World) -> None:
    await start_checkin(world)
    [question] = await world.telegram.wait_for_sent(1)
    world.clock.advance(timedelta(hours=2, minutes=1))
    await world.services.sweeps.climb_ladders()  # the escalation ladder's reminder
    [_, reminder] = await world.telegram.wait_for_sent(2)
    assert reminder.text.startswith("Just checking in again, Lucy. How are you this week?")
    assert [[b["text"] for b in row] for row in buttons(reminder)] == [
        ["Good"],
        ["OK"],
        ["Not so good"],
    ]
    await press(world, question, 0)  # on the question, not on the reminder
    assert (await texts_to(world, LUCY_CHAT, 3))[2] == GLAD


async def test_a_second_tap_on_an_answered_question_does_nothing(world: World) -> None:
    await start_checkin(world)
    [question] = await world.telegram.wait_for_sent(1)
    await press(world, question, 0)
    assert (await texts_to(world, LUCY_CHAT, 2))[1] == GLAD
    await press(world, question, 0)
    await until(lambda: len(world.telegram.answered_callbacks) == 2, "both presses answered")
    assert world.telegram.answered_callbacks[1].text == "That question has passed."
    await world.settle()
    assert len(to(world, LUCY_CHAT)) == 2
    assert await alert_summaries(world) == []


async def test_an_unknown_chat_opening_a_used_link_is_told_it_has_run_out(world: World) -> None:
    grace = world.ids["Grace"]
    token = await make_link(world, f"/residents/{grace}/telegram-link")
    await say(world, NEW_CHAT, f"/start {token}", first_name="Grace")
    await texts_to(world, NEW_CHAT, 1)
    await say(world, OTHER_CHAT, "hello?", first_name="Mallory")
    await texts_to(world, OTHER_CHAT, 1)  # the one reply to someone unknown
    await say(world, OTHER_CHAT, f"/start {token}", first_name="Mallory")
    assert (await texts_to(world, OTHER_CHAT, 2))[1] == EXPIRED


# --- when a message cannot go ------------------------------------------------------------------


async def test_a_blocked_bot_makes_the_chat_unreachable_and_the_catalyst_is_told(
    world: World,
) -> None:
    lucy = world.ids["Lucy"]
    world.telegram.block(LUCY_CHAT)
    await start_checkin(world)
    # The alert is written last, once the chat is marked unreachable.
    [summary] = await eventually(lambda: alert_summaries(world), "an alert")
    channel = await telegram_of(world, lucy)
    assert channel is not None and not channel["reachable"]
    assert world.telegram.sent == []
    assert summary.startswith("A message to Lucy could not be delivered by telegram")
    assert "blocked the bot" in summary
    async with world.services.db.read() as conn:
        [alert] = await alerts.list_alerts(conn)
        catalyst = await people.get_person(conn, alert.catalyst_id or 0)
    assert catalyst is not None and catalyst.first_name == "Susie"
    # She unblocks the bot and presses Start: her chat is hers again.
    world.telegram.unblock(LUCY_CHAT)
    await say(world, LUCY_CHAT, "/start", first_name="Lucy")
    [welcome] = await texts_to(world, LUCY_CHAT, 1)
    assert welcome.startswith("Welcome back, Lucy.")
    channel = await telegram_of(world, lucy)
    assert channel is not None and channel["reachable"]


async def test_a_blocked_bot_moves_the_message_to_sms_when_there_is_a_phone(
    world: World,
) -> None:
    lucy = world.ids["Lucy"]
    async with world.services.db.write() as tx:
        await identities.add_identity(tx, "sms", LUCY_PHONE, resident_id=lucy)
    world.telegram.block(LUCY_CHAT)
    await start_checkin(world)
    [sms] = await world.twilio.wait_for_sent(1)
    assert sms.to == LUCY_PHONE and sms.body == CHECKIN_QUESTION
    [summary] = await alert_summaries(world)
    assert summary.startswith("Lucy can't be reached by telegram any more")
    assert "blocked the bot" in summary and summary.endswith("Messages go by sms now.")
    channel = await telegram_of(world, lucy)
    assert channel is not None and not channel["reachable"]
    assert world.telegram.sent == []


async def test_flood_control_is_honoured(world: World) -> None:
    world.telegram.fail_next("sendMessage", 429, retry_after=7)
    await start_checkin(world)
    await until(
        lambda: any(method == "sendMessage" for method, _ in world.telegram.calls),
        "the first try",
    )
    [row] = await eventually(
        lambda: world.services.db.fetch_all(
            "SELECT due_at, attempts, last_error FROM outbox WHERE attempts > 0"
        ),
        "the try to be settled",
    )
    assert row["attempts"] == 1 and "429" in row["last_error"]
    assert datetime.fromisoformat(row["due_at"]) >= world.clock.now() + timedelta(seconds=7)
    world.clock.advance(timedelta(seconds=6))
    await world.settle()
    assert world.telegram.sent == []
    world.clock.advance(timedelta(seconds=1.5))
    world.services.dispatcher.wake()
    [sent] = await world.telegram.wait_for_sent(1)
    assert sent.text == CHECKIN_QUESTION
    await world.settle()
    assert len(world.telegram.sent) == 1


async def test_a_bad_gateway_is_retried_and_an_unknown_chat_is_unreachable(world: World) -> None:
    world.telegram.fail_next("sendMessage", 502)
    await start_checkin(world)
    await until(
        lambda: any(method == "sendMessage" for method, _ in world.telegram.calls),
        "the first try",
    )
    world.clock.advance(timedelta(seconds=5))
    world.services.dispatcher.wake()
    [sent] = await world.telegram.wait_for_sent(1)
    assert sent.text == CHECKIN_QUESTION
    world.telegram.fail_next("sendMessage", 400, "Bad Request: chat not found")
    await start_checkin(world)
    lucy = world.ids["Lucy"]
    # The alert is written last, once the chat is marked unreachable.
    [summary] = await eventually(lambda: alert_summaries(world), "an alert")
    channel = await telegram_of(world, lucy)
    assert channel is not None and not channel["reachable"]
    assert "Telegram does not know this chat" in summary


# --- pace --------------------------------------------------------------------------------------


async def test_messages_to_one_chat_are_spaced_and_other_chats_are_not_held_up(
    world: World, real_spacing: None
) -> None:
    assert PER_CHAT_INTERVAL == 1.0
    grace = world.ids["Grace"]
    async with world.services.db.write() as tx:
        await identities.add_identity(tx, "telegram", str(OTHER_CHAT), resident_id=grace)
    lucy = world.ids["Lucy"]
    await queue(
        world,
        (lucy, LUCY_CHAT, "One."),
        (lucy, LUCY_CHAT, "Two."),
        (lucy, LUCY_CHAT, "Three."),
        (grace, OTHER_CHAT, "Hello Grace."),
    )
    await world.telegram.wait_for_sent(4)
    lucys = [s for s in world.telegram.sent if s.chat_id == LUCY_CHAT]
    [graces] = [s for s in world.telegram.sent if s.chat_id == OTHER_CHAT]
    assert [s.text for s in lucys] == ["One.", "Two.", "Three."]
    assert all(b.at - a.at >= 0.95 for a, b in pairwise(lucys))
    assert abs(graces.at - lucys[0].at) < 0.5


async def test_a_long_message_is_split_with_the_buttons_on_the_last_part(
    world: World, real_spacing: None
) -> None:
    words = " ".join(f"word{i}" for i in range(1000))
    assert len(words) > 4096
    async with world.services.db.write() as tx:
        await messages.queue_outbound(
            tx,
            channel="telegram",
            address=str(LUCY_CHAT),
            body=words,
            purpose="service",
            routine=False,
            resident_id=world.ids["Lucy"],
            buttons=[{"label": "Yes", "answer": "yes"}],
        )
    world.services.dispatcher.wake()
    first, last = await world.telegram.wait_for_sent(2)
    assert len(first.text) <= 4096 and len(last.text) <= 4096
    assert f"{first.text} {last.text}" == words
    assert first.reply_markup is None
    assert buttons(last)[0][0]["text"] == "Yes"
    assert last.at - first.at >= 0.95


# --- catalysts on Telegram ---------------------------------------------------------------------


async def test_a_catalyst_links_telegram_and_gets_urgent_alerts_there(world: World) -> None:
    catalysts = ok_json(await world.api("GET", "/catalysts"))["catalysts"]
    susie = next(c["id"] for c in catalysts if c["first_name"] == "Susie")
    token = await make_link(world, f"/catalysts/{susie}/telegram-link")
    await say(world, SUSIE_CHAT, f"/start {token}", first_name="Susie")
    assert await texts_to(world, SUSIE_CHAT, 1) == [
        "Hello Susie, Companion alerts will come to this chat. Reply STOP to stop them."
    ]
    catalyst = ok_json(await world.api("GET", f"/catalysts/{susie}"))["catalyst"]
    assert catalyst["alert_channel"] == "telegram"
    await say(world, LUCY_CHAT, "I want to end it all", first_name="Lucy")
    [reply] = await texts_to(world, LUCY_CHAT, 1)
    assert "116 123" in reply
    [alert] = ok_json(await world.api("GET", "/alerts"))["alerts"]
    assert alert["kind"] == "risk" and alert["urgency"] == "urgent"
    [_, page] = await texts_to(world, SUSIE_CHAT, 2)
    assert page == (
        f"Companion URGENT alert {alert['reference']}: {alert['summary']}"
        f" Reply OK {alert['reference']} if you are on it."
    )
    # Writing to the bot from her alert chat reaches no resident's conversation.
    residents = len(ok_json(await world.api("GET", "/residents"))["residents"])
    await say(world, SUSIE_CHAT, "thanks, calling her now", first_name="Susie")
    [*_, staff] = await texts_to(world, SUSIE_CHAT, 3)
    assert staff == (
        "Hello Susie, this chat only brings you Companion alerts. Please answer them in the admin."
    )
    assert len(ok_json(await world.api("GET", "/residents"))["residents"]) == residents
    assert len(ok_json(await world.api("GET", "/alerts"))["alerts"]) == 1


async def test_a_catalyst_on_sms_moves_their_alerts_to_telegram(world: World) -> None:
    catalysts = ok_json(await world.api("GET", "/catalysts"))["catalysts"]
    abby = next(c["id"] for c in catalysts if c["first_name"] == "Abby")
    lisa = next(c["id"] for c in catalysts if c["first_name"] == "Lisa")
    refused = await world.api("PUT", f"/catalysts/{lisa}/alert-channel", {"channel": "telegram"})
    assert refused.status_code == 422
    token = await make_link(world, f"/catalysts/{abby}/telegram-link")
    await say(world, SUSIE_CHAT, f"/start {token}", first_name="Abby")
    await texts_to(world, SUSIE_CHAT, 1)
    # Linking alone does not move alerts she already gets by SMS; choosing Telegram does.
    catalyst = ok_json(await world.api("GET", f"/catalysts/{abby}"))["catalyst"]
    assert catalyst["alert_channel"] == "sms"
    chosen = ok_json(
        await world.api("PUT", f"/catalysts/{abby}/alert-channel", {"channel": "telegram"})
    )
    assert chosen["catalyst"]["alert_channel"] == "telegram"
    status, _ = await world.twilio.send_inbound(
        world.sms_webhook, PAT_PHONE, "I've fallen and can't get up"
    )
    assert status == 200
    [alert] = ok_json(await world.api("GET", "/alerts"))["alerts"]
    [_, page] = await texts_to(world, SUSIE_CHAT, 2)
    assert page == (
        f"Companion URGENT alert {alert['reference']}: {alert['summary']}"
        f" Reply OK {alert['reference']} if you are on it."
    )
    [reply] = await world.twilio.wait_for_sent(1)
    assert reply.to == PAT_PHONE
    await world.settle()
    assert [sms.to for sms in world.twilio.sent] == [PAT_PHONE]


# --- keywords ----------------------------------------------------------------------------------


async def test_stop_and_start_commands_opt_the_chat_out_and_in(world: World) -> None:
    lucy = world.ids["Lucy"]
    await say(world, LUCY_CHAT, "/stop", first_name="Lucy")
    [stopped] = await texts_to(world, LUCY_CHAT, 1)
    assert stopped.startswith("You won't get any more messages from Companion here.")
    channel = await telegram_of(world, lucy)
    assert channel is not None and channel["opted_out"]
    await say(world, LUCY_CHAT, "/start", first_name="Lucy")
    [_, started] = await texts_to(world, LUCY_CHAT, 2)
    assert started.startswith("Welcome back, Lucy.")
    channel = await telegram_of(world, lucy)
    assert channel is not None and not channel["opted_out"]


# --- what is not text --------------------------------------------------------------------------


async def test_a_photo_is_kept_as_a_photo_and_passed_on(world: World) -> None:
    status, _ = await world.telegram.deliver(
        world.telegram.photo_update(LUCY_CHAT, first_name="Lucy")
    )
    assert status == 200
    [reply] = await texts_to(world, LUCY_CHAT, 1)
    assert reply.startswith("Thank you, Lucy. I've passed your message to Susie")
    inbound = [m.body for m in await world.conversation("Lucy") if m.direction == "in"]
    assert inbound == ["(a photo)"]


async def test_edits_and_group_chats_are_ignored(world: World) -> None:
    await say(world, LUCY_CHAT, "I finished a chapter of my book", first_name="Lucy")
    await texts_to(world, LUCY_CHAT, 1)
    before = await message_count(world)
    edited = world.telegram.edited_message_update(LUCY_CHAT, "I finished two chapters")
    group = world.telegram.text_update(LUCY_CHAT, "I want to end it all", first_name="Lucy")
    group["message"]["chat"] = {"id": -100200300, "type": "group", "title": "Sewing circle"}
    for update in (edited, group):
        status, _ = await world.telegram.deliver(update)
        assert status == 200
    assert await message_count(world) == before
    await world.settle()
    assert len(world.telegram.sent) == 1
    assert len(await alert_summaries(world)) == 1
