"""This module contains what every provider's webhook shares: reading a bounded body, and the
one JSON shape of a refusal."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

#: Twilio's and Telegram's requests are a few kilobytes; anything far bigger is not theirs.
MAX_BODY = 256 * 1024
#: Seconds a provider (or web chat) is asked to wait when the database is busy.
BUSY_RETRY_AFTER = 30


def refuse(status: int, message: str, *, retry_after: int | None = None) -> Response:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
    return JSONResponse(
        {"ok": False, "error": message, "status": status}, status_code=status, headers=headers
    )


def busy() -> Response:
    """A clear 503 for when the database could not take the message now: the caller may try
    again later, and a provider that retries on 5xx (Telegram) will."""
    return refuse(
        503,
        "The service is busy storing other work; please try again shortly.",
        retry_after=BUSY_RETRY_AFTER,
    )


async def read_body(request: Request) -> bytes | Response:
    """The body, or a 413 refusal as soon as it grows past MAX_BODY (never read in full)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return refuse(413, "The request is too large.")
    return bytes(body)
