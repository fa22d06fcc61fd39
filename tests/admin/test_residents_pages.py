"""Tests of the residents pages: the list and its search for each role, a resident's page
(details, rhythm, conversation with delivery status, alerts, results, the life map, notes),
setting the rhythm, adding a note, sending a one-off message in the catalyst's own name, the
audit entries, and a catalyst reaching for another catalyst's resident getting a 404."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import httpx

from bot.conversations import Route
from bot.services.audit import AuditEntry
from bot.services.records import Message, Person
from storage import messages, people
from tests.admin.conftest import AdminWorld


def text_of(page: httpx.Response) -> str:
    """What a reader sees: the page's words, without markup, apostrophes unescaped."""
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    return html.unescape(re.sub(r" ([,.;:])", r"\1", words))


def catalyst_id(admin: AdminWorld, first_name: str) -> int:
    catalysts: list[Person] = admin.call(admin.runtime.services.catalysts.list_catalysts)
    return next(c.id for c in catalysts if c.first_name == first_name)


def audit_about(admin: AdminWorld, resident_id: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = admin.call(
        admin.runtime.services.audit.entries, subject=f"resident:{resident_id}"
    )
    return entries


def conversation(admin: AdminWorld, resident_id: int) -> list[Message]:
    found: list[Message] = admin.call(admin.runtime.services.conversation.messages, resident_id)
    return found


def say(admin: AdminWorld, resident_id: int, *texts: str) -> None:
    for text in texts:
        admin.call(admin.runtime.services.webchat.say, resident_id, text)


def start_life_map(admin: AdminWorld, resident_id: int) -> None:
    """Start the life map for a resident on the web chat, as their catalyst would."""

    async def start() -> None:
        runtime = admin.runtime
        async with runtime.db.write() as tx:
            resident = await people.get_resident(tx, resident_id)
            assert resident is not None
            await runtime.conversations.start(
                tx, resident, "life_map", Route("webchat", str(resident_id))
            )
        await runtime.dispatcher.run_once()

    admin.call(start)


def pat_page(admin: AdminWorld) -> str:
    page = admin.get(f"/admin/residents/{admin.ids['Pat']}")
    assert page.status_code == 200
    return text_of(page)


# -- the list ---------------------------------------------------------------------------------


def test_a_catalyst_lists_only_her_own_residents_and_has_no_catalyst_filter(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    page = admin.get("/admin/residents")
    assert page.status_code == 200
    seen = text_of(page)
    assert "Pat" in seen and "Patricia Fuller" in seen
    for other in ("Lucy", "Grace", "William"):
        assert other not in seen
    assert 'name="catalyst"' not in page.text
    assert "1 resident found" in seen
    # Asking for another catalyst's residents still shows only her own.
    asked = text_of(admin.get(f"/admin/residents?catalyst={catalyst_id(admin, 'Susie')}"))
    assert "Pat" in asked and "Lucy" not in asked


def test_staff_see_everyone_with_catalyst_status_next_checkin_last_reply_and_alerts(
    admin: AdminWorld,
) -> None:
    say(admin, admin.ids["Pat"], "hello")
    admin.log_in("sam")
    page = admin.get("/admin/residents")
    seen = text_of(page)
    assert "4 residents found" in seen
    for name in ("Pat", "Lucy", "Grace", "William"):
        assert f'href="/admin/residents/{admin.ids[name]}"' in page.text
    row = re.search(
        rf"<tr>\s*<td><a href=\"/admin/residents/{admin.ids['Pat']}\".*?</tr>", page.text, re.S
    )
    assert row is not None
    pat_row = text_of(httpx.Response(200, text=row.group(0)))
    assert "Abby Clarke" in pat_row
    assert "Active" in pat_row
    assert "Tue 1 Dec 2026, 10:00" in pat_row  # next Tuesday's check-in at 10
    assert "Tue 24 Nov 2026, 10:00" in pat_row  # her "hello" just now
    assert "1 open alerts about Pat" in pat_row  # her message is passed to Abby
    lucy_row = re.search(rf"/admin/residents/{admin.ids['Lucy']}\".*?</tr>", page.text, re.S)
    assert lucy_row is not None and "Never" in lucy_row.group(0)


def test_staff_search_by_part_of_any_name_by_catalyst_and_by_status(admin: AdminWorld) -> None:
    admin.log_in("sam")

    def found(query: str) -> set[str]:
        page = admin.get(f"/admin/residents?{query}")
        assert page.status_code == 200
        return {
            name
            for name, resident_id in admin.ids.items()
            if f'href="/admin/residents/{resident_id}"' in page.text
        }

    assert found("name=PAT") == {"Pat"}
    assert found("name=atric") == {"Pat"}  # part of her first and full name, Patricia
    assert found("name=hart") == {"William"}  # his surname
    assert found("name=%25") == set()  # a wildcard is just a character
    assert found(f"catalyst={catalyst_id(admin, 'Susie')}") == {"Lucy"}
    say(admin, admin.ids["William"], "pause")
    assert found("status=paused") == {"William"}
    assert found("status=active") == {"Pat", "Lucy", "Grace"}
    assert found(f"name=wil&status=active&catalyst={catalyst_id(admin, 'Abs')}") == set()
    # The search is kept in the form, so it can be changed and bookmarked.
    page = admin.get("/admin/residents?name=Pat&status=active")
    assert 'value="Pat"' in page.text
    assert '<option value="active" selected>' in page.text


def test_a_bad_status_or_catalyst_in_the_search_is_explained(admin: AdminWorld) -> None:
    admin.log_in("sam")
    for query in ("status=asleep", "catalyst=abby"):
        page = admin.get(f"/admin/residents?{query}")
        assert page.status_code == 400
        assert "Choose a" in page.text


# -- a resident's page ------------------------------------------------------------------------


def test_pats_page_shows_her_details_channels_consents_and_rhythm_in_words(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    seen = pat_page(admin)
    assert "Patricia Fuller" in seen
    assert "jigsaws, bingo, getting out" in seen
    assert "Europe/London" in seen
    assert "20:00 to 09:00" in seen
    assert "Catalyst Abby Clarke" in seen
    assert "Web chat web chat in the admin can be reached" in seen
    assert "Check-ins agreed" in seen and "Buddying agreed" in seen
    assert "Check-ins: Every Tuesday at 10am" in seen
    assert "Next check-in: Tue 1 Dec 2026, 10:00" in seen


def test_the_conversation_shows_both_ways_with_delivery_status_in_words(
    admin: AdminWorld,
) -> None:
    pat = admin.ids["Pat"]
    say(admin, pat, "hello")
    reply = [m for m in conversation(admin, pat) if m.direction == "out"][-1]

    async def fail_it() -> None:
        async with admin.runtime.db.write() as tx:
            await messages.set_status(tx, reply.id, "failed", error="the number is not in use")

    admin.log_in("abby")
    seen = pat_page(admin)
    assert "from Pat" in seen and "hello" in seen
    assert "from the bot" in seen and "passed your message to Abby" in seen
    assert "Status: sent" in seen
    # Newest at the bottom.
    assert seen.index("hello") < seen.index("passed your message to Abby")
    admin.call(fail_it)
    assert "Status: failed: the number is not in use" in pat_page(admin)


def test_alerts_about_pat_are_on_her_page_with_a_link_to_the_inbox(admin: AdminWorld) -> None:
    say(admin, admin.ids["Pat"], "hello")
    admin.log_in("abby")
    page = admin.get(f"/admin/residents/{admin.ids['Pat']}")
    assert "Pat sent a message to read." in text_of(page)
    assert "open" in text_of(page)
    assert 'href="/admin/alerts"' in page.text


def test_a_life_map_is_shown_in_red_amber_and_green_with_words_and_the_chosen_parts(
    admin: AdminWorld,
) -> None:
    pat = admin.ids["Pat"]
    start_life_map(admin, pat)
    # yes; home red, health amber, money green, friends skipped, getting out red, learning
    # green, helping others amber; work on health, then money.
    say(admin, pat, "yes", "1", "2", "3", "4", "1", "3", "2", "2", "3")
    admin.log_in("abby")
    page = admin.get(f"/admin/residents/{pat}")
    seen = text_of(page)
    assert "Latest life map" in seen
    for area, words in (
        ("Home", "Red: stuck, needs help"),
        ("Health", "Amber: some worries"),
        ("Money", "Green: going well"),
        ("Friends and family", "Skipped"),
        ("Getting out", "Red: stuck, needs help"),
        ("Learning", "Green: going well"),
        ("Helping others", "Amber: some worries"),
    ):
        assert f"{area} {words}" in seen
    # Colour is never the only signal: each area's box has its colour AND its words.
    assert re.search(r'class="rag rag-red"><strong>Home</strong> <span>Red: stuck', page.text)
    assert "Chose to work on: Health and Money" in seen
    # The answers are in the results too, with their flow and question.
    assert "life_map area_home Red - stuck, need help" in seen
    assert "life_map focus Health" in seen

    # A second map, later: it comes first, the first one is listed as earlier.
    admin.clock.advance(timedelta(days=30))
    start_life_map(admin, pat)
    say(admin, pat, "yes", "3", "3", "3", "3", "3", "3", "3", "4", "8")
    admin.log_in("abby")  # a month on, her login has long idled out
    seen = pat_page(admin)
    assert "Earlier life maps" in seen
    latest, earlier = seen.split("Earlier life maps")
    assert "Home Green: going well" in latest and "Chose to work on: Friends" in latest
    assert "Home Red: stuck, needs help" in earlier


def test_everything_pat_or_staff_typed_is_escaped(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    say(admin, pat, "<script>alert(1)</script>")
    admin.log_in("abby")
    admin.post(f"/admin/residents/{pat}/notes", {"note": "<b>bold</b> & <i>more</i>"})
    page = admin.get(f"/admin/residents/{pat}")
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<b>bold</b>" not in page.text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;more&lt;/i&gt;" in page.text


# -- the rhythm -------------------------------------------------------------------------------


def test_setting_the_rhythm_by_the_form_reads_back_in_words(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    answer = admin.post(
        f"/admin/residents/{pat}/rhythm",
        {"every": "week", "interval": "1", "days": ["tuesday", "friday"], "at": "10:00"},
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/admin/residents/{pat}#rhythm"
    seen = pat_page(admin)
    assert "Check-ins set: Every Tuesday and Friday at 10am." in seen
    assert "Check-ins: Every Tuesday and Friday at 10am" in seen
    assert "Next check-in: Fri 27 Nov 2026, 10:00" in seen
    saved = admin.call(admin.runtime.services.schedules.get, pat)
    assert saved.description == "Every Tuesday and Friday at 10am"
    assert saved.flow == "weekly_checkin"
    # The form shows the rhythm as it now is.
    page = admin.get(f"/admin/residents/{pat}")
    assert 'value="friday" checked' in page.text and 'value="tuesday" checked' in page.text

    admin.post(f"/admin/residents/{pat}/rhythm", {"every": "day", "interval": "3", "at": "2:30pm"})
    seen = pat_page(admin)
    assert "Check-ins: Every 3 days at 2:30pm" in seen
    assert "Next check-in: Tue 24 Nov 2026, 14:30" in seen
    entries = [e for e in audit_about(admin, pat) if e.action == "set the check-in rhythm"]
    assert [e.detail["rhythm"] for e in entries] == [
        "Every 3 days at 2:30pm",
        "Every Tuesday and Friday at 10am",
    ]
    assert {e.actor for e in entries} == {"catalyst:abby"}


def test_a_bad_rhythm_is_explained_kept_in_the_form_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    for form, words in (
        ({"every": "week", "days": ["monday"], "at": "25:00"}, "'25:00' is not a time of day"),
        ({"every": "month", "days": ["monday"], "at": "10:00"}, "leave the days out"),
        ({"every": "week", "interval": "two", "at": "10:00"}, "a whole number from 1 to 12"),
        ({"every": "week", "interval": "13", "at": "10:00"}, "a whole number from 1 to 12"),
        ({"every": "hour", "at": "10:00"}, "Choose how often"),
        ({"every": "week", "at": ""}, "Give a time of day"),
    ):
        answer = admin.post(f"/admin/residents/{pat}/rhythm", form)
        assert answer.status_code == 400, form
        seen = text_of(answer)
        assert words in seen, form
        assert "There is a problem" in seen
        if form["at"]:
            assert f'value="{form["at"]}"' in answer.text  # what was typed is kept
    saved = admin.call(admin.runtime.services.schedules.get, pat)
    assert saved.description == "Every Tuesday at 10am"
    assert not [e for e in audit_about(admin, pat) if e.action == "set the check-in rhythm"]


# -- notes ------------------------------------------------------------------------------------


def test_a_note_is_added_and_shown_newest_first_with_who_wrote_it(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    first = admin.post(f"/admin/residents/{pat}/notes", {"note": "Rang Pat: her hip is better."})
    assert first.status_code == 303
    assert first.headers["location"] == f"/admin/residents/{pat}#notes"
    admin.clock.advance(timedelta(hours=2))
    admin.log_in("sam")
    admin.post(f"/admin/residents/{pat}/notes", {"note": "Bingo on Thursday suits her."})
    seen = pat_page(admin)
    assert "Abby Clarke, Tue 24 Nov 2026, 10:00 Rang Pat: her hip is better." in seen
    assert "Sam Staff, Tue 24 Nov 2026, 12:00 Bingo on Thursday suits her." in seen
    assert seen.index("Bingo on Thursday") < seen.index("her hip is better")
    added = [e for e in audit_about(admin, pat) if e.action == "added a note"]
    assert [e.actor for e in added] == ["staff:sam", "catalyst:abby"]


def test_an_empty_or_too_long_note_is_explained_and_nothing_is_saved(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    empty = admin.post(f"/admin/residents/{pat}/notes", {"note": "   "})
    assert empty.status_code == 400
    assert "Write the note before saving it." in text_of(empty)
    long = "x" * 2001
    too_long = admin.post(f"/admin/residents/{pat}/notes", {"note": long})
    assert too_long.status_code == 400
    assert "at most 2000 characters; this one has 2001" in text_of(too_long)
    assert long in too_long.text  # kept, to shorten
    assert "No notes yet." in pat_page(admin)
    assert not [e for e in audit_about(admin, pat) if e.action == "added a note"]


# -- a one-off message ------------------------------------------------------------------------


def test_a_message_from_abby_is_queued_shown_as_hers_and_delivered_on_the_web_chat(
    admin: AdminWorld,
) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    text = "Hi Pat, it's Abby. Shall I ring you on Thursday?"
    answer = admin.post(f"/admin/residents/{pat}/messages", {"message": text})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/admin/residents/{pat}#conversation"
    seen = pat_page(admin)
    assert "Message to Pat queued on Web chat (1 segment, GSM-7)." in seen
    assert f"from Abby Clarke, Tue 24 Nov 2026, 10:00, by Web chat {text}" in seen
    assert "Status: waiting to be sent; 1 segment, GSM-7" in seen

    admin.call(admin.runtime.dispatcher.run_once)
    sent = [m for m in conversation(admin, pat) if m.body == text]
    assert len(sent) == 1
    assert (sent[0].channel, sent[0].status, sent[0].direction) == ("webchat", "sent", "out")
    assert "Status: sent; 1 segment, GSM-7" in pat_page(admin)
    entry = next(e for e in audit_about(admin, pat) if e.action == "sent a message")
    assert entry.actor == "catalyst:abby"
    assert entry.detail == {"message": sent[0].id, "channel": "webchat", "segments": 1}


def test_a_message_says_what_it_costs_as_sms(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    admin.post(f"/admin/residents/{pat}/messages", {"message": "It’s Abby: see you soon"})
    seen = pat_page(admin)
    assert "1 segment: the curly quote ’ makes it UCS-2; use ' for ’" in seen


def test_a_message_in_quiet_hours_waits_for_the_morning(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.clock.advance(timedelta(hours=12))  # 22:00 in London
    admin.log_in("abby")
    admin.post(f"/admin/residents/{pat}/messages", {"message": "Sleep well, Pat. Abby"})
    assert "It is quiet hours for Pat: it will go at 09:00." in pat_page(admin)
    admin.call(admin.runtime.dispatcher.run_once)
    held = [m for m in conversation(admin, pat) if m.body == "Sleep well, Pat. Abby"]
    assert held[0].status == "queued"
    admin.clock.advance(timedelta(hours=11, minutes=1))  # 09:01
    admin.call(admin.runtime.dispatcher.run_once)
    assert next(m for m in conversation(admin, pat) if m.id == held[0].id).status == "sent"


def test_a_message_that_must_not_go_is_refused_and_nothing_is_queued(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    before = len(conversation(admin, pat))
    empty = admin.post(f"/admin/residents/{pat}/messages", {"message": " "})
    assert empty.status_code == 400
    assert "Write the message before sending it." in text_of(empty)
    too_long = admin.post(f"/admin/residents/{pat}/messages", {"message": "a" * 601})
    assert too_long.status_code == 400
    assert "at most 600 characters" in text_of(too_long)
    admin.call(admin.runtime.services.consent.record, pat, {"checkins": False}, "test")
    refused = admin.post(f"/admin/residents/{pat}/messages", {"message": "Hello Pat"})
    assert refused.status_code == 400
    assert "Pat has not agreed to check-ins" in text_of(refused)
    assert "Hello Pat</textarea>" in refused.text
    assert len(conversation(admin, pat)) == before
    assert not [e for e in audit_about(admin, pat) if e.action == "sent a message"]


# -- who may see whom, and the audit log -----------------------------------------------------


def test_another_catalysts_resident_is_a_404_like_no_resident_at_all(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("susie")
    nobody = admin.get("/admin/residents/999999")
    assert nobody.status_code == 404
    page = admin.get(f"/admin/residents/{pat}")
    assert page.status_code == 404
    assert text_of(page).replace(str(pat), "N") == text_of(nobody).replace("999999", "N")
    assert "Patricia" not in page.text
    for path, form in (
        ("rhythm", {"every": "day", "at": "11:00"}),
        ("rhythm", {"every": "day", "at": "99:00"}),  # bad input: still not found
        ("notes", {"note": "Not my resident"}),
        ("notes", {"note": ""}),
        ("messages", {"message": "Hello from Susie"}),
        ("messages", {"message": ""}),
    ):
        answer = admin.post(f"/admin/residents/{pat}/{path}", form)
        assert answer.status_code == 404, (path, form)
        assert "Patricia" not in answer.text
    # Nothing changed, and nothing about Pat is in the log by Susie.
    assert admin.call(admin.runtime.services.schedules.get, pat).description == (
        "Every Tuesday at 10am"
    )
    assert not [m for m in conversation(admin, pat) if "Susie" in m.body]
    assert not [e for e in audit_about(admin, pat) if e.actor == "catalyst:susie"]
    admin.log_in("abby")
    assert "No notes yet." in pat_page(admin)


def test_every_view_of_a_residents_page_is_in_the_audit_log(admin: AdminWorld) -> None:
    pat = admin.ids["Pat"]
    admin.log_in("abby")
    pat_page(admin)
    admin.log_in("sam")
    pat_page(admin)
    admin.log_in("abby")
    admin.get("/admin/residents")  # the list is not a view of anyone's page
    views = [e for e in audit_about(admin, pat) if e.action == "viewed"]
    assert [e.actor for e in views] == ["staff:sam", "catalyst:abby"]
    admin.log_in("ada")
    log = text_of(admin.get(f"/admin/audit?subject=resident:{pat}"))
    assert f"catalyst:abby viewed resident:{pat}" in log
