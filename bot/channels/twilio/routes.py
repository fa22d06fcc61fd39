"""This module contains Twilio's webhook routes, built from what they need."""

from __future__ import annotations

from collections.abc import Callable

from starlette.routing import Route

from bot.channels.intake import Intake
from bot.channels.twilio.inbound import SMS_PATH, SmsWebhook
from bot.channels.twilio.signature import TwilioRequests
from bot.channels.twilio.status import STATUS_PATH, StatusCallback
from bot.settings import Settings
from storage.database import Database


def twilio_routes(
    settings: Settings, db: Database, intake: Intake, wake: Callable[[], None]
) -> list[Route]:
    requests = TwilioRequests(settings)
    return [
        Route(SMS_PATH, SmsWebhook(requests, db, intake).handle, methods=["POST"]),
        Route(STATUS_PATH, StatusCallback(requests, db, wake).handle, methods=["POST"]),
    ]
