"""Tests of how a catalyst sees check-ins: each resident on the list with the last four weeks
as a row of marks (a colour, a letter and words) and in words, and a resident's page with the
history in words (the day on the resident's clock, how it went, mood, their words, a check-in
moved out of quiet hours), for each role; another catalyst's resident stays a 404."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from storage import checkins
from tests.admin.conftest import AdminWorld


def text_of(page: httpx.Response) -> str:
    """What a reader sees: the page's words, without markup, apostrophes unescaped."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    return html.unescape(re.sub(r" ([,.;:])", r"\1", words))


def add_checkin(
    admin: AdminWorld,
    resident_id: int,
    due_at: datetime,
    status: str,
    *,
    mood: str | None = None,
    said: str | None = None,
    moved_from: datetime | None = None,
) -> None:
    """A check-in that fell due at `due_at` and went `status`, as the sweep and the ladder
    record them."""

    async def write() -> None:
        async with admin.runtime.db.write() as tx:
            found = await checkins.record(
                tx,
                resident_id=resident_id,
                flow_id="weekly_checkin",
                due_at=due_at,
                started_at=due_at,
                moved_from=moved_from,
                channel="webchat",
            )
            if status != "waiting":
                await checkins.settle(tx, found, status, mood=mood, said=said)

    admin.call(write)


def pats_four_weeks(admin: AdminWorld) -> None:
    """Pat's last four Tuesdays and one long before: good, good, missed, low."""
    now, pat = admin.clock.now(), admin.ids["Pat"]
    add_checkin(admin, pat, now - timedelta(weeks=8), "answered", mood="low")
    add_checkin(admin, pat, now - timedelta(weeks=3, hours=1), "answered", mood="good")
    add_checkin(admin, pat, now - timedelta(weeks=2), "answered", mood="good", said="knee better")
    add_checkin(admin, pat, now - timedelta(weeks=1), "missed")
    add_checkin(admin, pat, now - timedelta(hours=1), "answered", mood="low", said="bit lonely")


def row_of(page: httpx.Response, name: str) -> str:
    """The residents list's row for `name`, as HTML."""
    for row in re.findall(r"<tr>.*?</tr>", page.text, re.S):
        if f">{name}</a>" in row:
            return str(row)
    raise AssertionError(f"{name} is not listed")


def test_the_list_shows_each_residents_last_four_weeks_as_marks_and_words(
    admin: AdminWorld,
) -> None:
    pats_four_weeks(admin)
    admin.log_in("abby")
    page = admin.get("/admin/residents")
    assert page.status_code == 200
    pat = row_of(page, "Pat")
    # One text alternative for the whole row, in the order the check-ins came (oldest first);
    # the one eight weeks ago is not in it.
    assert 'role="img" aria-label="Last 4 weeks: good, good, missed, low"' in pat
    # Each mark has a letter as well as a colour, and its day in words.
    marks = re.findall(r'class="checkin-mark checkin-(\w+)" title="([^"]+)">(\S)<', pat)
    assert [(style, letter) for style, _, letter in marks] == [
        ("good", "G"),
        ("good", "G"),
        ("missed", "M"),
        ("low", "L"),
    ]
    assert marks[-1][1] == "Tue 24 Nov: low"
    assert "2 good, 1 missed, 1 low" in html.unescape(pat)
    assert "What the check-in marks mean" in page.text


def test_a_resident_with_no_check_ins_says_so_in_words(admin: AdminWorld) -> None:
    admin.log_in("sam")
    page = admin.get("/admin/residents")
    assert "No check-ins in the last 4 weeks" in row_of(page, "Lucy")
    assert 'role="img"' not in row_of(page, "Lucy")


def test_staff_see_every_residents_marks_and_a_catalyst_only_her_own(admin: AdminWorld) -> None:
    pats_four_weeks(admin)
    add_checkin(admin, admin.ids["Lucy"], admin.clock.now() - timedelta(days=2), "not_today")
    admin.log_in("sam")
    page = admin.get("/admin/residents")
    assert "Last 4 weeks: good, good, missed, low" in row_of(page, "Pat")
    assert "Last 4 weeks: not today" in row_of(page, "Lucy")
    admin.log_in("susie")
    page = admin.get("/admin/residents")
    assert "Last 4 weeks: not today" in row_of(page, "Lucy")
    assert ">Pat</a>" not in page.text and "good, good, missed" not in page.text


def test_the_residents_page_tells_the_history_in_words(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    pats_four_weeks(admin)
    # Due at 21:30 on Pat's clock, begun at 09:00 the next morning, out of her quiet hours.
    moved = datetime.fromisoformat("2026-11-19T21:30:00+00:00")
    add_checkin(
        admin,
        pat,
        datetime.fromisoformat("2026-11-20T09:00:00+00:00"),
        "not_today",
        moved_from=moved,
    )
    admin.log_in("abby")
    page = admin.get(f"/admin/residents/{pat}")
    assert page.status_code == 200
    words = text_of(page)
    assert "How check-ins have gone" in words
    assert 'aria-label="Last 4 weeks: good, good, missed, not today, low"' in page.text
    assert "Pat's latest check-ins, newest first (Pat's time)" in words
    assert "Tue 24 Nov 2026, 09:00 L answered low bit lonely" in words
    assert "Moved out of quiet hours (was Thu 19 Nov 2026, 21:30)" in words
    assert "knee better" in words
    # The residents own words are shown as typed, never as markup.
    assert "<q>bit lonely</q>" in page.text


def test_the_history_follows_the_residents_clock_across_the_change_to_summer_time(
    admin: AdminWorld,
) -> None:
    pat = admin.ids["Pat"]
    admin.clock.moment = datetime.fromisoformat("2027-04-06T12:00:00+00:00")
    # 10:00 on Pat's London clock, before and after the clocks went forward on 28 March.
    add_checkin(admin, pat, datetime.fromisoformat("2027-03-23T10:00:00+00:00"), "missed")
    add_checkin(
        admin, pat, datetime.fromisoformat("2027-03-30T09:00:00+00:00"), "answered", mood="ok"
    )
    admin.log_in("abby")
    words = text_of(admin.get(f"/admin/residents/{pat}"))
    assert "Tue 23 Mar 2027, 10:00 M missed" in words
    assert "Tue 30 Mar 2027, 10:00 O answered OK" in words


def test_a_residents_words_are_escaped(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    add_checkin(
        admin, pat, admin.clock.now(), "answered", mood="ok", said="<script>alert(1)</script>"
    )
    admin.log_in("abby")
    page = admin.get(f"/admin/residents/{pat}")
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_a_catalyst_reaching_for_another_catalysts_resident_gets_404(admin: AdminWorld) -> None:
    add_checkin(admin, admin.ids["Lucy"], admin.clock.now(), "answered", said="private words")
    admin.log_in("abby")
    page = admin.get(f"/admin/residents/{admin.ids['Lucy']}")
    assert page.status_code == 404
    assert "private words" not in page.text


def test_the_marks_for_a_whole_page_are_read_in_one_query(admin: AdminWorld) -> None:
    for resident_id in admin.ids.values():
        add_checkin(admin, resident_id, admin.clock.now() - timedelta(days=1), "missed")
    statements: list[str] = []

    async def trace(on: bool) -> None:
        async with admin.runtime.db.read() as conn:
            # None stops tracing (sqlite3's own rule, which aiosqlite's types leave out).
            handler: Any = statements.append if on else None
            await conn.set_trace_callback(handler)

    admin.log_in("sam")
    admin.call(trace, True)
    try:
        page = admin.get("/admin/residents")
    finally:
        admin.call(trace, False)
    listed = re.findall(r"Last 4 weeks: missed", page.text)
    assert len(listed) == len(admin.ids) > 1
    assert len([s for s in statements if "FROM checkins" in s]) == 1
