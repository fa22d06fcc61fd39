"""This package contains everything of Telegram's in one place: the channel that sends
(`sending`), buttons (`buttons`), what its refusals mean (`errors`), taking updates in by
polling or webhook (`updates`), and the webhook route (`webhook`)."""

from bot.channels.telegram.errors import retry_after_seconds
from bot.channels.telegram.sending import PER_CHAT_INTERVAL, TelegramChannel, build_bot
from bot.channels.telegram.updates import WEBHOOK_PATH, TelegramUpdates, inbound_from_update
from bot.channels.telegram.webhook import telegram_routes

__all__ = [
    "PER_CHAT_INTERVAL",
    "WEBHOOK_PATH",
    "TelegramChannel",
    "TelegramUpdates",
    "build_bot",
    "inbound_from_update",
    "retry_after_seconds",
    "telegram_routes",
]
