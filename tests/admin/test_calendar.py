"""Tests of "My calendar": a catalyst makes her calendar's secret address, sees it once, and a
calendar app fetches it with no login; resetting it makes the old address answer 404; a form
without its CSRF token changes nothing; a login not linked to a catalyst is told why it has no
calendar."""

from __future__ import annotations

import html
import re

import icalendar

from storage import audit
from tests.admin.conftest import AdminWorld


def address_on(page: str) -> str:
    """The calendar address a page shows, as a path on this server."""
    found = re.search(r'id="calendar-url">http://testserver(/calendar/[^<]+\.ics)<', page)
    assert found, "the page shows the new address"
    return found.group(1)


def make_address(admin: AdminWorld) -> str:
    page = admin.post("/admin/calendar/reset")
    assert page.status_code == 200
    assert "it is shown only this once" in page.text
    return address_on(page.text)


def test_a_catalyst_makes_her_address_and_her_calendar_app_reads_it_without_a_login(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    assert '<a href="/admin/calendar">My calendar</a>' in admin.get("/admin/").text
    page = admin.get("/admin/calendar")
    assert page.status_code == 200
    assert "<h1>My calendar</h1>" in page.text
    assert "You have not made an address for your calendar yet." in page.text
    assert "Outlook" in page.text and "Google Calendar" in page.text
    path = make_address(admin)

    # Shown once: the page afterwards says there is one, without showing it.
    again = admin.get("/admin/calendar").text
    assert path not in again and "It is not shown again" in again

    admin.log_out()
    feed = admin.get(path)
    assert feed.status_code == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(feed.content)
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    # The demo's Pat is Abby's, on Tuesdays; Lucy is Susie's.
    assert "Check-in: Pat" in titles and "Check-in: Lucy" not in titles
    pat = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Check-in: Pat")
    assert f"http://testserver/admin/residents/{admin.ids['Pat']}" in str(pat["DESCRIPTION"])


def test_resetting_the_address_makes_the_old_one_answer_404_and_is_audited(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    old = make_address(admin)
    page = admin.get("/admin/calendar")
    assert "Make a new address (the old one stops working)" in page.text
    new = make_address(admin)
    assert new != old
    assert admin.get(old).status_code == 404
    assert "There is no calendar at this address." in admin.get(old).text
    assert admin.get(new).status_code == 200
    assert admin.get("/calendar/not-a-real-one.ics").status_code == 404

    async def actions() -> list[str]:
        async with admin.runtime.db.read() as conn:
            return [e["action"] for e in await audit.entries(conn, actor="catalyst:abby")]

    assert admin.call(actions).count("reset calendar link") == 2


def test_a_reset_without_the_forms_token_changes_nothing(admin: AdminWorld) -> None:
    admin.log_in("abby")
    path = make_address(admin)
    refused = admin.post("/admin/calendar/reset", {}, csrf=False)
    assert refused.status_code == 403
    assert admin.get(path).status_code == 200


def test_a_login_not_linked_to_a_catalyst_is_told_why_it_has_no_calendar(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    page = admin.get("/admin/calendar")
    assert page.status_code == 200
    words = html.unescape(page.text)
    assert "Your login is not linked to a catalyst" in words
    assert 'action="/admin/calendar/reset"' not in page.text
    refused = admin.post("/admin/calendar/reset")
    assert refused.status_code == 409
    assert "not linked to a catalyst" in html.unescape(refused.text)


def test_nobody_logged_in_is_sent_to_log_in_for_the_page(admin: AdminWorld) -> None:
    page = admin.get("/admin/calendar")
    assert page.status_code == 303 and page.headers["location"].startswith("/admin/login")
