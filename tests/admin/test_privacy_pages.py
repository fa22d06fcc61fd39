"""Tests of the privacy pages: a resident's data to read and download (staff, admins, and a
catalyst for their own residents only), and erasing a resident (admins only, after typing the
preferred name; refused while a safeguarding alert is open). After erasure nothing of Pat's
name, number, texts or notes is on any page, and the figures count what they counted."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import httpx

from bot.services.audit import AuditEntry
from storage import identities
from tests.admin.conftest import AdminWorld

PAT_NUMBER = "+447700900123"
PAT_SAYS = "My jigsaw club moved to Fridays"
NOTE = "Pat's daughter Jo visits on Sundays"
FALL = "I've had a fall and can't get up"
PATS_WORDS = ("Pat", "Patricia", "Fuller", PAT_NUMBER, "jigsaw", "Jo visits")


def text_of(page: httpx.Response) -> str:
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    return html.unescape(re.sub(r" ([,.;:])", r"\1", words))


def audit_about(admin: AdminWorld, resident_id: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = admin.call(
        admin.runtime.services.audit.entries, subject=f"resident:{resident_id}"
    )
    return entries


def pats_story(admin: AdminWorld) -> int:
    """Pat has a number and said something; Abby wrote a note about her."""
    pat = admin.ids["Pat"]

    async def give_number() -> None:
        async with admin.runtime.db.write() as tx:
            await identities.add_identity(tx, "sms", PAT_NUMBER, resident_id=pat)

    admin.call(give_number)
    admin.call(admin.runtime.services.webchat.say, pat, PAT_SAYS)
    admin.log_in("abby")
    assert admin.post(f"/admin/residents/{pat}/notes", {"note": NOTE}).status_code == 303
    return pat


def close_pats_alerts(admin: AdminWorld, pat: int) -> None:
    for view in admin.call(admin.runtime.services.alerts.list_alerts):
        if view.alert.resident_id == pat and view.alert.status != "closed":
            admin.log_in("abby")
            closed = admin.post(f"/admin/alerts/{view.alert.id}/close", {"note": "Rang her"})
            assert closed.status_code == 303


def test_staff_and_her_catalyst_read_and_download_pats_data(admin: AdminWorld) -> None:
    pat = pats_story(admin)
    for who in ("abby", "sam", "ada"):
        admin.log_in(who)
        page = admin.get(f"/admin/residents/{pat}/data")
        assert page.status_code == 200
        seen = text_of(page)
        assert "Pat's data" in seen and "How we reach you" in seen
        assert PAT_NUMBER in seen and PAT_SAYS in seen and NOTE in seen
        assert "What you agreed to" in seen

    download = admin.get(f"/admin/residents/{pat}/data.json")
    assert download.status_code == 200
    assert f'filename="resident-{pat}-data.json"' in download.headers["content-disposition"]
    data = json.loads(download.text)
    assert data["resident"]["full_name"] == "Patricia Fuller"
    assert [n["text"] for n in data["notes"]] == [NOTE]
    summary = admin.get(f"/admin/residents/{pat}/data.txt")
    assert summary.headers["content-type"].startswith("text/plain")
    assert "Your messages (" in summary.text and PAT_SAYS in summary.text

    actions = [(e.actor, e.action) for e in audit_about(admin, pat)]
    assert ("catalyst:abby", "exported their data") in actions
    assert ("admin:ada", "exported their data") in actions


def test_a_catalyst_cannot_export_another_catalysts_resident(admin: AdminWorld) -> None:
    lucy = admin.ids["Lucy"]
    admin.log_in("abby")
    for path in ("data", "data.json", "data.txt", "erase"):
        assert admin.get(f"/admin/residents/{lucy}/{path}").status_code in (403, 404)
    assert admin.get(f"/admin/residents/{lucy}/data").status_code == 404
    assert admin.get(f"/admin/residents/{lucy}/data.json").status_code == 404
    assert ("catalyst:abby", "exported their data") not in [
        (e.actor, e.action) for e in audit_about(admin, lucy)
    ]


def test_only_an_admin_is_offered_and_may_erase(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    for who in ("abby", "sam"):
        admin.log_in(who)
        page = admin.get(f"/admin/residents/{pat}")
        assert "Everything held about Pat" in text_of(page)
        assert f"/admin/residents/{pat}/erase" not in page.text
        assert admin.get(f"/admin/residents/{pat}/erase").status_code == 403
        assert admin.post(f"/admin/residents/{pat}/erase", {"name": "Pat"}).status_code == 403
    admin.log_in("ada")
    assert f"/admin/residents/{pat}/erase" in admin.get(f"/admin/residents/{pat}").text
    form = text_of(admin.get(f"/admin/residents/{pat}/erase"))
    assert "Type Pat to confirm" in form and "Any safeguarding record is kept" in form
    assert "1 way to reach them" in form and "0 alert summaries" in form
    wrong = admin.post(f"/admin/residents/{pat}/erase", {"name": "Lucy"})
    assert wrong.status_code == 400
    assert "Type Pat's preferred name exactly as shown" in text_of(wrong)
    assert 'value="Lucy"' in wrong.text
    assert "Patricia Fuller" in admin.get(f"/admin/residents/{pat}").text


def test_erasing_is_refused_while_a_safeguarding_alert_is_open(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.call(admin.runtime.services.webchat.say, pat, FALL)
    admin.log_in("ada")
    form = text_of(admin.get(f"/admin/residents/{pat}/erase"))
    assert "Pat has a safeguarding alert that is still open" in form
    refused = admin.post(f"/admin/residents/{pat}/erase", {"name": "Pat"})
    assert refused.status_code == 409
    assert "still open" in text_of(refused)
    assert "Patricia Fuller" in admin.get(f"/admin/residents/{pat}").text


def test_after_erasure_no_page_shows_anything_of_pat(admin: AdminWorld) -> None:
    pat = pats_story(admin)
    close_pats_alerts(admin, pat)
    admin.log_in("ada")
    figures_before = admin.call(admin.runtime.services.figures.overview)

    done = admin.post(f"/admin/residents/{pat}/erase", {"name": "pat"})
    assert done.status_code == 303 and done.headers["location"] == f"/admin/residents/{pat}"

    page = text_of(admin.get(f"/admin/residents/{pat}"))
    assert f"Erased resident R{pat}" in page
    assert "This resident's personal data was erased" in page
    seen = page
    for path in (
        "/admin/residents",
        "/admin/residents?name=Pat",
        "/admin/alerts?status=closed",
        f"/admin/residents/{pat}/data",
        f"/admin/residents/{pat}/data.json",
        "/admin/figures",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        seen += text_of(response)
    for alert in admin.call(admin.runtime.services.alerts.list_alerts):
        if alert.alert.resident_id == pat:
            seen += text_of(admin.get(f"/admin/alerts/{alert.alert.id}"))
    # The audit log about Pat (the demo's own "seeded" entry lists its residents by name).
    seen += json.dumps([entry.detail for entry in audit_about(admin, pat)])
    for words in PATS_WORDS:
        assert words not in seen, words

    (entry,) = [e for e in audit_about(admin, pat) if e.action == "erased"]
    assert entry.actor == "admin:ada"
    assert entry.detail["removed"]["notes"] == 1
    assert NOTE not in json.dumps(entry.detail)
    figures_after = admin.call(admin.runtime.services.figures.overview)
    before = {figure.name: figure for figure in figures_before.figures}
    after = {figure.name: figure for figure in figures_after.figures}
    assert before.keys() == after.keys()
    for name, figure in before.items():
        if name == "residents":  # Pat now counts as stopped rather than active
            assert figure.total == after[name].total
        else:
            assert figure == after[name], name
    again = text_of(admin.get(f"/admin/residents/{pat}/erase"))
    assert "was erased on" in again and "to confirm" not in again


def test_the_conversation_shows_a_text_removed_after_12_months(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    now = admin.clock.now()
    admin.clock.moment = now - timedelta(days=400)
    admin.call(admin.runtime.services.webchat.say, pat, PAT_SAYS)
    admin.clock.moment = now
    close_pats_alerts(admin, pat)  # the alert her message raised keeps it until it is closed
    run = admin.call(admin.runtime.services.retention.run)
    assert run.removed >= 1
    admin.log_in("abby")
    page = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "(removed after 12 months)" in page and PAT_SAYS not in page
