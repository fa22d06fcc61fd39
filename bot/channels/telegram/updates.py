"""This module takes Telegram updates in: by webhook when there is a public URL, else by polling.

Every update becomes one channel-neutral `InboundMessage` (its provider id is the update_id,
so a redelivered update is recognised) and goes through the pipeline. A button press comes in
as the same answer typing "1" or "yes" gives. Polling confirms an update to Telegram only
after the pipeline has committed it, so a crash, or a database another process holds locked,
makes it fetch the update again rather than lose it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Bot, Message, Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram.buttons import parse_callback_data
from bot.channels.telegram.errors import retry_after_seconds
from bot.inbound import Handled, InboundMessage
from bot.timing.backoff import retry_delay
from storage.database import DatabaseBusyError

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
ALLOWED_UPDATES = ["message", "callback_query"]
#: How long one long poll waits for updates, in seconds.
POLL_SECONDS = 25
#: What a message with no text stands for, so staff see what was sent.
WITHOUT_TEXT = {
    "voice": "(a voice message)",
    "audio": "(an audio message)",
    "video_note": "(a video message)",
    "video": "(a video)",
    "photo": "(a photo)",
    "document": "(a file)",
    "location": "(a location)",
    "contact": "(a contact)",
    "poll": "(a poll)",
}
#: Bot commands that stand for the carrier keywords, as a resident would expect.
COMMANDS = {"/start": "start", "/stop": "stop", "/help": "help"}
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def inbound_from_update(update: Update) -> InboundMessage | None:
    """The message an update carries, or None for one we take no notice of (group chats,
    edits, a bot's own messages)."""
    provider_id = f"u{update.update_id}"
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        if chat is None or chat.type != "private" or query.data is None:
            return None
        button_of, answer = parse_callback_data(query.data)
        return InboundMessage(
            "telegram", str(chat.id), _storable(answer), provider_id, button_of=button_of
        )
    message = update.message
    if message is None or message.chat.type != "private":
        return None
    if message.from_user is not None and message.from_user.is_bot:
        return None
    text = _text_of(message)
    command, _, payload = text.partition(" ")
    command = command.split("@", 1)[0].lower()  # "/start@companion_bot" in some clients
    if command == "/start" and payload.strip():
        return InboundMessage(
            "telegram", str(message.chat.id), "/start", provider_id, link_token=payload.strip()
        )
    text = COMMANDS.get(command, text) if not payload.strip() else text
    return InboundMessage("telegram", str(message.chat.id), text, provider_id)


def _text_of(message: Message) -> str:
    if message.text:
        return _storable(message.text)
    if message.sticker is not None and message.sticker.emoji:
        return _storable(message.sticker.emoji)  # a thumbs-up sticker is an answer like 👍
    if message.caption:
        return _storable(message.caption)
    for attribute, stands_for in WITHOUT_TEXT.items():
        if getattr(message, attribute, None):
            return stands_for
    return "(a message with no text)"


def _storable(text: str) -> str:
    """The text with any half of a UTF-16 pair replaced: JSON can carry one, but no database
    or API can store or send it."""
    return _LONE_SURROGATE.sub("\ufffd", text)


class TelegramUpdates:
    """Receives updates for `handle` (the pipeline), and answers button presses."""

    def __init__(
        self,
        bot: Bot,
        handle: Callable[[InboundMessage], Awaitable[Handled]],
        *,
        webhook_url: str | None,
        secret_token: str,
    ) -> None:
        self.bot = bot
        self._handle = handle
        self._webhook_url = webhook_url
        self._secret_token = secret_token
        self.username: str | None = None
        self.state = "starting"
        self._task: asyncio.Task[None] | None = None
        self._chores: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        tasks = [t for t in (self._task, *self._chores) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None

    def parse(self, data: dict[str, Any]) -> Update:
        """An update as Telegram sends it, read by the library; ValueError when it cannot be
        read. Telegram's own always can; for a mangled one the library raises all sorts
        (OverflowError for a date, AttributeError for a text that is a number …)."""
        try:
            update = Update.de_json(data, self.bot)
            inbound_from_update(update)
        except Exception as exc:
            raise ValueError("not a Telegram update we can read") from exc
        return update

    async def take(self, update: Update) -> Handled | None:
        """Hand one update to the pipeline; None when it carries nothing for us."""
        inbound = inbound_from_update(update)
        if inbound is None:
            return None
        handled = await self._handle(inbound)
        if update.callback_query is not None:
            self._chore(self._settle_press(update, handled))
        return handled

    async def _settle_press(self, update: Update, handled: Handled) -> None:
        """Stop the button's spinner; take the keyboard off the question it answered."""
        query = update.callback_query
        assert query is not None
        stale = handled.route == "stale_button"
        with contextlib.suppress(TelegramError):
            await self.bot.answer_callback_query(
                query.id, text="That question has passed." if stale else None
            )
        message = query.message
        if message is not None and not handled.duplicate:
            with contextlib.suppress(TelegramError):
                await self.bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
                )

    def _chore(self, work: Awaitable[None]) -> None:
        task: asyncio.Task[None] = asyncio.ensure_future(work)
        self._chores.add(task)
        task.add_done_callback(self._chores.discard)

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                await self._connect()
                if self._webhook_url is None:
                    await self._poll()
                return
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                # Not worth hammering Telegram: the operator must change the token.
                self.state = "error: Telegram refused TELEGRAM_BOT_TOKEN"
                log.error("Telegram refused the bot token; Telegram updates stop here")
                return
            except Exception as exc:
                attempt += 1
                self.state = f"error: {type(exc).__name__}, trying again"
                delay = retry_delay(attempt, None, cap=60.0).total_seconds()
                log.warning(
                    "Telegram is not reachable; trying again",
                    extra={"error": type(exc).__name__, "seconds": round(delay, 1)},
                )
                await asyncio.sleep(delay)

    async def _connect(self) -> None:
        await self.bot.initialize()
        self.username = self.bot.username
        if self._webhook_url is not None:
            await self.bot.set_webhook(
                self._webhook_url,
                secret_token=self._secret_token,
                allowed_updates=ALLOWED_UPDATES,
            )
            self.state = "on (webhook)"
        else:
            # getUpdates is refused while a webhook is set (from an earlier run with a URL).
            await self.bot.delete_webhook()
            self.state = "on (polling)"
        log.info("Telegram connected", extra={"mode": self.state})

    async def _poll(self) -> None:
        offset: int | None = None
        attempt = 0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=POLL_SECONDS, allowed_updates=ALLOWED_UPDATES
                )
                for update in updates:
                    # One at a time and in order: a resident's answers must not overtake.
                    await self.take(update)
                    offset = update.update_id + 1
                attempt = 0
                self.state = "on (polling)"
            except asyncio.CancelledError:
                raise
            except DatabaseBusyError:
                # Not stored, so not confirmed: the next poll fetches it again.
                attempt += 1
                self.state = "on (polling), waiting for the database"
                log.warning("the database is busy; Telegram updates wait")
                await asyncio.sleep(retry_delay(attempt, None, cap=10.0).total_seconds())
            except Conflict:
                # Another process is polling with this token, or a webhook was set again.
                attempt += 1
                self.state = "error: another process is taking this bot's updates"
                log.error("Telegram says another process is taking this bot's updates")
                await asyncio.sleep(retry_delay(attempt, None, cap=60.0).total_seconds())
            except TelegramError as exc:
                attempt += 1
                wait = retry_after_seconds(exc) if isinstance(exc, RetryAfter) else None
                delay = retry_delay(attempt, wait, cap=60.0).total_seconds()
                self.state = f"error: {type(exc).__name__}, trying again"
                log.warning("Telegram polling failed", extra={"error": type(exc).__name__})
                await asyncio.sleep(delay)
