"""This module contains the Telegram channel: messages sent through python-telegram-bot.

Choices go as inline keyboard buttons (see `buttons`). Telegram allows about one message a
second to a chat, so sends to the same chat are spaced; the dispatcher's limiter keeps within
the overall rate.
"""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Bot
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.channels.base import Outgoing, SendError
from bot.channels.telegram.buttons import keyboard
from bot.channels.telegram.errors import send_error
from bot.settings import Settings

log = logging.getLogger(__name__)

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

    def ready_in(self, address: str) -> float:
        """Seconds until `address` may have another message (see `Paced`)."""
        return max(self._next_free.get(address, 0.0) - time.monotonic(), 0.0)

    async def _space(self, chat: str) -> None:
        """Wait until this chat may have another message; claim the next free moment."""
        now = time.monotonic()
        start = max(now, self._next_free.get(chat, 0.0))
        self._next_free[chat] = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)
        if len(self._next_free) > 10_000:  # forget chats long quiet, so this stays small
            self._next_free = {c: t for c, t in self._next_free.items() if t > now}
