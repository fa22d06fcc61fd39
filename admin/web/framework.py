"""This module turns page handlers into Starlette routes, with everything a page needs checked
first: a live session, the role's ability, the CSRF token and `Origin` on every POST, ids
(`*_id`, digits) and keys (`*_key`, a flow's id) in the path, and the form's size. Errors
become pages in plain words, never a 500 with a trace.

A handler is declared once as a `Page`, takes a `PageRequest`, and returns a response (a
rendered template or a redirect).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any
from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.templating import Jinja2Templates

from admin.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    add_headers,
    same_origin,
    tokens_match,
)
from admin.web.site import Site
from bot.services.access import Ability, Viewer
from bot.services.accounts import StaffSession
from bot.services.errors import Busy, Conflict, Invalid, NotFound, ServiceError, Unavailable
from bot.services.ids import parse_id

log = logging.getLogger(__name__)

#: What a text key in a path may be (a flow's id): anything else names nothing, so 404.
KEY = re.compile(r"[a-z0-9_]{1,60}")

#: The largest form a page takes (a CSV import included).
MAX_FORM = 2 * 1024 * 1024

Handler = Callable[["PageRequest"], Awaitable[Response]]


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    name: str
    handler: Handler
    methods: tuple[str, ...] = ("GET",)
    #: What the viewer must be able to do; None: any logged-in account.
    needs: Ability | None = None
    #: Served without a login (the login page itself).
    public: bool = False


@dataclass
class PageRequest:
    """One request to a page: who asks, the ids in its path, its form, and how to answer."""

    request: Request
    site: Site
    templates: Jinja2Templates
    viewer: Viewer | None
    session: StaffSession | None
    ids: dict[str, int]
    form: FormData | None = None
    #: Text keys in the path (params named `*_key`, such as a flow's id `weekly_checkin`).
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def user(self) -> Viewer:
        """The logged-in viewer (pages that are not public always have one)."""
        assert self.viewer is not None
        return self.viewer

    def field(self, name: str, default: str = "") -> str:
        """A form field as text, with surrounding spaces removed; uploads read as empty."""
        value = self.form.get(name) if self.form is not None else None
        return value.strip() if isinstance(value, str) else default

    def secret(self, name: str) -> str:
        """A form field exactly as typed (a password: its spaces count)."""
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""

    def fields(self, name: str) -> list[str]:
        if self.form is None:
            return []
        return [v.strip() for v in self.form.getlist(name) if isinstance(v, str)]

    def query(self, name: str, default: str = "") -> str:
        return self.request.query_params.get(name, default).strip()

    def render(self, template: str, context: object, status: int = 200) -> Response:
        """Render `template` with the fields of the page's context dataclass."""
        assert is_dataclass(context) and not isinstance(context, type)
        values = {f.name: getattr(context, f.name) for f in fields(context)}
        return self.templates.TemplateResponse(
            self.request, template, {**self._common(), **values}, status_code=status
        )

    def redirect(self, path: str, notice: str | None = None) -> Response:
        """See other page (after a POST), leaving a notice for it."""
        if notice and self.session is not None:
            self.site.notify(self.session.id, notice)
        return RedirectResponse(path, status_code=303)

    def _common(self) -> dict[str, Any]:
        notices = self.site.take_notices(self.session.id) if self.session else []
        return page_globals(self.site, self.request, self.viewer, self.session, notices)


def page_globals(
    site: Site,
    request: Request,
    viewer: Viewer | None = None,
    session: StaffSession | None = None,
    notices: list[str] | None = None,
) -> dict[str, Any]:
    """What every template is given besides its page's own context (base.html uses these)."""
    return {
        "viewer": viewer,
        "csrf_token": session.csrf_token if session else "",
        "programme_name": site.programme_name,
        "notices": notices or [],
        "Ability": Ability,
        "current_path": request.url.path,
    }


def page_route(page: Page, site: Site, templates: Jinja2Templates) -> Route:
    async def endpoint(request: Request) -> Response:
        try:
            response = await _serve(page, site, templates, request)
        except PageError as exc:
            response = _error_page(request, site, templates, exc.status, exc.message)
        except ServiceError as exc:
            status, retry = _status_of(exc)
            response = _error_page(request, site, templates, status, exc.message)
            if retry is not None:
                response.headers["Retry-After"] = str(retry)
        except Exception:
            log.exception("admin page failed", extra={"page": page.name})
            response = _error_page(
                request, site, templates, 500, "Something went wrong on our side. Please try again."
            )
        return add_headers(response)

    return Route(page.path, endpoint, methods=list(page.methods), name=page.name)


class PageError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


async def _serve(page: Page, site: Site, templates: Jinja2Templates, request: Request) -> Response:
    viewer: Viewer | None = None
    session: StaffSession | None = None
    found = await site.services.accounts.session(request.cookies.get(SESSION_COOKIE, ""))
    if found is not None:
        viewer, session = found
    if not page.public:
        if viewer is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/admin/login?next={quote(target, safe='')}", 303)
        if page.needs is not None and not viewer.may(page.needs):
            raise PageError(403, f"Your account cannot {page.needs.value}.")
    ids: dict[str, int] = {}
    keys: dict[str, str] = {}
    for name, value in request.path_params.items():
        if name.endswith("_key"):
            if not KEY.fullmatch(str(value)):
                raise PageError(404, "There is nothing at this address.")
            keys[name] = str(value)
            continue
        number = parse_id(str(value))
        if number is None:
            raise PageError(404, "There is nothing at this address.")
        ids[name] = number
    form = None
    if request.method == "POST":
        form = await _read_form(request)
        if not page.public:
            assert session is not None
            given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
            if not same_origin(request, site.public_origin) or not tokens_match(
                given if isinstance(given, str) else None, session.csrf_token
            ):
                raise PageError(
                    403,
                    "This form has expired or did not come from this site. Go back, reload "
                    "the page and try again.",
                )
    try:
        return await page.handler(
            PageRequest(request, site, templates, viewer, session, ids, form, keys)
        )
    finally:
        if form is not None:
            await form.close()  # an uploaded file's spooled temporary file


async def _read_form(request: Request) -> FormData:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_FORM):
        raise PageError(413, "That is too much to send at once (the most is 2 MB).")
    try:
        return await request.form(max_files=1, max_fields=2000, max_part_size=MAX_FORM)
    except Exception as exc:  # a malformed body, whatever the parser calls it
        raise PageError(400, "The form could not be read. Please try again.") from exc


def _status_of(exc: ServiceError) -> tuple[int, int | None]:
    if isinstance(exc, NotFound):
        return 404, None
    if isinstance(exc, Invalid):
        return 400, None
    if isinstance(exc, Conflict):
        return 409, None
    if isinstance(exc, Busy):
        return 503, exc.retry_after
    if isinstance(exc, Unavailable):
        return 503, None
    return 400, None


def _error_page(
    request: Request, site: Site, templates: Jinja2Templates, status: int, message: str
) -> Response:
    titles = {
        400: "That did not work",
        403: "Not for this account",
        404: "Not found",
        409: "That has changed",
        413: "Too much at once",
        503: "Busy just now",
    }
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            **page_globals(site, request),
            "title": titles.get(status, "Something went wrong"),
            "message": message,
            "status": status,
        },
        status_code=status,
    )


def not_found_page(site: Site, templates: Jinja2Templates, request: Request) -> Response:
    """The admin's answer to an address with no page."""
    return add_headers(
        _error_page(request, site, templates, 404, "There is nothing at this address.")
    )
