"""This module contains Twilio's inbound SMS webhook: a signed text becomes one inbound message.

The message is committed (recorded and routed, replies in the outbox) before the answer, so a
200 means it is safe; when another process holds the database's write lock, it is kept in the
spool instead (see `bot.channels.intake`), since Twilio does not retry an SMS webhook on 5xx.
Our answer is empty TwiML: replies go through the outbox.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.intake import Intake
from bot.channels.twilio.signature import TwilioRequests, twilio_number
from bot.channels.webhook_http import refuse
from bot.inbound import InboundMessage
from storage import messages
from storage.database import Database

SMS_PATH = "/webhooks/twilio/sms"
#: Twilio's keywords, when its Advanced Opt-Out has answered them already.
TWILIO_OPT_OUT_TYPES = frozenset({"STOP", "START", "HELP"})
#: Longer than any SMS Twilio hands on (1,600 characters), so a body past it is not Twilio's.
MAX_TEXT = 5000
#: Twilio's ids and E.164 numbers are short; these bounds keep junk out of the database.
MAX_ID = 64
MAX_ADDRESS = 32


def empty_twiml() -> Response:
    # An empty <Response/>: nothing for Twilio to send back; our replies go through the outbox.
    return Response(str(MessagingResponse()), media_type="text/xml")


class SmsWebhook:
    def __init__(self, requests: TwilioRequests, db: Database, intake: Intake) -> None:
        self._requests = requests
        self._db = db
        self._intake = intake

    async def handle(self, request: Request) -> Response:
        form = await self._requests.form(request)
        if isinstance(form, Response):
            return form
        sender, sid = form.get("From", ""), form.get("MessageSid") or form.get("SmsSid", "")
        if not sender or not sid:
            return refuse(400, "From and MessageSid are needed.")
        text = form.get("Body", "")
        if len(sid) > MAX_ID or len(sender) > MAX_ADDRESS or len(text) > MAX_TEXT:
            return refuse(400, "From, MessageSid or Body is longer than Twilio sends.")
        if await self._sent_by_us(sid):
            # Twilio never reuses an id; storing this one again would break its uniqueness.
            return refuse(400, "That MessageSid is one of our own messages.")
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
        await self._intake.take(inbound)
        return empty_twiml()

    async def _sent_by_us(self, sid: str) -> bool:
        async with self._db.read() as conn:
            message = await messages.find_by_provider_id(conn, "sms", sid)
        return message is not None and message.direction == "out"
