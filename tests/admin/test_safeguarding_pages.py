"""Tests of the safeguarding texts pages: staff read the phrase book, try a message, add and
retire phrases, and read the replies; only admins edit a reply; the history shows who did what.

Catalysts do not see these pages at all (403, and no link): the book is the programme's review
of what pages a person, done by staff. A catalyst's work is their own residents, and exactly
which words raise an alert is not needed for it; a catalyst who hears a new way of saying
something tells staff, who add it here with a note.
"""

from __future__ import annotations

import html
from pathlib import Path

from bot.triage.risk_files import PHRASE_DIR, read_language_file
from bot.triage.safeguarding import RiskKind, builtin_phrases, builtin_replies
from tests.admin.conftest import AdminWorld
from tests.admin.route_walk import changed_tables, database_state

# Local knowledge the files cannot have: the name of the care agency residents here use.
NEGLECT = "(nobody|no one) from (greenacres|green acres) (came|has come|turned up)"
NEGLECT_MESSAGE = "Nobody from Greenacres came today"


def _add_form(**changes: str) -> dict[str, str]:
    return {
        "language": "en",
        "pattern": NEGLECT,
        "urgency": "now",
        "note": "Greenacres is the care agency here; said by a resident whose visits stopped.",
        "example": NEGLECT_MESSAGE,
        **changes,
    }


def _tried(admin: AdminWorld, message: str) -> str:
    return html.unescape(admin.post("/admin/safeguarding/try", {"message": message}).text)


def test_staff_see_every_kind_with_its_phrases_and_replies(admin: AdminWorld) -> None:
    admin.log_in("sam")
    page = admin.get("/admin/safeguarding")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert '<a href="/admin/safeguarding"' in text  # in the main navigation
    assert "<h1>Safeguarding phrases and replies</h1>" in text
    assert "Thoughts of suicide" in text and "A fall, or cannot get up" in text
    assert "Each kind of risk, with how many phrases signal it in each language" in text
    assert "The approved text in the files" in text
    assert "call 999" in text.lower()


def test_trying_a_message_shows_what_the_detector_finds_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    database = admin.runtime.settings.database
    before = database_state(database)
    text = _tried(admin, "I've had a fall and can't get up")
    assert "What the detector finds in it" in text
    assert "A fall, or cannot get up" in text
    assert "Urgent: a person is paged" in text
    assert "English" in text
    assert changed_tables(before, database_state(database)) == []
    assert "No risk found" in _tried(admin, "Lovely day for the garden")
    empty = admin.post("/admin/safeguarding/try", {"message": ""})
    assert empty.status_code == 400
    assert "Type a message to try." in empty.text


def test_staff_add_a_phrase_with_a_note_and_a_message_with_it_is_then_caught(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    assert "No risk found" in _tried(admin, NEGLECT_MESSAGE)

    added = admin.post("/admin/safeguarding/neglect/phrases", _add_form())

    assert added.status_code == 303
    assert added.headers["location"] == "/admin/safeguarding/neglect"
    page = html.unescape(admin.get("/admin/safeguarding/neglect").text)
    assert f"Phrase “{NEGLECT}” added in English" in page
    assert "The example is now read as: Not being cared for (neglect) (urgent" in page
    assert NEGLECT in page
    assert "Greenacres is the care agency here; said by a resident whose visits stopped." in page
    assert "Added by staff:sam" in page
    assert "Not being cared for (neglect)" in _tried(admin, NEGLECT_MESSAGE)
    entries = admin.call(admin.runtime.services.audit.entries, subject="safeguarding:neglect")
    assert [(e.actor, e.action) for e in entries] == [("staff:sam", "added a safeguarding phrase")]


def test_a_bad_pattern_is_explained_beside_the_field_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    database = admin.runtime.settings.database
    before = database_state(database)
    refused = admin.post(
        "/admin/safeguarding/neglect/phrases", _add_form(pattern="(nobody|no one from greenacres")
    )
    assert refused.status_code == 400
    text = html.unescape(refused.text)
    assert "There is a problem" in text
    assert 'id="f-pattern-error"' in text
    assert 'value="(nobody|no one from greenacres"' in text  # what was typed is kept
    assert "Greenacres is the care agency here; said by a resident whose visits stopped." in text
    assert changed_tables(before, database_state(database)) == []


def test_an_example_the_phrase_does_not_catch_is_refused_with_what_the_detector_finds(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    refused = admin.post(
        "/admin/safeguarding/neglect/phrases", _add_form(example="I've fallen over")
    )
    assert refused.status_code == 400
    text = html.unescape(refused.text)
    assert "The phrase does not match the example message" in text
    assert "What the detector found in the example, with the new phrase" in text
    assert "A fall, or cannot get up" in text


def test_a_note_is_shown_escaped(admin: AdminWorld) -> None:
    admin.log_in("sam")
    note = "<script>alert(1)</script> heard at the café"
    admin.post("/admin/safeguarding/neglect/phrases", _add_form(note=note))
    page = admin.get("/admin/safeguarding/neglect").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; heard at the café" in page


def test_staff_retire_a_phrase_they_added_and_the_history_shows_both(admin: AdminWorld) -> None:
    admin.log_in("sam")
    admin.post("/admin/safeguarding/neglect/phrases", _add_form())
    book = admin.call(admin.runtime.services.safeguarding_texts.kind_book, "neglect")
    (mine,) = [p for p in book.phrases["en"] if not p.from_file]
    no_reason = admin.post(
        "/admin/safeguarding/neglect/phrases/retire", {"phrase_id": str(mine.id), "note": ""}
    )
    assert no_reason.status_code == 400
    assert "Say why the phrase is being retired." in no_reason.text

    retired = admin.post(
        "/admin/safeguarding/neglect/phrases/retire",
        {"phrase_id": str(mine.id), "note": "Too broad."},
    )

    assert retired.status_code == 303
    assert "No risk found" in _tried(admin, NEGLECT_MESSAGE)
    history = html.unescape(admin.get("/admin/safeguarding/history").text)
    assert history.index("retired a phrase") < history.index("added a phrase")
    assert "Too broad." in history and "staff:sam" in history
    again = admin.post(
        "/admin/safeguarding/neglect/phrases/retire",
        {"phrase_id": str(mine.id), "note": "Again."},
    )
    assert again.status_code == 404
    no_phrase = admin.post("/admin/safeguarding/neglect/phrases/retire", {"note": "Why not."})
    assert no_phrase.status_code == 400
    assert '<a href="#f-retire">Choose a phrase added in the admin to retire.</a>' in no_phrase.text
    assert 'id="f-retire"' in no_phrase.text


def test_a_phrase_from_the_files_says_it_is_changed_in_version_control(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    page = admin.get("/admin/safeguarding/fall").text
    assert "Changed in version control" in page
    assert "Phrases that raise an alert" in page
    assert "Everyday look-alikes in English" in page  # "I fell asleep" and the like
    with_look_alikes = {phrase.kind for phrase in builtin_phrases() if phrase.everyday}
    for kind in [kind for kind in RiskKind if kind not in with_look_alikes][:1]:
        assert "None for this kind of risk yet." in admin.get(f"/admin/safeguarding/{kind}").text


def test_staff_see_the_replies_but_cannot_edit_them(admin: AdminWorld) -> None:
    admin.log_in("sam")
    page = html.unescape(admin.get("/admin/safeguarding/fall").text)
    assert "Only an admin can change a reply." in page
    assert 'action="/admin/safeguarding/fall/replies"' not in page
    text = "Had a fall? Call 999."
    refused = admin.post("/admin/safeguarding/fall/replies", {"language": "en", "text": text})
    assert refused.status_code == 403
    assert "Your account cannot edit the safeguarding texts." in refused.text


def test_an_admin_edits_a_reply_and_it_is_sent_from_then_on(admin: AdminWorld) -> None:
    admin.log_in("ada")
    text = "Had a fall and can't get up? Call 999. I'm not an emergency service. I'm telling the team now."  # noqa: E501
    saved = admin.post("/admin/safeguarding/fall/replies", {"language": "en", "text": text})
    assert saved.status_code == 303
    page = html.unescape(admin.get("/admin/safeguarding/fall").text)
    assert "The English reply is saved and is sent from now on." in page
    assert text in page
    assert "Changed by admin:ada" in page
    entries = admin.call(admin.runtime.services.audit.entries, subject="safeguarding:fall")
    assert [(e.actor, e.action) for e in entries] == [("admin:ada", "changed a safeguarding reply")]
    assert "changed the reply" in admin.get("/admin/safeguarding/history").text


def test_an_admin_puts_back_the_approved_text_of_a_reply(admin: AdminWorld) -> None:
    admin.log_in("ada")
    approved = builtin_replies()[RiskKind.FALL, "en"]
    assert "Put back the approved" not in admin.get("/admin/safeguarding/fall").text
    admin.post("/admin/safeguarding/fall/replies", {"language": "en", "text": "Fallen? Call 999."})
    page = html.unescape(admin.get("/admin/safeguarding/fall").text)
    assert "Put back the approved English text" in page
    assert approved in page

    admin.post("/admin/safeguarding/fall/replies", {"language": "en", "text": approved})

    page = html.unescape(admin.get("/admin/safeguarding/fall").text)
    assert "The approved text in the files, put back by admin:ada" in page
    assert "Put back the approved" not in page
    history = html.unescape(admin.get("/admin/safeguarding/history").text)
    assert history.count("changed the reply") == 2


def test_an_english_reply_of_two_segments_is_refused_with_the_reason(admin: AdminWorld) -> None:
    admin.log_in("ada")
    database = admin.runtime.settings.database
    before = database_state(database)
    long = "If you have fallen and cannot get up, or you are hurt, please call 999 now. " * 3
    refused = admin.post("/admin/safeguarding/fall/replies", {"language": "en", "text": long})
    assert refused.status_code == 400
    text = html.unescape(refused.text)
    assert "An English reply must fit one SMS of plain characters (160 at most)" in text
    assert "2 segments" in text
    assert 'id="f-reply-en-error"' in text
    assert long.strip() in text  # what was typed is kept in the form
    assert changed_tables(before, database_state(database)) == []


def test_a_catalyst_has_no_link_and_is_refused_every_safeguarding_page(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    assert "/admin/safeguarding" not in admin.get("/admin/").text
    for path in ("/admin/safeguarding", "/admin/safeguarding/fall", "/admin/safeguarding/history"):
        assert admin.get(path).status_code == 403, path
    for path, form in (
        ("/admin/safeguarding/try", {"message": "help me"}),
        ("/admin/safeguarding/fall/phrases", _add_form()),
        ("/admin/safeguarding/fall/replies", {"language": "en", "text": "Call 999."}),
    ):
        assert admin.post(path, form).status_code == 403, path


def test_a_kind_that_does_not_exist_is_not_found(admin: AdminWorld) -> None:
    admin.log_in("sam")
    missing = admin.get("/admin/safeguarding/gout")
    assert missing.status_code == 404
    assert "There is no kind of risk called “gout”." in html.unescape(missing.text)
    assert admin.post("/admin/safeguarding/gout/phrases", _add_form()).status_code == 404


def test_a_phrase_added_here_is_heard_from_a_resident_and_gets_the_reply_an_admin_wrote(
    admin: AdminWorld,
) -> None:
    services = admin.runtime.services
    pat = admin.ids["Pat"]
    before = admin.call(services.webchat.say, pat, NEGLECT_MESSAGE)
    assert before.route != "safeguarding"
    admin.log_in("sam")
    admin.post("/admin/safeguarding/neglect/phrases", _add_form())
    admin.log_in("ada")
    reply = "If nobody came to care for you and you need help now, call 999. I'm telling the team."
    admin.post("/admin/safeguarding/neglect/replies", {"language": "en", "text": reply})

    after = admin.call(services.webchat.say, pat, NEGLECT_MESSAGE)

    assert after.route == "safeguarding"
    assert [message.body for message in after.replies] == [reply]
    risks = [v.alert for v in admin.call(services.alerts.list_alerts) if v.alert.kind == "risk"]
    assert [(alert.resident_id, alert.urgency) for alert in risks] == [(pat, "urgent")]


def test_phrases_added_here_download_as_entries_the_files_take(
    admin: AdminWorld, tmp_path: Path
) -> None:
    admin.log_in("sam")
    admin.post("/admin/safeguarding/neglect/phrases", _add_form())
    download = admin.get("/admin/safeguarding/added.yaml")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/yaml")
    assert "attachment" in download.headers["content-disposition"]
    assert "# en.yaml: English" in download.text
    # Pasted at the end of the English file, the entry is read, checked and used like the rest.
    english = (PHRASE_DIR / "en.yaml").read_text(encoding="utf-8")
    pasted = tmp_path / "en.yaml"
    pasted.write_text(english.rstrip("\n") + "\n" + download.text, encoding="utf-8")
    ours = [p for p in read_language_file(pasted).phrases if p.pattern == NEGLECT]
    assert [(p.kind, p.urgency, p.note) for p in ours] == [
        (RiskKind.NEGLECT, "now", _add_form()["note"])
    ]
