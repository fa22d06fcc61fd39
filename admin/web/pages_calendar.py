"""This module contains "My calendar": the page where a catalyst makes (or resets) the secret
address of their calendar of check-ins, sees it once, and reads how to subscribe to it in
Outlook and Google Calendar; and the feed itself, served at /calendar/{secret}.ics outside the
admin, with no login (a calendar app cannot log in: the secret is the key)."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from admin.web.framework import Page, PageRequest
from admin.web.security import add_headers
from bot.services.access import Ability
from bot.services.bundle import Services
from bot.services.calendar_feed import FEED_PATH, WEEKS_AHEAD, CalendarStatus, feed_path
from bot.services.errors import NotFound

#: The admin's address, which events in the feed link to.
ADMIN = "/admin"


@dataclass(frozen=True)
class CalendarContext:
    status: CalendarStatus = field(
        metadata={"help": "Whether the viewer is a catalyst and has made an address yet."}
    )
    url: str | None = field(
        metadata={"help": "The new secret address, shown once just after it is made."}
    )
    weeks: int = field(metadata={"help": "How many weeks ahead the calendar shows."})


async def calendar_page(page: PageRequest) -> Response:
    status = await page.site.services.calendar_feed.status(page.user)
    return page.render("calendar.html", CalendarContext(status, None, WEEKS_AHEAD))


async def reset_link(page: PageRequest) -> Response:
    # Shown on this answer only, never stored or put in a notice: only its hash is kept.
    secret = await page.site.services.calendar_feed.reset(page.user)
    status = await page.site.services.calendar_feed.status(page.user)
    url = _base(page.request, page.site.public_origin) + feed_path(secret)
    response = page.render("calendar.html", CalendarContext(status, url, WEEKS_AHEAD))
    response.headers["Cache-Control"] = "no-store"
    return response


def _base(request: Request, public_origin: str | None) -> str:
    """The service's address as people reach it: the configured public one, else this
    request's own."""
    return public_origin or str(request.base_url).rstrip("/")


def feed_route(services: Services, public_origin: str | None) -> Route:
    """The feed's route, mounted beside /healthz by the composition root."""

    async def feed(request: Request) -> Response:
        secret = str(request.path_params.get("secret", ""))
        base = _base(request, public_origin)
        try:
            body = await services.calendar_feed.feed(secret, base + ADMIN)
        except NotFound:
            return add_headers(
                PlainTextResponse("There is no calendar at this address.", status_code=404)
            )
        response = Response(body, media_type="text/calendar; charset=utf-8")
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["Content-Disposition"] = 'inline; filename="check-ins.ics"'
        return add_headers(response)

    return Route(FEED_PATH, feed, methods=["GET"], name="calendar_feed")


PAGES = (
    Page("/calendar", "calendar", calendar_page, needs=Ability.LOOK_AFTER_RESIDENTS),
    Page(
        "/calendar/reset",
        "reset_calendar_link",
        reset_link,
        methods=("POST",),
        needs=Ability.LOOK_AFTER_RESIDENTS,
    ),
)
