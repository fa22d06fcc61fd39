"""This module contains the check that a request really comes from Twilio.

The twilio library computes the signature over COMPANION_PUBLIC_URL plus the path (a proxy in
front hands on a different URL), the form, and the auth token. A request that is not genuine is
refused with 403 and changes nothing; a body that is not a form gets 400, one far too big 413.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl

from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import Response
from twilio.request_validator import RequestValidator

from bot.channels.webhook_http import read_body, refuse
from bot.settings import Settings

log = logging.getLogger(__name__)

#: Twilio's forms have a few dozen fields; thousands mean the body is not Twilio's.
MAX_FIELDS = 200


class TwilioRequests:
    """Reads Twilio's signed form posts for one account."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._validator = RequestValidator(settings.twilio_auth_token.reveal())

    async def form(self, request: Request) -> MultiDict | Response:
        """The form Twilio posted, if its signature is good; else the refusal to send."""
        settings = self._settings
        if not settings.twilio_enabled:
            return refuse(404, "SMS is not set up on this service.")
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        try:
            fields = parse_qsl(
                body.decode("utf-8"),
                keep_blank_values=True,
                strict_parsing=False,
                max_num_fields=MAX_FIELDS,
            )
        except (UnicodeDecodeError, ValueError):
            return refuse(400, "The body is not a form.")
        form = MultiDict(fields)
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not self._validator.validate(
            self._signed_url(request), form, signature
        ):
            log.warning("refused a Twilio request with a bad signature")
            return refuse(403, "The Twilio signature is missing or wrong.")
        if form.get("AccountSid") not in (None, settings.twilio_account_sid):
            return refuse(403, "The request is for another Twilio account.")
        return form

    def _signed_url(self, request: Request) -> str:
        # Twilio signs the URL it called; behind a proxy that is the public one, not ours.
        base = self._settings.public_url or f"{request.url.scheme}://{request.url.netloc}"
        query = request.url.query
        return f"{base}{request.url.path}" + (f"?{query}" if query else "")


def twilio_number(text: str) -> int | None:
    """A count or error code Twilio sent as text, or None when it is not one.

    Only ASCII digits, and not too many: str.isdigit() also accepts "²" and other scripts'
    digits, which int() refuses, and int() refuses more than 4,300 digits.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
