"""This module mounts the admin at `/admin`: its pages, its static files, and its 404 page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from admin.web.framework import not_found_page, page_route
from admin.web.pages import ALL_PAGES
from admin.web.site import Site
from admin.web.templating import build_templates

PREFIX = "/admin"


class Admin:
    def __init__(self, site: Site) -> None:
        self.site = site
        self.templates = build_templates()

    def mount(self) -> Mount:
        routes = [page_route(page, self.site, self.templates) for page in ALL_PAGES]
        static = StaticFiles(packages=[("admin", "static")])
        return Mount(PREFIX, routes=[*routes, Mount("/static", static, name="static")])

    def not_found(self, request: Request) -> Response:
        return not_found_page(self.site, self.templates, request)
