"""This module lists every admin page, one tuple of `Page`s per module: adding a page module
is adding a line here."""

from __future__ import annotations

from admin.web import pages_accounts, pages_login, pages_residents
from admin.web.framework import Page

ALL_PAGES: tuple[Page, ...] = (
    *pages_login.PAGES,
    *pages_accounts.PAGES,
    *pages_residents.PAGES,
)
