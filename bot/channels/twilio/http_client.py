"""This module contains the twilio SDK's own async HTTP client, taught to keep Retry-After.

The SDK turns an error answer into `TwilioRestException`, which keeps the status and Twilio's
error code but drops the response's headers, so a 429's Retry-After is lost. The SDK lets a
caller supply its HTTP client; this one notes each answer's Retry-After in a context variable.
A send runs in its own task, so concurrent sends each read their own answer's value.
"""

from __future__ import annotations

import math
from contextvars import ContextVar
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response

_retry_after: ContextVar[float | None] = ContextVar("twilio_retry_after", default=None)


class RetryAfterHttpClient(AsyncTwilioHttpClient):  # type: ignore[misc]
    async def request(self, *args: Any, **kwargs: Any) -> Response:
        _retry_after.set(None)
        response: Response = await super().request(*args, **kwargs)
        headers = response.headers or {}
        _retry_after.set(parse_retry_after(headers.get("Retry-After")))
        return response


def last_retry_after() -> float | None:
    """Seconds the last answer in this task asked us to wait, if it said."""
    return _retry_after.get()


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """A Retry-After header's wait in seconds: a number of seconds, or an HTTP date; None when
    absent or unreadable (never negative)."""
    if value is None:
        return None
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 9:
        return float(text)
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
