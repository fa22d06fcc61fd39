"""This module contains the SMS channel: messages sent through the twilio SDK's async client.

Each message goes with a status callback (so delivery reports reach `/webhooks/twilio/status`)
and a validity period (so a "how are you?" stuck in a carrier queue is dropped, not delivered
hours late). Twilio's errors are sorted into the three answers the dispatcher needs: try again
(and when), give up on this number, or give up on this message.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.channels.base import Outgoing, SendError
from bot.settings import Settings
from flows.sms import sms_info, split_for_sms_segments

log = logging.getLogger(__name__)

#: Twilio takes at most 1,600 characters; past 10 segments delivery gets unreliable, so longer
#: texts go as several messages, split between words.
MAX_SEGMENTS = 10
#: Twilio's longest validity period, in seconds.
MAX_VALIDITY = 36_000
STATUS_PATH = "/webhooks/twilio/status"

#: Twilio error codes that mean the number itself cannot be reached by SMS.
UNREACHABLE = {
    21211: "not a valid phone number",
    21214: "not a number that can receive SMS",
    21408: "a country this account cannot send to",
    21612: "a number Twilio cannot reach from this sender",
    21614: "not a mobile number",
    30005: "an unknown or inactive number",
    30006: "a landline or a number that cannot receive SMS",
}
#: The recipient texted STOP to the carrier: nothing reaches them until they text START.
OPTED_OUT = 21610


class TwilioSms:
    name = "sms"

    def __init__(self, settings: Settings, *, timeout: float = 15.0) -> None:
        self._settings = settings
        self._timeout = timeout
        self._client: Client | None = None
        self._http: AsyncTwilioHttpClient | None = None
        #: The sids of the parts of a long message that Twilio has taken, by message id, while
        #: its other parts are still to go: a retry sends only the parts still missing.
        self._taken: dict[int, list[str]] = {}

    async def open(self) -> None:
        if self._client is not None:
            return
        # One pooled session for all sends, made here, inside the running event loop.
        http = AsyncTwilioHttpClient(pool_connections=False)
        http.session = aiohttp.ClientSession()
        client = Client(
            self._settings.twilio_account_sid,
            self._settings.twilio_auth_token.reveal(),
            http_client=http,
        )
        client.api.base_url = self._settings.twilio_api_url
        self._client, self._http = client, http

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        self._client = self._http = None

    async def send(self, message: Outgoing) -> str:
        if self._client is None:
            await self.open()
        parts = sms_parts(message.body)
        key = message.message_id
        sids = self._taken.setdefault(key, []) if key and len(parts) > 1 else []
        try:
            for part in parts[len(sids) :]:
                sids.append(await self._create(message.address, part, message.valid_for))
        except SendError as exc:
            if exc.permanent:
                self._taken.pop(key, None)
            raise
        self._taken.pop(key, None)
        return sids[0]

    async def _create(self, to: str, body: str, valid_for: timedelta | None) -> str:
        assert self._client is not None
        settings = self._settings
        params: dict[str, Any] = {"to": to, "body": body}
        if settings.twilio_messaging_service_sid:
            params["messaging_service_sid"] = settings.twilio_messaging_service_sid
        else:
            params["from_"] = settings.twilio_from_number
        if settings.public_url:
            params["status_callback"] = settings.public_url + STATUS_PATH
        if valid_for is not None:
            params["validity_period"] = max(1, min(MAX_VALIDITY, int(valid_for.total_seconds())))
        try:
            # The SDK passes timeout=None on every request, which switches off the session's
            # own timeout; so the bound goes around the call.
            async with asyncio.timeout(self._timeout):
                created = await self._client.messages.create_async(**params)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise send_error(exc.status, exc.code) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise SendError(f"Twilio could not be reached ({type(exc).__name__})") from None
        info = sms_info(body)
        log.info(
            "sms handed to Twilio",
            extra={"segments": info.segments, "encoding": str(info.encoding)},
        )
        return str(created.sid)


def sms_parts(body: str) -> list[str]:
    """The body as one message, or as several of at most `MAX_SEGMENTS` split between words."""
    if sms_info(body).segments <= MAX_SEGMENTS:
        return [body]
    return split_for_sms_segments(body, MAX_SEGMENTS)


def send_error(status: int, code: object) -> SendError:
    """What a Twilio refusal (HTTP status and Twilio error code) means for the message and
    for the number."""
    code = code if isinstance(code, int) else None
    if code == OPTED_OUT:
        return SendError("the number has opted out with its carrier (Twilio 21610)", opted_out=True)
    if code in UNREACHABLE:
        return SendError(f"{UNREACHABLE[code]} (Twilio {code})", unreachable=True)
    if status == 429 or code == 20429:
        return SendError("Twilio asked us to slow down (429)")
    if status >= 500:
        return SendError(f"Twilio had a server error ({status})")
    if status in (401, 403):
        # The account's credentials: nothing to do with this message, so keep it for when the
        # operator has fixed them, and say so loudly.
        log.error("Twilio refused our credentials", extra={"status": status})
        return SendError(f"Twilio refused the credentials ({status})")
    return SendError(f"Twilio refused the message ({status}, code {code})", permanent=True)
