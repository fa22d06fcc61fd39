"""This module contains the Telegram channel: messages sent through python-telegram-bot.

Choices go as inline keyboard buttons, one to a row so each is a large target. A button's
callback data carries our message id and the answer ("41:1"), so a press can be checked
against the question it belongs to. Telegram allows about one message a second to a chat, so
sends to the same chat are spaced; the dispatcher's limiter keeps within the overall rate.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
import warnings
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.channels.base import Outgoing, SendError
from bot.settings import Settings

log = logging.getLogger(__name__)

# Opt in now to PTB's coming change (durations such as retry_after as timedelta): without it,
# PTB warns each time it builds a RetryAfter. `retry_after_seconds` reads either form.
os.environ.setdefault("PTB_TIMEDELTA", "true")

#: Seconds between two messages to the same chat (Telegram's limit is about one a second).
PER_CHAT_INTERVAL = 1.0
#: Telegram's longest message; longer texts are split between lines or words.
MAX_TEXT = 4096


def build_bot(settings: Settings, *, timeout: float = 15.0) -> Bot:
    """A Bot pointed at TELEGRAM_API_URL (Telegram's, or a local server in tests)."""
    api = settings.telegram_api_url
    return Bot(
        settings.telegram_bot_token.reveal(),
        base_url=f"{api}/bot",
        base_file_url=f"{api}/file/bot",
        request=HTTPXRequest(connect_timeout=timeout, read_timeout=timeout),
        # Long polls wait up to 25 s for updates, so their reads need longer.
        get_updates_request=HTTPXRequest(connect_timeout=timeout, read_timeout=timeout + 30),
    )


def callback_data(message_id: int, answer: str) -> str:
    return f"{message_id}:{answer}"


def parse_callback_data(data: str) -> tuple[int | None, str]:
    """(our message id or None, the answer) from a button's callback data."""
    head, sep, answer = data.partition(":")
    if sep and head.isdigit():
        return int(head), answer
    return None, data


def keyboard(message: Outgoing) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    rows = []
    for button in message.buttons:
        data = callback_data(message.message_id, button["answer"])
        if len(data.encode()) > 64:  # Telegram's limit; answers are short, so this is a bug
            log.warning("button answer too long for Telegram; sent without buttons")
            return None
        rows.append([InlineKeyboardButton(button["label"], callback_data=data)])
    return InlineKeyboardMarkup(rows)


def retry_after_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns on reading retry_after while it moves from int to timedelta; either is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def send_error(exc: TelegramError) -> SendError:
    """What a Telegram refusal means for the message and for the chat."""
    if isinstance(exc, RetryAfter):
        seconds = retry_after_seconds(exc)
        return SendError(f"Telegram asked us to wait {seconds:g} s (429)", retry_after=seconds)
    if isinstance(exc, Forbidden):
        return SendError("the person has blocked the bot or left Telegram (403)", unreachable=True)
    if isinstance(exc, BadRequest) and "chat not found" in exc.message.lower():
        return SendError("Telegram does not know this chat", unreachable=True)
    if isinstance(exc, ChatMigrated):
        return SendError("the chat has moved", unreachable=True)
    if isinstance(exc, InvalidToken):
        log.error("Telegram refused the bot token")
        return SendError("Telegram refused the bot token")
    if isinstance(exc, BadRequest):
        return SendError(f"Telegram refused the message: {exc.message}", permanent=True)
    if isinstance(exc, NetworkError):  # also TimedOut and 5xx answers
        return SendError(f"Telegram could not be reached ({type(exc).__name__})")
    return SendError(f"Telegram error: {exc.message}")


def text_parts(text: str) -> list[str]:
    """The text in pieces Telegram accepts, cut between words where there is a space."""
    parts = []
    while len(text) > MAX_TEXT:
        cut = text.rfind(" ", 0, MAX_TEXT + 1)
        cut = cut if cut > 0 else MAX_TEXT
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*parts, text]


class TelegramChannel:
    name = "telegram"

    def __init__(self, bot: Bot, *, per_chat_interval: float = PER_CHAT_INTERVAL) -> None:
        self.bot = bot
        self._interval = per_chat_interval
        self._next_free: dict[str, float] = {}

    async def open(self) -> None:
        pass  # the bot's HTTP client is made with it; `TelegramUpdates` checks the token

    async def close(self) -> None:
        await self.bot.shutdown()

    async def send(self, message: Outgoing) -> str:
        await self._space(message.address)
        try:
            chat_id = int(message.address)
        except ValueError:
            raise SendError("not a Telegram chat id", unreachable=True) from None
        parts = text_parts(message.body)
        first = ""
        try:
            for number, part in enumerate(parts, 1):
                if number > 1:
                    await self._space(message.address)
                markup = keyboard(message) if number == len(parts) else None
                sent = await self.bot.send_message(chat_id, part, reply_markup=markup)
                first = first or f"{chat_id}:{sent.message_id}"
        except TelegramError as exc:
            raise send_error(exc) from None
        return first

    async def _space(self, chat: str) -> None:
        """Wait until this chat may have another message; claim the next free moment."""
        now = time.monotonic()
        start = max(now, self._next_free.get(chat, 0.0))
        self._next_free[chat] = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)
        if len(self._next_free) > 10_000:  # forget chats long quiet, so this stays small
            self._next_free = {c: t for c, t in self._next_free.items() if t > now}
