"""Tests of consent on a resident's page: per purpose and channel in words, the history with
how and who, and the form to record consent on the resident's behalf with a required note;
for catalysts (their own residents only) and staff, audited, bad input explained and changing
nothing."""

from __future__ import annotations

import html
import re

import httpx

from bot.services.audit import AuditEntry
from storage import consents, sessions
from tests.admin.conftest import AdminWorld


def text_of(page: httpx.Response) -> str:
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    return html.unescape(re.sub(r" ([,.;:])", r"\1", words))


def audit_about(admin: AdminWorld, resident_id: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = admin.call(
        admin.runtime.services.audit.entries, subject=f"resident:{resident_id}"
    )
    return entries


def on_channel(admin: AdminWorld, resident_id: int, channel: str) -> dict[str, bool]:
    found: dict[str, bool] = admin.call(
        admin.runtime.services.consent.on_channel, resident_id, channel
    )
    return found


def history(admin: AdminWorld, resident_id: int) -> list[consents.ConsentChange]:
    async def read() -> list[consents.ConsentChange]:
        async with admin.runtime.db.read() as conn:
            return await consents.consent_changes(conn, resident_id)

    found: list[consents.ConsentChange] = admin.call(read)
    return found


FORM = {
    "consent_purpose": "events",
    "consent_channel": "webchat",
    "consent_given": "no",
    "consent_note": "She told me on the phone she'd rather not hear about events.",
}


def test_pats_page_shows_consent_per_purpose_and_channel_and_its_history(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    admin.call(admin.runtime.services.webchat.say, pat, "no more events please")
    seen = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "What Pat has agreed to, on each channel" in seen
    assert "Check-ins agreed on Web chat" in seen
    assert "Event news not agreed on Web chat" in seen
    assert "Withdrew event news on every channel Said in the chat Pat" in seen
    assert "Record consent on Pat's behalf" in seen


def test_a_catalyst_records_consent_for_her_resident_with_a_note_and_it_is_audited(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    done = admin.post(f"/admin/residents/{pat}/consent", FORM)
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/residents/{pat}#consent"
    assert on_channel(admin, pat, "webchat")["events"] is False
    seen = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "Recorded: Withdrew event news on Web chat." in seen
    assert (
        "Withdrew event news on Web chat Recorded on their behalf catalyst:abby "
        "She told me on the phone she'd rather not hear about events." in seen
    )
    [entry] = [e for e in audit_about(admin, pat) if e.action == "recorded consent"]
    assert entry.actor == "catalyst:abby"
    # Given back on every channel by staff.
    admin.log_in("sam")
    again = {**FORM, "consent_channel": "all", "consent_given": "yes", "consent_note": "Rang."}
    assert admin.post(f"/admin/residents/{pat}/consent", again).status_code == 303
    assert on_channel(admin, pat, "webchat")["events"] is True


def test_a_missing_note_or_a_bad_choice_is_explained_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    before = history(admin, pat)
    cases = [
        ({**FORM, "consent_note": "  "}, "Write what they told you"),
        ({**FORM, "consent_purpose": "marketing"}, "Choose what it is for"),
        ({**FORM, "consent_given": ""}, "Choose whether they agreed or withdrew"),
        ({**FORM, "consent_channel": "telegram"}, "Choose every channel or one of"),
        ({**FORM, "consent_note": "x" * 1001}, "at most 1000 characters"),
    ]
    for form, message in cases:
        page = admin.post(f"/admin/residents/{pat}/consent", form)
        assert page.status_code == 400, form
        seen = text_of(page)
        assert message in seen
        assert "There is a problem" in seen
        # What was typed is kept.
        assert form["consent_note"].strip() in seen
    assert history(admin, pat) == before
    assert not [e for e in audit_about(admin, pat) if e.action == "recorded consent"]


def test_a_catalyst_reaching_for_another_catalysts_resident_gets_404(admin: AdminWorld) -> None:
    admin.log_in("abby")
    lucy = admin.ids["Lucy"]
    assert admin.get(f"/admin/residents/{lucy}/consent").status_code == 404
    assert admin.post(f"/admin/residents/{lucy}/consent", FORM).status_code == 404
    assert on_channel(admin, lucy, "webchat")["events"] is True
    assert admin.get("/admin/residents/99999/consent").status_code == 404


def test_the_consent_page_is_audited_as_a_view(admin: AdminWorld) -> None:
    admin.log_in("susie")
    lucy = admin.ids["Lucy"]
    page = admin.get(f"/admin/residents/{lucy}/consent")
    assert page.status_code == 200
    assert "Lucy's consent" in text_of(page)
    assert [e for e in audit_about(admin, lucy) if e.action == "viewed"]


def test_withdrawing_check_ins_for_her_ends_the_check_in_waiting_for_her_reply(
    admin: AdminWorld,
) -> None:
    pat = admin.ids["Pat"]
    admin.call(admin.runtime.services.checkins.start_now, pat)
    assert waiting_flow(admin, pat) == "weekly_checkin"
    admin.log_in("abby")
    # Withdrawn from events: the check-in is not of that purpose and carries on.
    assert admin.post(f"/admin/residents/{pat}/consent", FORM).status_code == 303
    assert waiting_flow(admin, pat) == "weekly_checkin"
    # Withdrawn from check-ins on web chat, her only channel: it ends, so her reply is not
    # swallowed by a conversation whose messages would all be refused.
    form = {**FORM, "consent_purpose": "checkins", "consent_note": "She rang to say stop."}
    assert admin.post(f"/admin/residents/{pat}/consent", form).status_code == 303
    assert waiting_flow(admin, pat) is None


def waiting_flow(admin: AdminWorld, resident_id: int) -> str | None:
    async def read() -> str | None:
        async with admin.runtime.db.read() as conn:
            found = await sessions.waiting_session(conn, resident_id)
        return found.flow_id if found else None

    flow: str | None = admin.call(read)
    return flow
