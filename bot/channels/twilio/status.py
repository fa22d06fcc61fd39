"""This module contains Twilio's status callback: delivery reports for the texts we sent.

A report moves a message's status forward only. Its error code is read from the one table in
`errors`: a number that is gone, or that texted STOP to its carrier, is marked so; an
undelivered message moves to the resident's other channel, or their catalyst is told why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response

from bot import failover
from bot.channels.twilio.errors import describe, lookup
from bot.channels.twilio.signature import TwilioRequests, twilio_number
from bot.channels.webhook_http import busy, refuse
from storage import messages
from storage.database import Database, DatabaseBusyError, waiting_at_most

log = logging.getLogger(__name__)

STATUS_PATH = "/webhooks/twilio/status"
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
#: Seconds a report waits for the write lock before answering 503 (Twilio retries callbacks).
LOCK_WAIT = 5.0


class StatusCallback:
    def __init__(self, requests: TwilioRequests, db: Database, wake: Callable[[], None]) -> None:
        self._requests = requests
        self._db = db
        self._wake = wake

    async def handle(self, request: Request) -> Response:
        form = await self._requests.form(request)
        if isinstance(form, Response):
            return form
        sid = form.get("MessageSid") or form.get("SmsSid", "")
        reported = (form.get("MessageStatus") or form.get("SmsStatus", "")).lower()
        status = TWILIO_STATUSES.get(reported)
        if not sid or status is None:
            return refuse(400, "MessageSid and a known MessageStatus are needed.")
        code = twilio_number(form.get("ErrorCode", ""))
        try:
            with waiting_at_most(LOCK_WAIT):
                await self._report(sid, status, code)
        except DatabaseBusyError:
            return busy()
        return Response(status_code=204)

    async def _report(self, sid: str, status: str, code: int | None) -> None:
        moved = None
        async with self._db.write() as tx:
            message = await messages.find_by_provider_id(tx, "sms", sid)
            if message is None or message.direction != "out":
                log.info("a status for a message we don't know", extra={"status": status})
                return
            error = f"Twilio error {code}" if code else None
            if not await messages.advance_status(tx, message, status, error):
                return
            known = lookup(code)
            lost = False
            if known is not None and (known.unreachable or known.opted_out):
                lost = await failover.lose_channel(
                    tx, "sms", message.address or "", opted_out=known.opted_out
                )
            if status in ("undelivered", "failed"):
                reason = describe(code) or error or status
                moved = await failover.undelivered(tx, message, reason, channel_lost=lost)
        if moved is not None:
            self._wake()
