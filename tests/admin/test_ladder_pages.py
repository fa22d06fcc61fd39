"""Tests of a resident's escalation ladder in the admin: what each step does, a catalyst (their
own residents only) and staff setting a ladder of the resident's own or going back to the
programme's, audited; a ladder that cannot be read is explained and changes nothing."""

from __future__ import annotations

import html
import re

import httpx

from bot.services.audit import AuditEntry
from storage import people
from storage.records import Resident
from tests.admin.conftest import AdminWorld


def text_of(page: httpx.Response) -> str:
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    return html.unescape(re.sub(r" ([,.;:])", r"\1", words))


def resident(admin: AdminWorld, resident_id: int) -> Resident:
    async def read() -> Resident | None:
        async with admin.runtime.db.read() as conn:
            return await people.get_resident(conn, resident_id)

    found: Resident | None = admin.call(read)
    assert found is not None
    return found


def audit_about(admin: AdminWorld, resident_id: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = admin.call(
        admin.runtime.services.audit.entries, subject=f"resident:{resident_id}"
    )
    return entries


def test_abby_sees_what_happens_when_pat_does_not_answer(admin: AdminWorld) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    on_her_page = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "When Pat does not answer a check-in" in on_her_page
    assert "Pat follows the programme's ladder." in on_her_page
    page = text_of(admin.get(f"/admin/residents/{pat}/ladder"))
    assert "Pat follows the programme's ladder: 2h reminder, 2h other channel, 4h missed." in page
    assert "after 2h: the question again, where the check-in went" in page
    assert "after 2h more: the question again on their other channel, if they have one" in page
    assert "after 4h more: a missed check-in alert to their catalyst" in page
    assert "Nothing escalates while Pat is paused" in page


def test_abby_gives_pat_a_slower_ladder_then_puts_her_back_on_the_programmes(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    answer = admin.post(
        f"/admin/residents/{pat}/ladder", {"ladder": " 3h Reminder,  6 hours missed "}
    )
    assert answer.status_code == 303
    page = text_of(admin.get(answer.headers["location"]))
    assert "Pat's own ladder is set: 3h reminder, 6h missed." in page
    assert "after 6h more: a missed check-in alert to their catalyst" in page
    assert "other channel, if" not in page
    assert resident(admin, pat).ladder == "3h reminder, 6h missed"
    [entry] = [e for e in audit_about(admin, pat) if e.action == "set the check-in ladder"]
    assert entry.actor == "catalyst:abby" and entry.detail == {"ladder": "3h reminder, 6h missed"}

    assert "has a ladder of their own: 3h reminder, 6h missed" in text_of(
        admin.get(f"/admin/residents/{pat}")
    )
    answer = admin.post(f"/admin/residents/{pat}/ladder", {"ladder": ""})
    assert answer.status_code == 303
    assert "Pat follows the programme's ladder: 2h reminder" in text_of(
        admin.get(answer.headers["location"])
    )
    assert resident(admin, pat).ladder is None


def test_a_ladder_that_cannot_be_read_is_explained_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    pat = admin.ids["Pat"]
    for typed, explained in (
        ("2h reminder", "The ladder must end with missed"),
        ("2h reminder, 2h phone call, 4h missed", "Step 2 ('2h phone call') does not end with"),
        ("2 reminder, 4h missed", "'2' has no unit. Write 2m, 2h, 2d or 2w."),
        ("1d reminder, 2d missed", "The ladder takes 3d in all; at most 2d"),
        ("4h missed, 2h reminder", "Missed must be the last step"),
    ):
        answer = admin.post(f"/admin/residents/{pat}/ladder", {"ladder": typed})
        assert answer.status_code == 400, typed
        page = text_of(answer)
        assert "There is a problem" in page and explained in page, typed
        assert f'value="{html.escape(typed, quote=True)}"' in answer.text  # kept to correct
    assert resident(admin, pat).ladder is None
    assert not [e for e in audit_about(admin, pat) if e.action == "set the check-in ladder"]


def test_a_catalyst_cannot_see_or_set_another_catalysts_resident(admin: AdminWorld) -> None:
    admin.log_in("susie")
    pat = admin.ids["Pat"]
    assert admin.get(f"/admin/residents/{pat}/ladder").status_code == 404
    answer = admin.post(f"/admin/residents/{pat}/ladder", {"ladder": "1h missed"})
    assert answer.status_code == 404
    assert resident(admin, pat).ladder is None


def test_the_ladder_page_is_audited_as_a_view_of_the_resident(admin: AdminWorld) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    admin.get(f"/admin/residents/{pat}/ladder")
    assert any(e.action == "viewed" and e.actor == "catalyst:abby" for e in audit_about(admin, pat))
