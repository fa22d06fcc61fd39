"""Browser tests of looking after residents: a catalyst finds her resident in the list, sets a
check-in rhythm in plain terms, is told plainly when the time makes no sense, and the pages pass
axe-core's check."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.admin.browser.conftest import Server, axe_check, log_in

pytestmark = pytest.mark.browser


def test_abby_sets_pats_rhythm_to_tuesdays_and_fridays_at_ten(page: Page, server: Server) -> None:
    log_in(page, "abby")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Residents").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Residents")
    # A catalyst's list holds her own residents only.
    expect(page.get_by_role("link", name="Pat", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Lucy", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Pat", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pat")

    rhythm = page.get_by_role("group", name="Set the rhythm")
    rhythm.get_by_label("Every").fill("1")
    rhythm.get_by_label("Days, weeks, fortnights or months").select_option(label="weeks")
    for day in ("Tuesday", "Friday"):
        rhythm.get_by_label(day).check()
    for day in ("Monday", "Wednesday", "Thursday", "Saturday", "Sunday"):
        rhythm.get_by_label(day).uncheck()
    rhythm.get_by_label("At", exact=True).fill("10:00")
    rhythm.get_by_role("button", name="Set the rhythm").click()

    words = "Every Tuesday and Friday at 10am"
    expect(page.get_by_role("status")).to_have_text(f"Check-ins set: {words}.")
    expect(page.get_by_text("Check-ins:")).to_contain_text(words)
    schedule = server.call(server.runtime.services.schedules.get(server.ids["Pat"]))
    assert schedule is not None and schedule.rule is not None
    assert "BYDAY=TU,FR;BYHOUR=10;BYMINUTE=0" in schedule.rule


def test_a_time_that_makes_no_sense_is_explained_beside_the_field_and_changes_nothing(
    page: Page, server: Server
) -> None:
    pat = server.ids["Pat"]
    before = server.call(server.runtime.services.schedules.get(pat))
    log_in(page, "abby")
    page.goto(f"/admin/residents/{pat}")
    rhythm = page.get_by_role("group", name="Set the rhythm")
    rhythm.get_by_label("At", exact=True).fill("25:99")
    rhythm.get_by_role("button", name="Set the rhythm").click()
    problem = "'25:99' is not a time of day"
    expect(page.get_by_role("alert")).to_contain_text(problem)
    # Said again in the form itself, with what was typed kept to correct.
    rhythm = page.get_by_role("group", name="Set the rhythm")
    expect(rhythm).to_contain_text(problem)
    at = rhythm.get_by_label("At", exact=True)
    expect(at).to_have_value("25:99")
    expect(at).to_have_attribute("aria-invalid", "true")
    expect(at).to_have_accessible_description(re.compile(problem))
    page.get_by_role("alert").get_by_role("link").click()
    expect(at).to_be_focused()
    assert server.call(server.runtime.services.schedules.get(pat)) == before


def test_axe_finds_no_serious_problem_on_the_residents_pages(page: Page, server: Server) -> None:
    log_in(page, "sam")
    page.goto("/admin/residents")
    axe_check(page)
    page.goto(f"/admin/residents/{server.ids['Pat']}")
    axe_check(page)
