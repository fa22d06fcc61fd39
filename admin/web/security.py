"""This module contains the admin's request checks: the session cookie, CSRF tokens with the
`Origin` header, and the headers every page is sent with."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "companion_session"
#: Before login there is no session, so the login form carries a token of its own in a cookie
#: (double submit): a login forced by another site is refused.
LOGIN_COOKIE = "companion_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

HEADERS = {
    # No scripts or styles from anywhere else, no framing, no inline script.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Pages hold people's personal details: never kept in a shared computer's cache.
    "Cache-Control": "no-store",
}


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def same_origin(request: Request, public_origin: str | None) -> bool:
    """Whether the request came from one of our own pages, as far as the browser tells.

    Browsers send `Origin` with every POST; when an old one sends neither it nor `Referer`,
    the CSRF token alone decides.
    """
    allowed = {own_origin(request)}
    if public_origin:
        allowed.add(public_origin)
    origin = request.headers.get("origin")
    if origin is not None:
        return origin in allowed
    referer = request.headers.get("referer")
    if referer is not None:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" in allowed
    return True


def tokens_match(given: str | None, expected: str) -> bool:
    return bool(given) and hmac.compare_digest(str(given), expected)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: only a path within the admin, never another site."""
    if (
        target
        and target.startswith("/admin")
        and "\\" not in target
        and all(ch.isprintable() and ch != " " for ch in target)
    ):
        return target
    return "/admin/"
