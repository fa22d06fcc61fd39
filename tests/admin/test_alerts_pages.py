"""Tests of the alerts pages: each role's inbox, urgent before routine and newest first,
"I'm on it", closing with a note (a missing note is explained and changes nothing), an alert's
history, and a catalyst reaching for another catalyst's resident's alert."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from storage import alerts as stored_alerts
from storage import people
from storage.records import Alert
from tests.admin.conftest import AdminWorld


def _raise(admin: AdminWorld, name: str | None, kind: str, urgency: str, summary: str) -> int:
    """An alert about a demo resident (or nobody), as the bot raises them."""

    async def go() -> Alert:
        async with admin.runtime.db.write() as tx:
            if name is None:
                return await stored_alerts.raise_alert(
                    tx,
                    resident_id=None,
                    catalyst_id=None,
                    kind=kind,
                    urgency=urgency,
                    summary=summary,
                )
            resident = await people.get_resident(tx, admin.ids[name])
            assert resident is not None
            return await stored_alerts.alert_for(
                tx, resident, kind=kind, urgency=urgency, summary=summary
            )

    alert: Alert = admin.call(go)
    admin.clock.advance(timedelta(minutes=5))
    return alert.id


def _order(page: str) -> list[str]:
    """The alerts' summaries in the order the inbox lists them."""
    return [html.unescape(s) for s in re.findall(r"<dt>What</dt>\s*<dd>([^<]*)</dd>", page)]


def _alert(admin: AdminWorld, alert_id: int) -> Alert:
    async def go() -> Alert | None:
        async with admin.runtime.db.read() as conn:
            return await stored_alerts.get_alert(conn, alert_id)

    found: Alert | None = admin.call(go)
    assert found is not None
    return found


def _audit(admin: AdminWorld, action: str) -> list[tuple[str, str]]:
    entries = admin.call(admin.runtime.services.audit.entries)
    return [(e.actor, e.subject) for e in entries if e.action == action]


def test_abby_sees_only_her_residents_alerts_urgent_first_then_newest(admin: AdminWorld) -> None:
    _raise(admin, "Pat", "message", "routine", "Pat sent a message for you (oldest)")
    _raise(admin, "Pat", "risk", "urgent", "Pat may need help now (older urgent)")
    _raise(admin, "Lucy", "risk", "urgent", "Lucy may need help now")
    _raise(admin, "Pat", "pace", "routine", "Pat asked to pause (newest routine)")
    _raise(admin, "Pat", "flow", "urgent", "Pat is not feeling so good (newest urgent)")
    admin.log_in("abby")
    page = admin.get("/admin/alerts")
    assert page.status_code == 200
    assert _order(page.text) == [
        "Pat is not feeling so good (newest urgent)",
        "Pat may need help now (older urgent)",
        "Pat asked to pause (newest routine)",
        "Pat sent a message for you (oldest)",
    ]
    assert "Lucy" not in page.text
    # Urgency in words as well as colour; the resident links to their page; how long ago.
    assert '<span class="tag urgent">Urgent</span>' in page.text
    assert "Routine</span>" in page.text
    assert f'href="/admin/residents/{admin.ids["Pat"]}"' in page.text
    assert "(10 minutes ago)" in page.text
    # A catalyst has no "mine / all / unassigned" choice: all she sees is hers.
    assert "Unassigned" not in page.text


def test_staff_see_every_alert_and_can_narrow_to_unassigned_or_mine(admin: AdminWorld) -> None:
    _raise(admin, "Pat", "risk", "urgent", "Pat may need help now")
    nobody = _raise(admin, None, "unknown_sender", "routine", "A message from a new number")
    _raise(admin, "Lucy", "message", "routine", "Lucy sent a message")
    admin.log_in("sam")
    everyone = admin.get("/admin/alerts")
    assert _order(everyone.text) == [
        "Pat may need help now",
        "Lucy sent a message",
        "A message from a new number",
    ]
    assert "A message from someone we don&#39;t know yet" in everyone.text
    unassigned = admin.get("/admin/alerts?show=unassigned")
    assert _order(unassigned.text) == ["A message from a new number"]
    assert admin.get("/admin/alerts?show=mine").text.count("<dt>What</dt>") == 0
    admin.post(f"/admin/alerts/{nobody}/acknowledge", {"back": "list"})
    mine = admin.get("/admin/alerts?status=acknowledged&show=mine")
    assert _order(mine.text) == ["A message from a new number"]
    assert "sam (staff) said they are on it" in mine.text


def test_im_on_it_acknowledges_the_alert_and_writes_the_audit_log(admin: AdminWorld) -> None:
    alert_id = _raise(admin, "Pat", "risk", "urgent", "Pat may need help now")
    admin.log_in("abby")
    answer = admin.post(f"/admin/alerts/{alert_id}/acknowledge", {"back": "list"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/admin/alerts"
    inbox = admin.get("/admin/alerts")
    assert f"You are on alert A{alert_id}." in inbox.text
    assert _order(inbox.text) == []
    taken = admin.get("/admin/alerts?status=acknowledged")
    assert _order(taken.text) == ["Pat may need help now"]
    assert "abby (catalyst) said they are on it, Tue 24 Nov 2026, 10:05" in taken.text
    assert _alert(admin, alert_id).acknowledged_by == "catalyst:abby"
    assert ("catalyst:abby", f"resident:{admin.ids['Pat']}") in _audit(admin, "acknowledged alert")


def test_closing_needs_a_note_and_a_closed_alert_shows_it(admin: AdminWorld) -> None:
    alert_id = _raise(admin, "Pat", "risk", "urgent", "Pat may need help now")
    admin.log_in("abby")
    refused = admin.post(f"/admin/alerts/{alert_id}/close", {"note": "   "})
    assert refused.status_code == 400
    assert "Write a note of what was done" in refused.text
    assert 'aria-invalid="true"' in refused.text
    assert _alert(admin, alert_id).status == "open"
    assert _audit(admin, "closed alert") == []

    note = "Rang her: she's fine <b>and</b> going to bingo"
    closed = admin.post(f"/admin/alerts/{alert_id}/close", {"note": note})
    assert closed.status_code == 303
    assert closed.headers["location"] == f"/admin/alerts/{alert_id}"
    assert _alert(admin, alert_id).status == "closed"
    one = admin.get(f"/admin/alerts/{alert_id}")
    assert f"Alert A{alert_id} is closed." in one.text
    page = admin.get("/admin/alerts?status=closed")
    assert note in html.unescape(page.text)
    assert "&lt;b&gt;and&lt;/b&gt;" in page.text
    assert "<b>and</b>" not in page.text
    assert "abby (catalyst) closed it." in one.text
    assert "Close this alert" not in one.text
    assert ("catalyst:abby", f"resident:{admin.ids['Pat']}") in _audit(admin, "closed alert")
    # Closing twice is refused, in words.
    again = admin.post(f"/admin/alerts/{alert_id}/close", {"note": "again"})
    assert again.status_code == 409
    assert "already closed" in again.text


def test_one_alert_shows_the_message_that_raised_it_and_its_history(admin: AdminWorld) -> None:
    admin.call(admin.runtime.services.webchat.say, admin.ids["Pat"], "I had a fall <help>")
    [view] = admin.call(admin.runtime.services.alerts.list_alerts, "open")
    admin.log_in("abby")
    page = admin.get(f"/admin/alerts/{view.alert.id}")
    assert page.status_code == 200
    assert "I had a fall &lt;help&gt;" in page.text
    # A risk alert's history is its safeguarding record, what was said first.
    assert "Pat wrote by webchat: \u201cI had a fall &lt;help&gt;\u201d" in page.text
    assert "The fixed reply was sent at once" in page.text
    assert ("catalyst:abby", f"resident:{admin.ids['Pat']}") in _audit(admin, "viewed alert")


def test_an_alert_without_a_record_shows_its_history(admin: AdminWorld) -> None:
    alert_id = _raise(admin, "Pat", "pace", "routine", "Pat would like check-ins paused")
    admin.log_in("abby")
    page = admin.get(f"/admin/alerts/{alert_id}").text
    assert "The alert was raised." in page and "Safeguarding record" not in page


def test_a_catalyst_reaching_for_another_catalysts_alert_gets_404(admin: AdminWorld) -> None:
    lucys = _raise(admin, "Lucy", "risk", "urgent", "Lucy may need help now")
    admin.log_in("abby")
    assert admin.get(f"/admin/alerts/{lucys}").status_code == 404
    assert admin.get("/admin/alerts/99999").status_code == 404
    assert admin.post(f"/admin/alerts/{lucys}/acknowledge").status_code == 404
    assert admin.post(f"/admin/alerts/{lucys}/close", {"note": "done"}).status_code == 404
    assert _alert(admin, lucys).status == "open"
    admin.log_in("susie")
    assert admin.get(f"/admin/alerts/{lucys}").status_code == 200


def test_a_wrong_state_or_filter_is_explained(admin: AdminWorld) -> None:
    admin.log_in("sam")
    answer = admin.get("/admin/alerts?status=maybe")
    assert answer.status_code == 400
    assert "Choose open, acknowledged or closed alerts." in answer.text
