"""This module contains the providers' webhook routes, gathered from the channels that own them:
Twilio's inbound SMS and delivery statuses (`bot.channels.twilio`) and Telegram's updates
(`bot.channels.telegram`)."""

from __future__ import annotations

from starlette.routing import Route

from bot.channels.telegram import telegram_routes
from bot.channels.twilio import twilio_routes
from bot.runtime import Runtime


def webhook_routes(runtime: Runtime) -> list[Route]:
    return [
        *twilio_routes(runtime.settings, runtime.db, runtime.intake, runtime.dispatcher.wake),
        *telegram_routes(runtime.settings, runtime.telegram_updates),
    ]
