"""This module contains the SMS channel: messages sent through the twilio SDK's async client.

Each message goes with a status callback (so delivery reports reach `/webhooks/twilio/status`)
and a validity period (so a "how are you?" stuck in a carrier queue is dropped, not delivered
hours late). Twilio's errors are sorted, by the one table in `errors`, into the answers the
dispatcher needs: try again (and when: a 429's Retry-After is honoured), give up on this number,
or give up on this message.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.rest import Client

from bot.channels.base import Outgoing, SendError
from bot.channels.twilio.errors import lookup
from bot.channels.twilio.http_client import RetryAfterHttpClient, last_retry_after
from bot.channels.twilio.status import STATUS_PATH
from bot.settings import Settings
from flows.sms import sms_info, split_for_sms_segments

log = logging.getLogger(__name__)

#: Twilio takes at most 1,600 characters; past 10 segments delivery gets unreliable, so longer
#: texts go as several messages, split between words.
MAX_SEGMENTS = 10
#: Twilio's longest validity period, in seconds.
MAX_VALIDITY = 36_000


class TwilioSms:
    name = "sms"

    def __init__(self, settings: Settings, *, timeout: float = 15.0) -> None:
        self._settings = settings
        self._timeout = timeout
        self._client: Client | None = None
        self._http: RetryAfterHttpClient | None = None
        #: The sids of the parts of a long message that Twilio has taken, by message id, while
        #: its other parts are still to go: a retry sends only the parts still missing.
        self._taken: dict[int, list[str]] = {}

    async def open(self) -> None:
        if self._client is not None:
            return
        # One pooled session for all sends, made here, inside the running event loop.
        http = RetryAfterHttpClient(pool_connections=False)
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
            raise send_error(exc.status, exc.code, last_retry_after()) from None
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


def send_error(status: int, code: object, retry_after: float | None = None) -> SendError:
    """What a Twilio refusal (HTTP status, Twilio error code, and the answer's Retry-After)
    means for the message and for the number."""
    code = code if isinstance(code, int) and not isinstance(code, bool) else None
    known = lookup(code)
    if known is not None and (known.permanent or known.unreachable or known.opted_out):
        if known.operator:
            log.error("Twilio refused a text for the account's settings", extra={"code": code})
        return SendError(
            f"{known.meaning} (Twilio {code})",
            permanent=known.permanent,
            unreachable=known.unreachable,
            opted_out=known.opted_out,
        )
    if status == 429 or code == 20429:
        wait = f", for {retry_after:g} s" if retry_after is not None else ""
        return SendError(f"Twilio asked us to slow down (429{wait})", retry_after=retry_after)
    if status >= 500:
        return SendError(f"Twilio had a server error ({status})", retry_after=retry_after)
    if status in (401, 403):
        # The account's credentials: nothing to do with this message, so keep it for when the
        # operator has fixed them, and say so loudly.
        log.error("Twilio refused our credentials", extra={"status": status})
        return SendError(f"Twilio refused the credentials ({status})")
    if known is not None:
        return SendError(f"{known.meaning} (Twilio {code})", retry_after=retry_after)
    return SendError(f"Twilio refused the message ({status}, code {code})", permanent=True)
