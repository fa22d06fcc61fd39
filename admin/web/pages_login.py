"""This module contains the login and logout pages, and the home page each role lands on."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from starlette.responses import RedirectResponse, Response

from admin.web.framework import Page, PageError, PageRequest
from admin.web.security import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    safe_next,
    same_origin,
    tokens_match,
)
from bot.services.accounts import LoginRefused


@dataclass(frozen=True)
class LoginContext:
    next: str = field(metadata={"help": "Where to go after logging in (a path in the admin)."})
    username: str = field(metadata={"help": "The username typed last time, to type it again."})
    error: str = field(metadata={"help": "Why the last try did not log in, in plain words."})
    login_token: str = field(metadata={"help": "The form's own CSRF token, before any session."})


@dataclass(frozen=True)
class HomeContext:
    open_alerts: int = field(metadata={"help": "Open alerts the viewer should look at."})
    urgent_alerts: int = field(metadata={"help": "How many of those are urgent."})
    residents: int = field(metadata={"help": "Residents the viewer looks after (or all)."})


async def login_form(page: PageRequest) -> Response:
    if page.viewer is not None:
        return RedirectResponse(safe_next(page.query("next")), 303)
    return _login_page(page, page.query("next"), "", "")


async def log_in(page: PageRequest) -> Response:
    cookie = page.request.cookies.get(LOGIN_COOKIE, "")
    if not same_origin(page.request, page.site.public_origin) or not tokens_match(
        page.field("login_token"), cookie
    ):
        raise PageError(
            403, "This login form has expired or did not come from this site. Please try again."
        )
    username, target = page.field("username"), safe_next(page.field("next"))
    client = page.request.client
    try:
        done = await page.site.services.accounts.log_in(
            username,
            page.secret("password"),
            address=client.host if client else "",
            user_agent=page.request.headers.get("user-agent", ""),
        )
    except LoginRefused as exc:
        response = _login_page(page, target, username, exc.message, status=401)
        if exc.retry_after is not None:
            response.status_code = 429
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    response = RedirectResponse(target, 303)
    response.set_cookie(
        SESSION_COOKIE,
        done.secret,
        httponly=True,
        samesite="lax",
        secure=page.site.secure_cookies,
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/admin/login")
    return response


async def log_out(page: PageRequest) -> Response:
    secret = page.request.cookies.get(SESSION_COOKIE, "")
    await page.site.services.accounts.log_out(secret)
    response = RedirectResponse("/admin/login?out=1", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def home(page: PageRequest) -> Response:
    summary = await page.site.services.dashboard.summary(page.user)
    return page.render(
        "home.html",
        HomeContext(
            open_alerts=summary.open_alerts,
            urgent_alerts=summary.urgent_alerts,
            residents=summary.residents,
        ),
    )


def _login_page(
    page: PageRequest, target: str, username: str, error: str, status: int = 200
) -> Response:
    token = secrets.token_urlsafe(24)
    response = page.render(
        "login.html",
        LoginContext(next=safe_next(target), username=username, error=error, login_token=token),
        status=status,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=page.site.secure_cookies,
        path="/admin/login",
        max_age=3600,
    )
    return response


PAGES = (
    Page("/login", "login", login_form, public=True),
    Page("/login", "log_in", log_in, methods=("POST",), public=True),
    Page("/logout", "log_out", log_out, methods=("POST",)),
    Page("/", "home", home),
)
