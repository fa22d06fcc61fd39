"""This module lists every admin page, one tuple of `Page`s per module: adding a page module
is adding a line here."""

from __future__ import annotations

from admin.web import (
    pages_accounts,
    pages_alerts,
    pages_calendar,
    pages_consent,
    pages_duty,
    pages_figures,
    pages_flow_try,
    pages_flows,
    pages_ladder,
    pages_login,
    pages_pause,
    pages_privacy,
    pages_resident_new,
    pages_residents,
    pages_safeguarding,
    pages_webchat,
)
from admin.web.framework import Page

ALL_PAGES: tuple[Page, ...] = (
    *pages_login.PAGES,
    *pages_accounts.PAGES,
    *pages_alerts.PAGES,
    *pages_duty.PAGES,
    *pages_figures.PAGES,
    *pages_safeguarding.PAGES,
    *pages_webchat.PAGES,
    # Before pages_residents: /residents/new must not be read as a resident's id.
    *pages_resident_new.PAGES,
    *pages_flow_try.PAGES,
    *pages_flows.PAGES,
    *pages_consent.PAGES,
    *pages_residents.PAGES,
    *pages_privacy.PAGES,
    *pages_pause.PAGES,
    *pages_ladder.PAGES,
    *pages_calendar.PAGES,
)
