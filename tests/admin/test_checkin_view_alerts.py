"""Tests of check-in alerts as a catalyst meets them: in plain words (feeling low, would like a
call, missed check-in, all clear), urgent first then newest, narrowed to one kind, acknowledged
and closed with a note; and the same alerts paged to her Telegram."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from bot import paging
from storage import alerts, identities, messages, people
from storage.records import Alert
from tests.admin.conftest import AdminWorld

ABBYS_CHAT = "4242"


def raise_alert(admin: AdminWorld, name: str, kind: str, urgency: str, summary: str) -> Alert:
    """An alert about a demo resident, raised as the check-in helpers raise theirs."""

    async def write() -> Alert:
        async with admin.runtime.db.write() as tx:
            resident = await people.get_resident(tx, admin.ids[name])
            assert resident is not None
            return await alerts.alert_for(tx, resident, kind=kind, urgency=urgency, summary=summary)

    found: Alert = admin.call(write)
    return found


def pats_week(admin: AdminWorld) -> dict[str, Alert]:
    """A missed check-in (urgent: the third in a row), then a call asked for, then all clear."""
    raised = {"missed": raise_alert(admin, "Pat", "missed", "urgent", "Pat missed a check-in")}
    admin.clock.advance(timedelta(hours=1))
    raised["call"] = raise_alert(admin, "Pat", "call", "routine", "Pat would like a call")
    admin.clock.advance(timedelta(hours=1))
    raised["all_clear"] = raise_alert(admin, "Pat", "all_clear", "routine", "Pat replied")
    admin.clock.advance(timedelta(hours=1))
    raised["low"] = raise_alert(admin, "Lucy", "low", "routine", "Lucy is feeling low")
    return raised


def headings(page: str) -> list[str]:
    """The inbox's alerts, in order, as their headings read."""
    found = re.findall(r'<h2 class="alert-heading">(.*?)</h2>', page, re.S)
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", h))).strip() for h in found]


def test_check_in_alerts_in_plain_words_urgent_first_then_newest(admin: AdminWorld) -> None:
    raised = pats_week(admin)
    admin.log_in("abby")
    page = admin.get("/admin/alerts")
    assert page.status_code == 200
    assert headings(page.text) == [
        f"Urgent Missed check-in (alert A{raised['missed'].id})",
        f"Routine All clear: replied after a missed check-in (alert A{raised['all_clear'].id})",
        f"Routine Would like a call (alert A{raised['call'].id})",
    ]
    # Lucy's alert is Susie's, in words too.
    admin.log_in("susie")
    assert headings(admin.get("/admin/alerts").text) == [
        f"Routine Feeling low (alert A{raised['low'].id})"
    ]


def test_the_inbox_narrows_to_one_kind_and_explains_a_kind_it_does_not_know(
    admin: AdminWorld,
) -> None:
    raised = pats_week(admin)
    admin.log_in("sam")
    page = admin.get("/admin/alerts?kind=call")
    assert headings(page.text) == [f"Routine Would like a call (alert A{raised['call'].id})"]
    assert '<option value="call" selected>Would like a call</option>' in page.text
    assert "Show every kind" in page.text
    none = admin.get("/admin/alerts?status=closed&kind=missed")
    assert 'No closed alerts here of the kind "Missed check-in".' in html.unescape(none.text)
    bad = admin.get("/admin/alerts?kind=nonsense")
    assert bad.status_code == 400
    assert "Choose a kind of alert from the list." in bad.text


def test_a_missed_check_in_is_acknowledged_then_closed_with_a_note(admin: AdminWorld) -> None:
    missed = pats_week(admin)["missed"]
    admin.log_in("abby")
    taken = admin.post(f"/admin/alerts/{missed.id}/acknowledge")
    assert taken.status_code == 303
    assert f"Missed check-in (alert A{missed.id})" not in " ".join(
        headings(admin.get("/admin/alerts").text)
    )
    closed = admin.post(f"/admin/alerts/{missed.id}/close", {"note": "Rang her: she was out."})
    assert closed.status_code == 303
    page = admin.get("/admin/alerts?status=closed")
    assert headings(page.text) == [f"Urgent Missed check-in (alert A{missed.id})"]
    assert "Rang her: she was out." in page.text


def test_missed_and_call_alerts_are_paged_to_abbys_telegram(admin: AdminWorld) -> None:
    async def abby_on_telegram() -> int:
        async with admin.runtime.db.write() as tx:
            abby = next(
                p for p in await people.list_people(tx, "catalyst") if p.first_name == "Abby"
            )
            await identities.add_identity(tx, "telegram", ABBYS_CHAT, person_id=abby.id)
            await people.set_alert_channel(tx, abby.id, "telegram")
            return abby.id

    abby = admin.call(abby_on_telegram)
    missed = raise_alert(admin, "Pat", "missed", "urgent", "Pat missed a check-in")
    call = raise_alert(admin, "Pat", "call", "routine", "Pat would like a call")

    async def pages() -> list[tuple[str, str]]:
        async with admin.runtime.db.write() as tx:
            await paging.page_new_alerts(tx)
            return [(m.channel, m.body) for m in await messages.messages_to_person(tx, abby)]

    sent = admin.call(pages)
    assert (
        "telegram",
        f"Companion URGENT alert A{missed.id}: Pat missed a check-in "
        f"Reply OK A{missed.id} if you are on it.",
    ) in sent
    assert ("telegram", f"Companion alert A{call.id}: Pat would like a call") in sent
