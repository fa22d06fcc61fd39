"""Browser tests of safeguarding in the admin: trying a message on the phrase book, putting
someone on the duty list, and the new pages' accessibility and 200% zoom."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.admin.browser.conftest import Server, axe_check, log_in
from tests.admin.browser.test_alerts import pat_says_she_has_fallen
from tests.admin.browser.test_basics import _overflow


def test_staff_try_a_message_and_see_what_the_detector_finds(page: Page, server: Server) -> None:
    log_in(page, "sam")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Safeguarding").click()
    page.get_by_label("Message, as a resident might write it").fill("nie moge oddychac")
    page.get_by_role("button", name="Try it").click()
    expect(page.get_by_role("main")).to_contain_text("Trouble breathing")
    expect(page.get_by_role("main")).to_contain_text("Polish")


def test_staff_put_lisa_first_on_the_duty_list(page: Page, server: Server) -> None:
    log_in(page, "sam")
    page.goto("/admin/alerts")
    page.get_by_role("link", name="Who is on duty for urgent alerts").click()
    page.get_by_label("Person").select_option(
        label="Lisa Mensah (catalyst): cannot be alerted, has not chosen how to get alerts"
    )
    page.get_by_role("button", name="Add to the end of the list").click()
    expect(page.get_by_role("status")).to_contain_text("is now on the duty list")
    expect(page.get_by_role("table")).to_contain_text("Lisa")


def _new_pages(server: Server) -> list[str]:
    pat_says_she_has_fallen(server)
    (view,) = server.call(server.runtime.services.alerts.list_alerts("open"))
    pat = server.ids["Pat"]
    return [
        "/admin/safeguarding",
        "/admin/safeguarding/fall",
        "/admin/safeguarding/history",
        "/admin/duty",
        f"/admin/alerts/{view.alert.id}",
        f"/admin/residents/{pat}/consent",
        f"/admin/residents/{pat}/data",
        f"/admin/residents/{pat}/erase",
    ]


def test_axe_finds_no_serious_problem_on_the_safeguarding_and_privacy_pages(
    page: Page, server: Server
) -> None:
    paths = _new_pages(server)
    log_in(page, "ada")
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)


def test_the_safeguarding_and_privacy_pages_read_at_200_percent_zoom(
    page: Page, server: Server
) -> None:
    paths = _new_pages(server)
    page.set_viewport_size({"width": 640, "height": 400})
    log_in(page, "ada")
    wide = []
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        if _overflow(page):
            wide.append(f"{path}: {_overflow(page)}")
    assert not wide, "these pages scroll sideways at 200% zoom:\n" + "\n".join(wide)
