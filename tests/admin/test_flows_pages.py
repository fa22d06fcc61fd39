"""Tests of the flow editor's pages: the list per role, form edits written into the YAML, a
broken draft saved with its problems beside the step, a stale save answered 409 with what the
other person changed, publishing refused with reasons or made live, compare and restore."""

from __future__ import annotations

import html
import re

from bot.services.access import Viewer
from tests.admin.conftest import AdminWorld
from tests.bot.helpers import replies, say, start_checkin

FLOW = "/admin/flows/weekly_checkin"
PASS_ON = "      other: pass_on\n      no_response: missed"
OFFER_CHAT = "      other: offer_chat\n      no_response: missed"


def _text(response_text: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", response_text))


def _version(admin: AdminWorld) -> str:
    found = re.search(r'name="version" value="(\d+)"', admin.get(FLOW).text)
    assert found, "the editor's forms carry the draft's version"
    return found.group(1)


def _draft_source(admin: AdminWorld) -> str:
    draft = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin")
    return str(draft.source)


def test_the_list_shows_each_flow_with_its_status_to_staff_and_admins_only(
    admin: AdminWorld,
) -> None:
    for username in ("sam", "ada"):
        admin.log_in(username)
        page = admin.get("/admin/flows")
        assert page.status_code == 200
        text = _text(page.text)
        assert "Weekly check-in" in text and "Published" in text and "Revision 1" in text
        assert "by built-in" in text
    admin.log_in("abby")
    assert admin.get("/admin/flows").status_code == 403
    assert admin.get(FLOW).status_code == 403
    assert admin.post(f"{FLOW}/source", {"source": "x", "version": "0"}).status_code == 403


def test_a_new_flow_is_made_from_a_form_and_a_bad_id_is_explained(admin: AdminWorld) -> None:
    admin.log_in("sam")
    bad = admin.post("/admin/flows", {"flow_id": "Garden Club!", "name": "Garden"})
    assert bad.status_code == 400 and "small letters" in _text(bad.text)
    made = admin.post("/admin/flows", {"flow_id": "garden_club", "name": "Garden club"})
    assert made.status_code == 303 and made.headers["location"] == "/admin/flows/garden_club"
    listed = _text(admin.get("/admin/flows").text)
    assert "Garden club" in listed and "Draft: changes not published" in listed
    assert "Never published" in listed


def test_the_editor_shows_steps_with_sms_cost_choices_and_branches(admin: AdminWorld) -> None:
    admin.log_in("sam")
    page = admin.get(FLOW)
    assert page.status_code == 200
    text = _text(page.text)
    assert "SMS: 1 segment, GSM-7" in text
    assert "Choices in how_are_you" in text and "No reply in time" in text
    # The weekly check-in leaves reminders to the escalation ladder; the welcome has its own.
    assert "Waits 3d for a reply" in text and "Reminder 1" not in text
    assert "Reminder 1, after 1d" in _text(admin.get("/admin/flows/onboarding").text)
    assert "<svg" in page.text and 'href="/admin/flows/weekly_checkin/simulate"' in page.text
    assert page.text.count("<h1") == 1


def test_each_form_edit_changes_the_draft_and_its_yaml(admin: AdminWorld) -> None:
    admin.log_in("sam")
    edits = [
        ({"kind": "message", "step": "glad", "index": "1", "language": "en",
          "text": "That’s lovely!"}, 'say: "That’s lovely!"'),
        ({"kind": "add_choice", "step": "how_are_you", "key": "unsure", "label": "Not sure",
          "words": "dunno, not sure", "goes_to": "offer_chat"}, "unsure:"),
        ({"kind": "choice_words", "step": "how_are_you", "key": "ok",
          "words": "alright, so so, meh"}, "meh"),
        ({"kind": "branch", "step": "how_are_you", "branch": "good", "target": "offer_chat"},
         "good: offer_chat"),
        ({"kind": "remove_choice", "step": "how_are_you", "key": "unsure"}, None),
        ({"kind": "timeout", "step": "offer_chat", "duration": "2 days"}, "timeout: 2d"),
        ({"kind": "add_reminder", "step": "offer_chat", "after": "6h",
          "text": "Still there?"}, "Still there?"),
        ({"kind": "message", "step": "glad", "index": "1", "language": "cy",
          "text": "Gwych!"}, 'cy: "Gwych!"'),
    ]  # fmt: skip
    for form, expected in edits:
        version = _version(admin)
        done = admin.post(f"{FLOW}/edit", {**form, "version": version})
        assert done.status_code == 303, (form, _text(done.text))
        source = _draft_source(admin)
        if expected is not None:
            assert expected in source, (form, source)
        assert int(_version(admin)) == int(version) + 1
    assert "unsure" not in _draft_source(admin)
    page = _text(admin.get(FLOW).text)
    assert "SMS: 1 segment: the curly quote ’ makes it UCS-2" in page
    assert "Still there?" in page


def test_a_bad_form_edit_is_explained_beside_its_step_and_changes_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    before = _draft_source(admin)
    refused = admin.post(
        f"{FLOW}/edit",
        {"kind": "timeout", "step": "offer_chat", "duration": "soonish", "version": "0"},
    )
    assert refused.status_code == 400
    card = refused.text.split('id="step-offer_chat"', 1)[1].split("</section>", 1)[0]
    assert "soonish" in _text(card) and 'role="alert"' in card
    assert _draft_source(admin) == before


def test_a_broken_yaml_is_saved_with_its_problem_shown_beside_the_step(admin: AdminWorld) -> None:
    admin.log_in("sam")
    broken = _draft_source(admin).replace("good: glad", "good: nowhere")
    saved = admin.post(f"{FLOW}/source", {"source": broken, "version": "0"})
    assert saved.status_code == 303
    assert _draft_source(admin) == broken
    page = admin.get(FLOW).text
    card = page.split('id="step-how_are_you"', 1)[1].split("</section>", 1)[0]
    assert "nowhere" in _text(card) and "Problem" in card and "(line " in card
    assert "to fix" in _text(page)


def test_a_stale_save_gets_409_with_what_changed_and_keeps_both_texts(admin: AdminWorld) -> None:
    admin.log_in("sam")
    original = _draft_source(admin)
    theirs = original.replace(PASS_ON, OFFER_CHAT)
    assert admin.post(f"{FLOW}/source", {"source": theirs, "version": "0"}).status_code == 303

    admin.log_in("ada")  # opened the flow at version 0, before Sam's save
    mine = original.replace("Weekly check-in", "Weekly hello")
    refused = admin.post(f"{FLOW}/source", {"source": mine, "version": "0"})
    assert refused.status_code == 409
    text = _text(refused.text)
    assert "Someone else saved this flow first" in text and "staff:sam" in text
    assert "offer_chat" in text and "pass_on" in text
    assert "Weekly hello" in text  # my text is kept in the box
    assert _draft_source(admin) == theirs


def test_publish_is_refused_with_a_validation_problem(admin: AdminWorld) -> None:
    admin.log_in("sam")
    broken = _draft_source(admin).replace("good: glad", "good: nowhere")
    admin.post(f"{FLOW}/source", {"source": broken, "version": "0"})
    refused = admin.post(f"{FLOW}/publish", {"version": "1"})
    assert refused.status_code == 409
    text = _text(refused.text)
    assert "Not published" in text and "nowhere" in text
    assert "Revision 2" not in _text(admin.get(f"{FLOW}/revisions").text)


def test_publish_is_refused_with_a_failing_scenario(admin: AdminWorld) -> None:
    admin.log_in("sam")
    edit = {"kind": "message", "step": "glad", "index": "1", "text": "Smashing.", "version": "0"}
    assert admin.post(f"{FLOW}/edit", edit).status_code == 303
    refused = admin.post(f"{FLOW}/publish", {"version": "1"})
    assert refused.status_code == 409
    text = _text(refused.text)
    assert "failing scenario test" in text and "Pat is having a good week" in text
    assert "lovely to hear" in text


def test_publish_goes_live_and_a_running_session_finishes_on_its_revision(
    admin: AdminWorld,
) -> None:
    pat, lucy = admin.ids["Pat"], admin.ids["Lucy"]
    admin.call(start_checkin, admin.runtime, pat)
    admin.log_in("sam")
    source = _draft_source(admin).replace("That's lovely to hear", "Wonderful to hear")
    draft = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin")
    scenarios = draft.scenarios.replace("lovely to hear", "Wonderful to hear")
    sam = Viewer(0, "sam", "Sam Staff", "staff", None)
    admin.call(
        lambda: admin.runtime.services.flow_editor.save(
            "weekly_checkin", source, version=0, viewer=sam, scenarios=scenarios
        )
    )
    published = admin.post(f"{FLOW}/publish", {"version": "1"})
    assert published.status_code == 303, _text(published.text)
    assert "Published as revision 2" in _text(admin.get(FLOW).text)

    pat_reply = admin.call(say, admin.runtime, pat, "1")
    assert any("lovely to hear" in r for r in admin.call(replies, admin.runtime, pat_reply))
    admin.call(start_checkin, admin.runtime, lucy)
    lucy_reply = admin.call(say, admin.runtime, lucy, "1")
    assert any("Wonderful to hear" in r for r in admin.call(replies, admin.runtime, lucy_reply))

    revisions = _text(admin.get(f"{FLOW}/revisions").text)
    assert "Revision 2" in revisions and "staff:sam" in revisions
    admin.log_in("ada")
    audit = _text(admin.get("/admin/audit?subject=flow:weekly_checkin").text)
    assert "published revision 2" in audit


def test_compare_says_where_an_answer_now_goes_and_restore_brings_back_a_revision(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    original = _draft_source(admin)
    branch = {"kind": "branch", "step": "how_are_you", "branch": "other", "target": "offer_chat"}
    assert admin.post(f"{FLOW}/edit", {**branch, "version": "0"}).status_code == 303

    compared = admin.get(f"{FLOW}/compare?old=1&new=draft")
    assert compared.status_code == 200
    text = _text(compared.text)
    assert re.search(r"offer_chat.*\(was pass_on\)", text), text
    assert "<ins>" in compared.text
    assert "From revision 1 to the draft" in text
    assert admin.get(f"{FLOW}/compare?old=x&new=draft").status_code == 404
    assert admin.get(f"{FLOW}/compare?old=7&new=draft").status_code == 404

    viewed = admin.get(f"{FLOW}/revisions/1")
    assert viewed.status_code == 200 and "pass_on" in _text(viewed.text)
    assert admin.get(f"{FLOW}/revisions/9").status_code == 404

    restored = admin.post(f"{FLOW}/revisions/1/restore", {"version": "1"})
    assert restored.status_code == 303
    assert _draft_source(admin) == original
    assert "The draft is now revision 1" in _text(admin.get(FLOW).text)
    admin.log_in("ada")
    audit = _text(admin.get("/admin/audit?subject=flow:weekly_checkin").text)
    assert "restored revision 1 to the draft" in audit


def test_the_live_check_answers_json_and_a_missing_flow_is_404(admin: AdminWorld) -> None:
    admin.log_in("sam")
    broken = _draft_source(admin).replace("good: glad", "good: nowhere")
    checked = admin.post(
        f"{FLOW}/check", {"source": broken}, csrf=False, headers={"x-csrf-token": admin.csrf()}
    )
    assert checked.status_code == 200
    body = checked.json()
    assert body["ok"] is False
    assert any(p["step"] == "how_are_you" and "nowhere" in p["message"] for p in body["problems"])
    assert _draft_source(admin) != broken  # checking saves nothing
    assert admin.get("/admin/flows/no_such_flow").status_code == 404
    assert admin.get("/admin/flows/Bad-Key").status_code == 404
    assert admin.post(f"{FLOW}/source", {"source": "x", "version": "abc"}).status_code == 400
