"""Tests of the rhythm form for what issue 11 adds to it: a one-off check-in at a date and time,
the check-in flow chosen from those written for check-ins, and a check-in that quiet hours
moved, shown with where the rhythm had put it."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sweeps import Sweeps
from storage import identities
from tests.admin.conftest import AdminWorld
from tests.admin.test_residents_pages import pat_page


def test_a_one_off_check_in_set_by_the_form_reads_back_in_words(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    answer = admin.post(
        f"/admin/residents/{pat}/rhythm",
        {"every": "once", "interval": "1", "on": "2026-12-08", "at": "10:00"},
    )
    assert answer.status_code == 303
    seen = pat_page(admin)
    assert "Check-ins: Once, on Tuesday 8 December at 10am" in seen
    assert "Next check-in: Tue 8 Dec 2026, 10:00" in seen
    form = admin.get(f"/admin/residents/{pat}").text
    assert 'value="2026-12-08"' in form and '<option value="once" selected>' in form


def test_a_one_off_without_a_date_is_refused_on_its_field(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    answer = admin.post(
        f"/admin/residents/{pat}/rhythm", {"every": "once", "interval": "1", "at": "10:00"}
    )
    assert answer.status_code == 400
    assert 'id="f-on-error"' in answer.text and "Give the date" in answer.text
    assert "Check-ins: Every Tuesday at 10am" in pat_page(admin)


def test_the_form_offers_only_check_in_flows_and_refuses_another(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    form = admin.get(f"/admin/residents/{pat}").text
    assert '<option value="weekly_checkin" selected>Weekly check-in</option>' in form
    assert 'value="event_nudge"' not in form
    answer = admin.post(
        f"/admin/residents/{pat}/rhythm",
        {"every": "week", "interval": "1", "at": "10:00", "flow": "event_nudge"},
    )
    assert answer.status_code == 400 and 'id="f-flow-error"' in answer.text


def test_a_check_in_in_quiet_hours_shows_where_it_moved_from(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]  # quiet from 20:00 to 09:00
    admin.log_in("abby")
    answer = admin.post(
        f"/admin/residents/{pat}/rhythm",
        {"every": "week", "interval": "1", "days": ["tuesday"], "at": "21:00"},
    )
    assert answer.status_code == 303
    seen = pat_page(admin)
    assert (
        "Next check-in: Wed 25 Nov 2026, 09:00 (Pat's time; moved from Tue 24 Nov 2026, 21:00,"
        " in Pat's quiet hours)" in seen
    )


def test_a_check_in_waiting_for_its_channel_says_so(admin: AdminWorld) -> None:
    """Many due at once: Pat's check-in is queued until SMS has room, and Abby can see it."""
    pat = admin.ids["Pat"]
    runtime = admin.runtime
    full = Sweeps(runtime.db, runtime.conversations, admin.clock, paced={"sms": 0, "telegram": 0})
    admin.clock.moment = datetime(2026, 12, 1, 10, 0, 30, tzinfo=UTC)  # Pat's next slot

    async def text_pat() -> None:
        async with runtime.db.write() as tx:
            await identities.add_identity(tx, "sms", "+447700900123", resident_id=pat)

    admin.call(text_pat)
    admin.call(full.start_due_checkins)
    admin.log_in("abby")
    assert "The check-in due Tue 1 Dec 2026, 10:00 is waiting its turn to go by SMS" in pat_page(
        admin
    )
    # Once SMS has room it starts, and the line goes.
    admin.call(runtime.sweeps.start_due_checkins)
    assert "waiting its turn" not in pat_page(admin)
