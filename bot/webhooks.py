"""This module contains the providers' webhooks: Twilio's inbound SMS and delivery statuses,
and Telegram's updates.

Each request is checked to be genuine before anything else: Twilio's signature (computed by the
twilio library, over COMPANION_PUBLIC_URL plus the path, since a proxy in front hands on a
different URL), Telegram's secret token (compared in constant time). A request that is not
genuine is refused with 403 and changes nothing. An inbound message is committed (recorded and
routed, replies in the outbox) before the answer, so a 200 means it is safe; sending happens
behind it.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.datastructures import MultiDict
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot import failover
from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.telegram_updates import WEBHOOK_PATH as TELEGRAM_PATH
from storage import messages

log = logging.getLogger(__name__)

SMS_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
#: Twilio's and Telegram's requests are a few kilobytes; anything far bigger is not theirs.
MAX_BODY = 256 * 1024
#: Twilio's keywords, when its Advanced Opt-Out has answered them already.
TWILIO_OPT_OUT_TYPES = frozenset({"STOP", "START", "HELP"})
#: Twilio's delivery statuses, as ours.
TWILIO_STATUSES = {
    "accepted": "sending",
    "scheduled": "sending",
    "queued": "sending",
    "sending": "sending",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "cancelled",
}
#: Status callback error codes that mean the number itself is gone (30005 unknown number,
#: 30006 landline or unreachable carrier); 21610 is handled as an opt-out.
NUMBER_GONE = {30005, 30006, 21211, 21614}
#: What the commonest delivery error codes mean, for staff.
DELIVERY_ERRORS = {
    21610: "the number has opted out with its carrier (Twilio 21610)",
    30003: "the phone is off or out of signal (Twilio 30003)",
    30004: "the number blocks our messages (Twilio 30004)",
    30005: "the number is unknown or no longer in use (Twilio 30005)",
    30006: "the number is a landline or cannot receive texts (Twilio 30006)",
    30007: "the carrier filtered the message (Twilio 30007)",
    30008: "the carrier could not deliver it (Twilio 30008)",
}


def twilio_number(text: str) -> int | None:
    """A count or error code Twilio sent as text, or None when it is not one.

    Only ASCII digits, and not too many: str.isdigit() also accepts "²" and other scripts'
    digits, which int() refuses, and int() refuses more than 4,300 digits.
    """
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def refuse(status: int, message: str) -> Response:
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def empty_twiml() -> Response:
    # An empty <Response/>: nothing for Twilio to send back; our replies go through the outbox.
    return Response(str(MessagingResponse()), media_type="text/xml")


def webhook_routes(services: Runtime) -> list[Route]:
    settings = services.settings
    validator = RequestValidator(settings.twilio_auth_token.reveal())

    async def read_body(request: Request) -> bytes | Response:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return refuse(413, "The request is too large.")
        return body

    async def twilio_form(request: Request) -> MultiDict | Response:
        """The form Twilio posted, if its signature is good; else the refusal to send."""
        if not settings.twilio_enabled:
            return refuse(404, "SMS is not set up on this service.")
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        try:
            form = MultiDict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except (UnicodeDecodeError, ValueError):
            return refuse(400, "The body is not a form.")
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature or not validator.validate(signed_url(request), form, signature):
            log.warning("refused a Twilio request with a bad signature")
            return refuse(403, "The Twilio signature is missing or wrong.")
        if form.get("AccountSid") not in (None, settings.twilio_account_sid):
            return refuse(403, "The request is for another Twilio account.")
        return form

    def signed_url(request: Request) -> str:
        # Twilio signs the URL it called; behind a proxy that is the public one, not ours.
        base = settings.public_url or f"{request.url.scheme}://{request.url.netloc}"
        query = request.url.query
        return f"{base}{request.url.path}" + (f"?{query}" if query else "")

    async def twilio_sms(request: Request) -> Response:
        form = await twilio_form(request)
        if isinstance(form, Response):
            return form
        sender, sid = form.get("From", ""), form.get("MessageSid") or form.get("SmsSid", "")
        if not sender or not sid:
            return refuse(400, "From and MessageSid are needed.")
        if await sent_by_us(sid):
            # Twilio never reuses an id; storing this one again would break its uniqueness.
            return refuse(400, "That MessageSid is one of our own messages.")
        text = form.get("Body", "")
        media = twilio_number(form.get("NumMedia", "0")) or 0
        if media > 0:
            text = f"{text} (and {media} picture{'s' if media != 1 else ''})".strip()
        inbound = InboundMessage(
            "sms",
            sender,
            text,
            sid,
            provider_replied=form.get("OptOutType", "").upper() in TWILIO_OPT_OUT_TYPES,
        )
        await services.pipeline.handle(inbound)
        return empty_twiml()

    async def sent_by_us(sid: str) -> bool:
        async with services.db.read() as conn:
            message = await messages.find_by_provider_id(conn, "sms", sid)
        return message is not None and message.direction == "out"

    async def twilio_status(request: Request) -> Response:
        form = await twilio_form(request)
        if isinstance(form, Response):
            return form
        sid = form.get("MessageSid") or form.get("SmsSid", "")
        reported = (form.get("MessageStatus") or form.get("SmsStatus", "")).lower()
        status = TWILIO_STATUSES.get(reported)
        if not sid or status is None:
            return refuse(400, "MessageSid and a known MessageStatus are needed.")
        code = twilio_number(form.get("ErrorCode", ""))
        await delivery_report(sid, status, code)
        return Response(status_code=204)

    async def delivery_report(sid: str, status: str, code: int | None) -> None:
        moved = None
        async with services.db.write() as tx:
            message = await messages.find_by_provider_id(tx, "sms", sid)
            if message is None or message.direction != "out":
                log.info("a status for a message we don't know", extra={"status": status})
                return
            error = f"Twilio error {code}" if code else None
            if not await messages.advance_status(tx, message, status, error):
                return
            lost = False
            if code == 21610 or code in NUMBER_GONE:
                lost = await failover.lose_channel(
                    tx, "sms", message.address or "", opted_out=code == 21610
                )
            if status in ("undelivered", "failed"):
                reason = DELIVERY_ERRORS.get(code or 0, error or status)
                moved = await failover.undelivered(tx, message, reason, channel_lost=lost)
        if moved is not None:
            services.dispatcher.wake()

    async def telegram(request: Request) -> Response:
        updates = services.telegram_updates
        if updates is None or settings.telegram_mode != "webhook":
            return refuse(404, "Telegram is not set up for webhooks on this service.")
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), settings.telegram_secret_token.encode()):
            log.warning("refused a Telegram request with a bad secret token")
            return refuse(403, "The secret token is missing or wrong.")
        body = await read_body(request)
        if isinstance(body, Response):
            return body
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            return refuse(400, "The body is not JSON.")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return refuse(400, "The body is not a Telegram update.")
        try:
            update = updates.parse(data)
        except (KeyError, TypeError, ValueError, AttributeError):
            # Telegram's own updates always parse; this one was mangled on the way.
            log.warning("refused a Telegram update that does not parse")
            return refuse(400, "The update could not be read.")
        await updates.take(update)
        return Response(status_code=200)

    def post(path: str, endpoint: Callable[[Request], Awaitable[Response]]) -> Route:
        return Route(path, endpoint, methods=["POST"])

    return [
        post(SMS_PATH, twilio_sms),
        post(STATUS_PATH, twilio_status),
        post(TELEGRAM_PATH, telegram),
    ]
