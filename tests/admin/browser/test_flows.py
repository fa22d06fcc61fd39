"""Browser tests of writing flows, as staff who do not know YAML would: change a message through
the step's form, see the mistake shown beside the step, be refused a publish with the reason,
fix it, run the flow's scenario tests, publish, go back to the old revision, and chat with the
draft in the simulator."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.admin.browser.conftest import Server, axe_check, log_in

pytestmark = pytest.mark.browser

GLAD = "Wording of glad message 1 (en)"
MISTAKE = "That's lovely to hear, {{ resident.prefered_name }}. Talk soon."
FIXED = "That's lovely to hear, {{ resident.preferred_name }}. Talk soon."


def open_weekly_checkin(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Flows").click()
    page.get_by_role("link", name="Weekly check-in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Weekly check-in")


def glad_step(page: Page) -> Locator:
    """The card of the step `glad` (its heading also gives its line in the YAML)."""
    return page.get_by_role("region", name=re.compile(r"^glad\b"))


def save_glad_wording(page: Page, text: str) -> None:
    glad = glad_step(page)
    glad.get_by_label(GLAD).fill(text)
    glad.get_by_role("button", name="Save wording (en)").click()


def test_sam_fixes_a_mistake_runs_the_tests_publishes_and_goes_back_to_the_old_revision(
    page: Page, server: Server
) -> None:
    editor = server.runtime.services.flow_editor
    log_in(page, "sam")
    open_weekly_checkin(page)

    save_glad_wording(page, MISTAKE)
    glad = glad_step(page)
    expect(glad).to_contain_text("'resident.prefered_name' is not known")
    expect(page.get_by_role("region", name="Check")).to_contain_text("1 problem to fix")

    page.get_by_role("button", name="Publish this draft").click()
    refusal = page.get_by_role("alert").filter(has_text="Not published")
    expect(refusal).to_contain_text("'resident.prefered_name' is not known")
    expect(refusal).to_contain_text("The live flow has not changed.")
    assert len(server.call(editor.revisions("weekly_checkin"))) == 1

    save_glad_wording(page, FIXED)
    expect(page.get_by_role("region", name="Check")).to_contain_text("No problems")
    expect(glad_step(page).get_by_label(GLAD)).to_have_value(FIXED)

    page.get_by_role("navigation", name="This flow").get_by_role("link", name="Tests").click()
    page.get_by_role("button", name="Run the tests").click()
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("status")).to_contain_text(" passed, 0 failed.")
    expect(results.get_by_text("Failed", exact=True)).to_have_count(0)

    page.get_by_role("navigation", name="This flow").get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Publish this draft").click()
    expect(page.get_by_role("status")).to_have_text(
        "Published as revision 2: new conversations use it now."
    )
    revisions = server.call(editor.revisions("weekly_checkin"))
    assert [r.number for r in revisions] == [2, 1]
    assert "Talk soon." in server.call(editor.revision("weekly_checkin", 2)).source

    # Second thoughts: back to the words residents know.
    page.get_by_role("navigation", name="This flow").get_by_role("link", name="Revisions").click()
    page.get_by_role("button", name="Restore revision 1 to the draft").click()
    expect(page.get_by_role("status")).to_have_text(
        "The draft is now revision 1. Publish it to make it live."
    )
    expect(glad_step(page).get_by_label(GLAD)).not_to_contain_text("Talk soon.")
    page.get_by_role("button", name="Publish this draft").click()
    expect(page.get_by_role("status")).to_contain_text("Published as revision 3")
    assert "Talk soon." not in server.call(editor.revision("weekly_checkin", 3)).source


def test_sam_chats_with_the_draft_as_pat_and_takes_the_no_reply_branch(page: Page) -> None:
    log_in(page, "sam")
    open_weekly_checkin(page)
    page.get_by_role("navigation", name="This flow").get_by_role("link", name="Simulate").click()
    page.get_by_label("Resident").select_option(label="Pat (catalyst Abby)")
    page.get_by_role("button", name="Start").click()
    chat = page.get_by_role("region", name="Conversation with Pat")
    expect(chat).to_contain_text("Hi Pat, it's Abby. How are you this week?")

    page.get_by_label("Reply as Pat").fill("3")
    page.get_by_role("button", name="Send the reply").click()
    expect(chat).to_contain_text("I'm sorry you're not feeling so good, Pat.")

    page.get_by_role("button", name="No reply came").click()
    expect(chat.get_by_role("listitem").last).not_to_contain_text("You, as Pat")

    page.get_by_role("button", name="Restart from the beginning").click()
    expect(page.get_by_text("I'm sorry you're not feeling so good")).to_have_count(0)


def test_axe_finds_no_serious_problem_on_the_flow_pages(page: Page) -> None:
    log_in(page, "sam")
    for path in (
        "/admin/flows",
        "/admin/flows/weekly_checkin",
        "/admin/flows/weekly_checkin/simulate",
        "/admin/flows/weekly_checkin/tests",
        "/admin/flows/weekly_checkin/revisions",
        "/admin/flows/weekly_checkin/revisions/1",
        "/admin/flows/weekly_checkin/picture",
    ):
        page.goto(path)
        axe_check(page)
