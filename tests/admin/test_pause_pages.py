"""Tests of pausing a resident's check-ins from the admin: until a day (they start again by
themselves, with a hello) or until resumed, and resuming at once; for catalysts (their own
residents only) and staff, audited, bad input explained and changing nothing."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import httpx

from bot.resume import PauseEnds
from bot.services.audit import AuditEntry
from storage import messages, people
from storage.records import Resident
from tests.admin.conftest import AdminWorld


def text_of(page: httpx.Response) -> str:
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    return html.unescape(re.sub(r" ([,.;:])", r"\1", words))


def audit_about(admin: AdminWorld, resident_id: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = admin.call(
        admin.runtime.services.audit.entries, subject=f"resident:{resident_id}"
    )
    return entries


def resident(admin: AdminWorld, resident_id: int) -> Resident:
    async def read() -> Resident | None:
        async with admin.runtime.db.read() as conn:
            return await people.get_resident(conn, resident_id)

    found: Resident | None = admin.call(read)
    assert found is not None
    return found


def texts_to(admin: AdminWorld, resident_id: int) -> list[str]:
    async def read() -> list[str]:
        async with admin.runtime.db.read() as conn:
            found = await messages.conversation(conn, resident_id)
        return [m.body for m in found if m.direction == "out"]

    texts: list[str] = admin.call(read)
    return texts


def test_a_catalyst_pauses_her_resident_until_a_day_and_it_ends_by_itself(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    done = admin.post(f"/admin/residents/{pat}/pause", {"pause_until": "2026-12-14"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/admin/residents/{pat}#pause"
    found = resident(admin, pat)
    assert (found.status, found.paused_until) == ("paused", "2026-12-14T09:00:00.000000+00:00")
    seen = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "Check-ins paused until Monday 14 December." in seen
    assert "Status Paused until Monday 14 December, 9am" in seen
    assert "Pat's check-ins are paused until Mon 14 Dec 2026, 09:00 (Pat's time)" in seen
    assert "Resume check-ins now" in seen
    [entry] = [e for e in audit_about(admin, pat) if e.action == "paused check-ins"]
    assert entry.actor == "catalyst:abby"
    # Monday 14 December at 09:00 in London, the sweep brings her back and says hello.
    admin.clock.moment = datetime(2026, 12, 14, 9, 0, tzinfo=UTC)
    runtime = admin.runtime
    assert admin.call(PauseEnds(runtime.db, runtime.conversations, admin.clock).resume_ended_pauses)
    assert resident(admin, pat).status == "active"
    assert texts_to(admin, pat)[-1] == (
        "Welcome back, Pat. It's Abby. I'll be in touch as usual: every Tuesday at 10am."
    )


def test_a_pause_with_no_day_lasts_until_resumed_and_resuming_says_hello(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    assert admin.post(f"/admin/residents/{pat}/pause", {"pause_until": ""}).status_code == 303
    assert (resident(admin, pat).status, resident(admin, pat).paused_until) == ("paused", None)
    seen = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "Check-ins paused until someone resumes them." in seen
    assert "until someone resumes them or Pat says they're back" in seen
    done = admin.post(f"/admin/residents/{pat}/resume")
    assert done.status_code == 303
    assert resident(admin, pat).status == "active"
    assert "Check-ins start again, and a hello is on its way." in text_of(
        admin.get(f"/admin/residents/{pat}")
    )
    assert texts_to(admin, pat)[-1].startswith("Welcome back, Pat. It's Abby.")
    assert [e for e in audit_about(admin, pat) if e.action == "resumed check-ins"]
    # Resuming again changes nothing and says so.
    admin.post(f"/admin/residents/{pat}/resume")
    assert "Check-ins were not paused: nothing changed." in text_of(
        admin.get(f"/admin/residents/{pat}")
    )


def test_a_day_typed_as_dd_mm_yyyy_is_understood(admin: AdminWorld) -> None:
    admin.log_in("sam")  # staff look after every resident
    lucy = admin.ids["Lucy"]
    done = admin.post(f"/admin/residents/{lucy}/pause", {"pause_until": "05/01/2027"})
    assert done.status_code == 303
    assert resident(admin, lucy).paused_until == "2027-01-05T09:00:00.000000+00:00"


def test_a_bad_day_is_explained_beside_the_field_and_changes_nothing(admin: AdminWorld) -> None:
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    cases = [
        ("next tuesday", "Give the day check-ins start again"),
        ("31/02/2027", "Give the day check-ins start again"),
        ("2026-11-24", "The pause must end after today"),  # today
        ("2028-01-01", "at most a year from today"),
    ]
    for typed, message in cases:
        page = admin.post(f"/admin/residents/{pat}/pause", {"pause_until": typed})
        assert page.status_code == 400, typed
        seen = text_of(page)
        assert "There is a problem" in seen and message in seen
        assert f'value="{typed}"' in page.text  # what was typed is kept
    assert resident(admin, pat).status == "active"
    assert not [e for e in audit_about(admin, pat) if e.action == "paused check-ins"]


def test_a_catalyst_reaching_for_another_catalysts_resident_gets_404(admin: AdminWorld) -> None:
    admin.log_in("abby")
    lucy = admin.ids["Lucy"]
    assert admin.get(f"/admin/residents/{lucy}/pause").status_code == 404
    assert admin.post(f"/admin/residents/{lucy}/pause", {"pause_until": ""}).status_code == 404
    assert resident(admin, lucy).status == "active"
    admin.log_in("susie")
    assert admin.post(f"/admin/residents/{lucy}/pause", {"pause_until": ""}).status_code == 303
    admin.log_in("abby")
    assert admin.post(f"/admin/residents/{lucy}/resume").status_code == 404
    assert resident(admin, lucy).status == "paused"
    assert admin.get("/admin/residents/99999/pause").status_code == 404


def test_the_pause_page_is_audited_as_a_view_and_a_stopped_resident_cannot_be_paused(
    admin: AdminWorld,
) -> None:
    admin.log_in("susie")
    lucy = admin.ids["Lucy"]
    page = admin.get(f"/admin/residents/{lucy}/pause")
    assert page.status_code == 200
    assert "Pause Lucy's check-ins" in text_of(page)
    assert [e for e in audit_about(admin, lucy) if e.action == "viewed"]

    async def stop() -> None:
        async with admin.runtime.db.write() as tx:
            await people.update_resident(tx, lucy, status="stopped")

    admin.call(stop)
    assert "there are no check-ins to pause" in text_of(admin.get(f"/admin/residents/{lucy}"))
    refused = admin.post(f"/admin/residents/{lucy}/pause", {"pause_until": ""})
    assert refused.status_code == 400
    assert "Lucy has stopped all messages" in text_of(refused)
    assert resident(admin, lucy).status == "stopped"
