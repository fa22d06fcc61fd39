"""Browser tests of the alerts inbox: Pat says she has fallen, Abby sees it first thing, says
she is on it, and closes it with a note of what she did."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.admin.browser.conftest import Server, axe_check, log_in

pytestmark = pytest.mark.browser


def pat_says_she_has_fallen(server: Server) -> None:
    """Pat writes in the web chat, as residents do; the safeguarding triage raises the alert."""
    server.call(
        server.runtime.services.webchat.say(server.ids["Pat"], "I've had a fall and can't get up")
    )


def test_abby_acknowledges_pats_fall_and_closes_it_with_a_note(page: Page, server: Server) -> None:
    pat_says_she_has_fallen(server)
    log_in(page, "abby")
    page.get_by_role("main").get_by_role("link", name="Alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alerts")
    card = page.get_by_role("listitem").filter(has_text="I've had a fall")
    expect(card).to_contain_text("Pat")
    card.get_by_role("button", name="I'm on it").click()
    expect(page.get_by_role("status")).to_contain_text("You are on alert")
    expect(page.get_by_text("No open alerts here.")).to_be_visible()

    page.get_by_role("link", name="Someone is on it (1)").click()
    card = page.get_by_role("listitem").filter(has_text="I've had a fall")
    expect(card).to_contain_text("abby (catalyst) said they are on it")
    card.get_by_role("link", name="Close with a note").click()
    page.get_by_role("button", name="Close alert").click()  # nothing written yet
    # The browser's own check (the field is required) stops an empty note and shows where.
    expect(page.get_by_label("What was done")).to_be_focused()
    page.get_by_label("What was done").fill("Rang Pat: her neighbour helped her up, she is fine.")
    page.get_by_role("button", name="Close alert").click()
    expect(page.get_by_role("status")).to_contain_text("is closed")
    note = "Rang Pat: her neighbour helped her up, she is fine."
    expect(page.get_by_text(note, exact=True)).to_be_visible()
    # The safeguarding record keeps it too, with who closed it.
    expect(page.get_by_text(f"abby (catalyst) closed it: {note}")).to_be_visible()
    (view,) = server.call(server.runtime.services.alerts.list_alerts("closed"))
    assert view.alert.resident_id == server.ids["Pat"]


def test_axe_finds_no_serious_problem_on_the_alerts_pages(page: Page, server: Server) -> None:
    pat_says_she_has_fallen(server)
    log_in(page, "sam")
    page.goto("/admin/alerts")
    axe_check(page)
    card = page.get_by_role("listitem").filter(has_text="I've had a fall")
    card.get_by_role("heading").get_by_role("link").click()
    expect(page.get_by_role("heading", level=2, name="Close this alert")).to_be_visible()
    axe_check(page)
