"""This module is the composition root: it builds the one ASGI app that serves everything.

Webhooks, the JSON API and web chat share one port; the lifespan opens the database and starts
the scheduler and dispatcher, and closes them in reverse on the way out.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, Router

from admin.api.errors import error_response
from admin.api.framework import openapi, route
from admin.api.resources import endpoints
from admin.web.app import PREFIX as ADMIN_PREFIX
from admin.web.app import Admin
from admin.web.pages_calendar import feed_route
from admin.web.site import Site
from bot.runtime import Runtime
from bot.webhooks import webhook_routes

log = logging.getLogger(__name__)

VERSION = "0.1.0"


def create_app(services: Runtime, *, background: bool = True) -> Starlette:
    api = endpoints(services.services)
    public_url = services.settings.public_url
    admin = Admin(
        Site(
            services.services,
            services.programme.name,
            secure_cookies=public_url.startswith("https://"),
            public_origin=_origin(public_url),
        )
    )

    async def authenticate(token: str) -> str | None:
        found = await services.services.tokens.authenticate(token)
        return found.role if found else None

    async def healthz(_: Request) -> Response:
        health = services.health()
        ok = health["database"] == "ok"
        return JSONResponse({"ok": ok, **health}, status_code=200 if ok else 503)

    async def openapi_json(_: Request) -> Response:
        return JSONResponse(openapi(api, "Companion API", VERSION))

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await services.start(background=background)
        for channel, status in services.settings.channel_status().items():
            level = logging.INFO if status == "on" else logging.WARNING
            log.log(level, "channel %s: %s", channel, status, extra={"channel": channel})
        try:
            yield
        finally:
            await services.stop()

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status == 404 and request.url.path.startswith(ADMIN_PREFIX):
            return admin.not_found(request)
        message = {
            404: "There is nothing at this address.",
            405: "That method is not allowed here.",
        }
        return error_response(status, message.get(status, "The request could not be handled."))

    async def admin_home(_: Request) -> Response:
        return RedirectResponse(ADMIN_PREFIX + "/", status_code=308)

    api_routes: list[Any] = [route(e, authenticate) for e in api]
    api_routes.append(Route("/openapi.json", openapi_json))
    app = Starlette(
        routes=[
            Route("/healthz", healthz),
            *webhook_routes(services),
            feed_route(services.services, _origin(public_url)),
            Mount("/api/v1", app=Router(api_routes, redirect_slashes=False)),
            Route(ADMIN_PREFIX, admin_home),
            admin.mount(),
        ],
        lifespan=lifespan,
        exception_handlers={HTTPException: not_found},
    )
    # An address that names nothing is a 404, not a redirect to a guess at another address
    # (an id of "/" in an API path would otherwise be sent on elsewhere).
    app.router.redirect_slashes = False
    return app


def _origin(url: str) -> str | None:
    """The scheme and host of a URL ("https://companion.example.org"), or None when empty."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
