"""Browser tests of the row of check-in marks: Abby reads Pat's last four weeks on the residents
list and on Pat's page, as a picture with a text alternative and in words, opens the key to the
marks, makes her calendar's address; and the pages pass axe-core's check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from storage import checkins
from tests.admin.browser.conftest import Server, axe_check, log_in

pytestmark = pytest.mark.browser

#: Pat's last four Tuesdays, oldest first: (weeks ago, status, mood, her words).
PATS_WEEKS = (
    (3, "answered", "good", None),
    (2, "answered", "good", "my knee is better"),
    (1, "missed", None, None),
    (0, "answered", "low", "a bit lonely"),
)


async def pats_four_weeks(server: Server) -> None:
    now = server.clock.now() - timedelta(hours=1)
    async with server.runtime.db.write() as tx:
        for weeks, status, mood, said in PATS_WEEKS:
            found = await checkins.record(
                tx,
                resident_id=server.ids["Pat"],
                flow_id="weekly_checkin",
                due_at=now - timedelta(weeks=weeks),
                started_at=now - timedelta(weeks=weeks),
                channel="webchat",
            )
            await checkins.settle(tx, found, status, mood=mood, said=said)


def test_abby_reads_pats_last_four_weeks_as_a_picture_and_in_words(
    page: Page, server: Server
) -> None:
    server.call(pats_four_weeks(server))
    log_in(page, "abby")
    page.goto("/admin/residents")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Pat", exact=True))
    marks = row.get_by_role("img", name="Last 4 weeks: good, good, missed, low")
    expect(marks).to_be_visible()
    expect(marks).to_have_text("GGML")
    expect(row).to_contain_text("2 good, 1 missed, 1 low")
    # The key says what each letter and colour means.
    page.get_by_text("What the check-in marks mean").click()
    expect(page.get_by_role("listitem").filter(has_text="missed").first).to_be_visible()
    axe_check(page)

    row.get_by_role("link", name="Pat", exact=True).click()
    expect(page.get_by_role("heading", name="How check-ins have gone")).to_be_visible()
    expect(page.get_by_role("img", name="Last 4 weeks: good, good, missed, low")).to_be_visible()
    history = page.get_by_role("table", name="Pat's latest check-ins")
    expect(history.get_by_role("row").nth(1)).to_contain_text("a bit lonely")
    expect(history.get_by_role("row").nth(2)).to_contain_text("missed")
    axe_check(page)


def test_abby_makes_her_calendars_address_and_the_page_passes_axe(
    page: Page, server: Server
) -> None:
    log_in(page, "abby")
    page.goto("/admin/residents")
    page.get_by_role("link", name="My calendar of check-ins").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My calendar")
    axe_check(page)
    page.get_by_role("button", name="Make my calendar's address").click()
    expect(page.locator("#calendar-url")).to_contain_text("/calendar/")
    expect(page.locator("#calendar-url")).to_contain_text(".ics")
    axe_check(page)


def test_the_marks_history_and_calendar_read_at_200_percent_zoom(
    page: Page, server: Server
) -> None:
    server.call(pats_four_weeks(server))
    # 200% zoom on a 1280x800 laptop screen leaves 640x400 CSS pixels.
    page.set_viewport_size({"width": 640, "height": 400})
    log_in(page, "abby")
    wide = []
    for path in ("/admin/residents", f"/admin/residents/{server.ids['Pat']}", "/admin/calendar"):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width, window = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
        if width > window:
            wide.append(f"{path}: {width - window} px too wide")
    assert not wide, "these pages scroll sideways at 200% zoom:\n" + "\n".join(wide)
