"""This module contains a fake Twilio REST API on loopback, and Twilio's signed calls to the app.

The real twilio SDK is pointed at it (``client.api.base_url = fake.url``). It speaks the parts of
the 2010-04-01 Messages API the service uses, with Twilio's form bodies, JSON resources and error
shapes, and can fail on purpose: injected errors, refused numbers and slow answers.
"""

from __future__ import annotations

import asyncio
import base64
import math
import re
import time
import uuid
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from types import TracebackType
from typing import Any, Self

import aiohttp
from aiohttp import web

# twilio ships no type information; unused-ignore keeps this quiet once mypy is told to skip it.
from twilio.request_validator import (  # type: ignore[import-untyped, unused-ignore]
    RequestValidator,
)

from tests.fakes import serve_on_loopback

API_VERSION = "2010-04-01"

#: Twilio's own wording for the errors the fake produces, by error code.
ERROR_MESSAGES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    20503: "Service Unavailable",
    21211: "The 'To' number is not a valid phone number.",
    21602: "Message body is required.",
    21603: "A 'From' phone number is required.",
    21604: "A 'To' phone number is required.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    21617: "The concatenated message body exceeds the 1600 character limit.",
    21624: "Validity period can only be set to integers between 1 and 36,000 seconds.",
}

# Twilio reports HTTP-level failures with a five-digit code of its own rather than the status.
_CODE_FOR_STATUS = {401: 20003, 404: 20404, 429: 20429, 500: 20500, 503: 20503}

_E164 = re.compile(r"\+[1-9]\d{6,14}")

# The GSM 03.38 alphabet: a body in it costs one septet a character (two for the extension
# table); anything else makes the whole message UCS-2. Twilio bills and reports segments so.
_GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = set("\f^{}\\[~]|€")


def count_segments(body: str) -> int:
    """The number of SMS segments Twilio would report for this body."""
    if all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in body):
        units, single, part = sum(2 if c in _GSM_EXTENSION else 1 for c in body), 160, 153
    else:
        units, single, part = len(body.encode("utf-16-le")) // 2, 70, 67
    return 1 if units <= single else math.ceil(units / part)


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's JSON error document (the legacy shape the SDK turns into TwilioRestException)."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass
class SentSms:
    """A message the fake accepted for sending."""

    sid: str
    to: str
    from_: str | None
    messaging_service_sid: str | None
    body: str
    status_callback: str | None
    validity_period: int | None
    at: float


@dataclass
class TwilioAttempt:
    """One request to the Messages API, accepted or refused, and what the fake answered."""

    params: dict[str, str]
    status: int
    code: int | None
    at: float


@dataclass
class _Failure:
    status: int
    code: int
    message: str
    retry_after: str | None = None


class FakeTwilio:
    """A loopback Twilio REST API for one account, used as ``async with FakeTwilio() as fake``."""

    def __init__(
        self,
        account_sid: str = "AC" + "0" * 31 + "1",
        auth_token: str = "fake-twilio-auth-token",
        *,
        number: str = "+447700900123",
        messaging_service_sid: str | None = None,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        #: The app's own Twilio number: the ``To`` of inbound messages.
        self.number = number
        #: Set when the app sends through a messaging service; added to inbound webhooks.
        self.messaging_service_sid = messaging_service_sid
        self.sent: list[SentSms] = []
        self.attempts: list[TwilioAttempt] = []
        self._failures: deque[_Failure] = deque()
        self._delays: deque[float] = deque()
        self._refused: dict[str, int] = {}
        self._validator = RequestValidator(auth_token)
        self._runner: web.AppRunner | None = None
        self._port = 0

    # --- the server ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post(
            f"/{API_VERSION}/Accounts/{{account_sid}}/Messages.json", self._create_message
        )
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        self._runner, self._port = await serve_on_loopback(app)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """The base URL to give the SDK as ``client.api.base_url``."""
        if not self._port:
            raise RuntimeError("FakeTwilio is not running; use it as an async context manager")
        return f"http://127.0.0.1:{self._port}"

    # --- failing on purpose ------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        code: int | None = None,
        message: str | None = None,
        times: int = 1,
        *,
        retry_after: str | None = None,
    ) -> None:
        """Make the next ``times`` send requests fail with Twilio's error JSON (and a
        ``Retry-After`` header when given, as Twilio sends with a 429)."""
        code = code if code is not None else _CODE_FOR_STATUS.get(status, status)
        message = message or ERROR_MESSAGES.get(code, f"HTTP {status}")
        self._failures.extend(_Failure(status, code, message, retry_after) for _ in range(times))

    def refuse(self, to_number: str, code: int = 21610) -> None:
        """Make every send to ``to_number`` fail with 400 and ``code`` (21610, 21211, 21614)."""
        self._refused[to_number] = code

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Make the next ``times`` send requests answer only after ``seconds``."""
        self._delays.extend(seconds for _ in range(times))

    # --- the Messages API --------------------------------------------------------------------

    async def _not_found(self, request: web.Request) -> web.Response:
        return _error(404, 20404, f"The requested resource {request.path} was not found")

    async def _create_message(self, request: web.Request) -> web.Response:
        params = {key: str(value) for key, value in (await request.post()).items()}
        response, code = self._answer(request, params)
        self.attempts.append(TwilioAttempt(params, response.status, code, time.monotonic()))
        if self._delays:
            # The message is already accepted (or refused) when the answer is slow, as at
            # Twilio: a client that times out and retries may send it twice.
            await asyncio.sleep(self._delays.popleft())
        return response

    def _answer(
        self, request: web.Request, params: dict[str, str]
    ) -> tuple[web.Response, int | None]:
        if not self._authorised(request.headers.get("Authorization", "")):
            return _error(401, 20003), 20003
        if request.match_info["account_sid"] != self.account_sid:
            return _error(404, 20404, f"The requested resource {request.path} was not found"), 20404
        if self._failures:
            failure = self._failures.popleft()
            response = _error(failure.status, failure.code, failure.message)
            if failure.retry_after is not None:
                response.headers["Retry-After"] = failure.retry_after
            return response, failure.code
        refusal = self._refusal(params)
        if refusal is not None:
            return _error(400, refusal), refusal
        return web.json_response(self._accept(params), status=201), None

    def _authorised(self, header: str) -> bool:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            credentials = base64.b64decode(encoded).decode()
        except ValueError:
            return False
        return credentials == f"{self.account_sid}:{self.auth_token}"

    def _refusal(self, params: dict[str, str]) -> int | None:
        """The error code Twilio would refuse these parameters with, if any."""
        to = params.get("To", "")
        if not to:
            return 21604
        if not params.get("From") and not params.get("MessagingServiceSid"):
            return 21603
        if not params.get("Body"):
            return 21602
        if not _E164.fullmatch(to):
            return 21211
        if len(params["Body"]) > 1600:
            return 21617
        validity = params.get("ValidityPeriod", "1")
        if not validity.isdigit() or not 1 <= int(validity) <= 36000:
            return 21624
        return self._refused.get(to)

    def _accept(self, params: dict[str, str]) -> dict[str, Any]:
        sid = "SM" + uuid.uuid4().hex
        service = params.get("MessagingServiceSid") or None
        validity = params.get("ValidityPeriod")
        self.sent.append(
            SentSms(
                sid=sid,
                to=params["To"],
                from_=params.get("From") or None,
                messaging_service_sid=service,
                body=params["Body"],
                status_callback=params.get("StatusCallback") or None,
                validity_period=int(validity) if validity else None,
                at=time.monotonic(),
            )
        )
        now = format_datetime(datetime.now(UTC))
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}"
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": params["Body"],
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": params.get("From") or None,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": str(count_segments(params["Body"])),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            # A messaging service picks the sender later, so Twilio first says "accepted".
            "status": "accepted" if service else "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": params["To"],
            "uri": f"{uri}.json",
        }

    # --- Twilio calling the app --------------------------------------------------------------

    def sign(self, url: str, params: dict[str, str]) -> str:
        """The ``X-Twilio-Signature`` Twilio would send with these form parameters to ``url``."""
        return str(self._validator.compute_signature(url, params))

    async def send_inbound(
        self,
        webhook_url: str,
        from_: str,
        body: str,
        *,
        to: str | None = None,
        message_sid: str | None = None,
        extra: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        """POST an inbound SMS to the app as Twilio does; returns the app's status and text."""
        sid = message_sid or "SM" + uuid.uuid4().hex
        params = {
            "ToCountry": "GB",
            "ToState": "",
            "SmsMessageSid": sid,
            "NumMedia": "0",
            "ToCity": "",
            "FromZip": "",
            "SmsSid": sid,
            "FromState": "",
            "SmsStatus": "received",
            "FromCity": "",
            "Body": body,
            "FromCountry": "GB",
            "To": to or self.number,
            "ToZip": "",
            "NumSegments": str(count_segments(body)),
            "MessageSid": sid,
            "AccountSid": self.account_sid,
            "From": from_,
            "ApiVersion": API_VERSION,
        }
        if self.messaging_service_sid:
            params["MessagingServiceSid"] = self.messaging_service_sid
        params.update(extra or {})
        return await self.post_signed(webhook_url, params)

    async def send_status(
        self, callback_url: str, sid: str, status: str, *, error_code: int | None = None
    ) -> tuple[int, str]:
        """POST a status callback for message ``sid`` (e.g. "delivered", "undelivered")."""
        message = next((sent for sent in self.sent if sent.sid == sid), None)
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "AccountSid": self.account_sid,
            "From": (message.from_ if message else None) or self.number,
            "To": message.to if message else "",
            "ApiVersion": API_VERSION,
        }
        service = message.messaging_service_sid if message else self.messaging_service_sid
        if service:
            params["MessagingServiceSid"] = service
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return await self.post_signed(callback_url, params)

    async def post_signed(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        """POST form ``params`` to ``url`` signed with the auth token, as Twilio's webhooks are."""
        headers = {
            "X-Twilio-Signature": self.sign(url, params),
            "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
            "User-Agent": "TwilioProxy/1.1",
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=params, headers=headers) as response,
        ):
            return response.status, await response.text()

    # --- for tests ---------------------------------------------------------------------------

    async def wait_for_sent(self, n: int, timeout: float = 5.0) -> list[SentSms]:
        """Wait until at least ``n`` messages were accepted; fail with what was sent if not."""
        deadline = time.monotonic() + timeout
        while len(self.sent) < n:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {n} SMS within {timeout}s, got {self.sent!r}")
            await asyncio.sleep(0.01)
        return self.sent


def _error(status: int, code: int, message: str | None = None) -> web.Response:
    return web.json_response(
        error_body(status, code, message or ERROR_MESSAGES.get(code, "")), status=status
    )
