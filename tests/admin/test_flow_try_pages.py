"""Tests of trying a flow's draft in the admin: the simulator, scenario tests run from the page,
the translations page, and the picture."""

from __future__ import annotations

import html
import re
from typing import Any

from bot.services.access import Viewer
from flows.editing import set_message
from tests.admin.conftest import AdminWorld

FLOW = "/admin/flows/weekly_checkin"
SAM = Viewer(2, "sam", "Sam Staff", "staff", None)


def text_of(page: Any) -> str:
    """The page's words as a reader sees them: tags gone, entities read."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text)))


def start(admin: AdminWorld, name: str, step: str = "") -> None:
    answer = admin.post(
        f"{FLOW}/simulate/start", {"resident_id": str(admin.ids[name]), "step": step}
    )
    assert answer.status_code == 303, answer.text


def simulator(admin: AdminWorld) -> str:
    page = admin.get(f"{FLOW}/simulate")
    assert page.status_code == 200
    return text_of(page)


def count(admin: AdminWorld, table: str) -> int:
    async def counted() -> int:
        async with (
            admin.runtime.db.read() as conn,
            conn.execute(f"SELECT COUNT(*) FROM {table}") as cursor,
        ):
            row = await cursor.fetchone()
        assert row is not None
        return int(row[0])

    result: int = admin.call(counted)
    return result


def save_draft(admin: AdminWorld, change: Any) -> None:
    """Save the weekly check-in's draft with `change` applied to its YAML."""
    editor = admin.runtime.services.flow_editor
    draft = admin.call(editor.draft, "weekly_checkin")
    admin.call(
        lambda: editor.save(
            "weekly_checkin", change(draft.source), version=draft.version, viewer=SAM
        )
    )


# -- the simulator --------------------------------------------------------------------------


def test_staff_chat_as_pat_and_hear_it_is_lovely(admin: AdminWorld) -> None:
    admin.log_in("sam")
    first = simulator(admin)
    assert "Pat (catalyst Abby)" in first and "Lucy (catalyst Susie)" in first
    start(admin, "Pat")
    assert "Hi Pat, it's Abby. How are you this week?" in simulator(admin)
    assert admin.post(f"{FLOW}/simulate/reply", {"reply": "1"}).status_code == 303
    page = simulator(admin)
    assert "You, as Pat: 1" in page
    assert "That's lovely to hear, Pat." in page
    assert "mood Good" in page  # the results table: result, saved as
    assert "The conversation has ended (completed)." in page


def test_no_reply_came_sends_the_reminder_then_takes_the_no_reply_branch(
    admin: AdminWorld,
) -> None:
    # The welcome has a reminder of its own (the weekly check-in leaves them to the ladder).
    welcome = "/admin/flows/onboarding"
    admin.log_in("sam")
    answer = admin.post(f"{welcome}/simulate/start", {"resident_id": str(admin.ids["Pat"])})
    assert answer.status_code == 303, answer.text
    page = text_of(admin.get(f"{welcome}/simulate"))
    assert "No reply came for 1 day: a reminder is due." in page
    assert admin.post(f"{welcome}/simulate/no-reply").status_code == 303
    page = text_of(admin.get(f"{welcome}/simulate"))
    assert "Bot (reminder): No rush, Pat." in page
    assert admin.post(f"{welcome}/simulate/no-reply").status_code == 303
    page = text_of(admin.get(f"{welcome}/simulate"))
    assert "The conversation ended: unfinished." in page


def test_the_weekly_check_in_waits_3_days_with_no_reminder_then_counts_as_missed(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    start(admin, "Pat")
    assert "No reply came for 3 days: the time to answer is over" in simulator(admin)
    assert admin.post(f"{FLOW}/simulate/no-reply").status_code == 303
    page = simulator(admin)
    assert "The conversation ended: missed." in page
    assert "checkin missed" in page


def test_from_offer_call_yes_shows_the_alert_but_stores_and_sends_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    before = {table: count(admin, table) for table in ("alerts", "outbox", "sessions")}
    start(admin, "Pat", step="offer_call")
    assert "Started at the step offer_call." in simulator(admin)
    admin.post(f"{FLOW}/simulate/reply", {"reply": "yes"})
    page = simulator(admin)
    assert "Would alert the catalyst, Abby (routine): Pat would like a call" in page
    assert "Nothing is sent and no alert is raised" in page
    assert {table: count(admin, table) for table in before} == before

    assert admin.post(f"{FLOW}/simulate/restart").status_code == 303
    page = simulator(admin)
    assert "Restarted from the beginning." in page
    assert "You, as Pat" not in page and "Would alert" not in page
    assert "Hi Pat, it's Abby." in page


def test_bad_simulator_input_is_explained_and_changes_nothing(admin: AdminWorld) -> None:
    admin.log_in("sam")
    refused = admin.post(f"{FLOW}/simulate/reply", {"reply": "1"})
    assert refused.status_code == 400
    assert "Start a simulation first" in text_of(refused)
    start(admin, "Pat")
    empty = admin.post(f"{FLOW}/simulate/reply", {"reply": "  "})
    assert empty.status_code == 400 and "Type a reply to send." in text_of(empty)
    nowhere = admin.post(
        f"{FLOW}/simulate/start", {"resident_id": str(admin.ids["Lucy"]), "step": "nowhere"}
    )
    assert nowhere.status_code == 400
    assert "The flow has no step called 'nowhere'." in text_of(nowhere)
    nobody = admin.post(f"{FLOW}/simulate/start", {"resident_id": "x"})
    assert nobody.status_code == 400 and "Choose a resident to simulate." in text_of(nobody)
    assert admin.post(f"{FLOW}/simulate/start", {"resident_id": "99999"}).status_code == 404
    page = simulator(admin)
    assert "Conversation with Pat" in page and "You, as Pat" not in page
    assert admin.get("/admin/flows/no_such_flow/simulate").status_code == 404


def test_what_a_resident_says_in_the_simulator_is_escaped(admin: AdminWorld) -> None:
    admin.log_in("sam")
    start(admin, "Pat")
    admin.post(f"{FLOW}/simulate/reply", {"reply": "<b>hello</b>"})
    page = admin.get(f"{FLOW}/simulate")
    assert "<b>hello</b>" not in page.text
    assert "&lt;b&gt;hello&lt;/b&gt;" in page.text


# -- scenario tests -------------------------------------------------------------------------


def test_the_built_in_scenario_tests_pass(admin: AdminWorld) -> None:
    admin.log_in("sam")
    page = admin.get(f"{FLOW}/tests")
    assert page.status_code == 200
    saved = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin").scenarios
    assert "Pat is having a good week" in text_of(page)
    ran = admin.post(f"{FLOW}/tests", {"do": "run", "scenarios": saved, "version": "0"})
    assert ran.status_code == 200
    words = text_of(ran)
    count = saved.count("- name:")
    assert f"{count} passed, 0 failed." in words
    assert "Failed" not in words


def test_a_failing_scenario_shows_what_was_expected_beside_what_happened(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    saved = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin").scenarios
    edited = saved.replace("- bot: [lovely to hear, Pat]", "- bot: [wonderful to hear, Pat]", 1)
    assert edited != saved
    ran = admin.post(f"{FLOW}/tests", {"do": "run", "scenarios": edited, "version": "0"})
    words = text_of(ran)
    assert "1 failed." in words
    assert "Failed Pat is having a good week" in words
    assert "What was expected, and what happened instead" in words
    assert 'the bot to say something with "wonderful to hear" and "Pat"' in words
    assert "the bot said: \"That's lovely to hear, Pat." in words
    assert "Traceback" not in ran.text
    assert edited in html.unescape(ran.text)  # what was typed is kept in the box


def test_bad_scenario_yaml_is_explained_with_its_line_and_not_saved(admin: AdminWorld) -> None:
    admin.log_in("sam")
    bad = "flow: weekly_checkin\nscenarios:\n  - name: Pat\n    conversation:\n      - bot: [x\n"
    ran = admin.post(f"{FLOW}/tests", {"do": "run", "scenarios": bad, "version": "0"})
    assert ran.status_code == 200
    words = text_of(ran)
    assert "The tests could not be read, so none ran" in words
    assert re.search(r"Line \d+: ", words)
    wrong = "flow: weekly_checkin\nscenarios:\n  - name: Pat\n    expect: {mood: good}\n"
    words = text_of(admin.post(f"{FLOW}/tests", {"do": "run", "scenarios": wrong, "version": "0"}))
    assert "Line 4: 'mood' is not something to expect" in words
    refused = admin.post(f"{FLOW}/tests", {"do": "save", "scenarios": bad, "version": "0"})
    assert refused.status_code == 400
    draft = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin")
    assert draft.version == 0 and "Pat is having a good week" in draft.scenarios


def test_edited_scenarios_are_saved_with_the_draft_and_a_stale_save_is_refused(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    editor = admin.runtime.services.flow_editor
    saved = admin.call(editor.draft, "weekly_checkin").scenarios
    edited = saved.replace("Pat is having a good week", "Pat has a good week")
    answer = admin.post(f"{FLOW}/tests", {"do": "save", "scenarios": edited, "version": "0"})
    assert answer.status_code == 303
    assert "The scenario tests are saved with the draft." in text_of(admin.get(f"{FLOW}/tests"))
    draft = admin.call(editor.draft, "weekly_checkin")
    assert draft.version == 1 and "Pat has a good week" in draft.scenarios
    stale = admin.post(f"{FLOW}/tests", {"do": "save", "scenarios": saved, "version": "0"})
    assert stale.status_code == 409
    assert "Someone else saved this flow since you opened it" in text_of(stale)
    assert admin.call(editor.draft, "weekly_checkin").version == 1


# -- translations ---------------------------------------------------------------------------

POLISH_KEY = "t-pl-how_are_you-message-0-"


def test_missing_polish_texts_are_listed_and_one_filled_in_is_saved_into_the_draft(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    single = text_of(admin.get(f"{FLOW}/translations"))
    assert "This flow has one language (en)." in single
    save_draft(admin, lambda source: set_message(source, "glad", "Miło to słyszeć!", "pl"))
    page = admin.get(f"{FLOW}/translations")
    words = text_of(page)
    assert "Missing in pl" in words
    assert "Message 1 of the step how_are_you, in pl" in words  # last time, then the question
    assert "Reply 1 Good, 2 OK or 3 Not so good" in words
    assert f'name="{POLISH_KEY}"' in page.text
    version = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin").version

    polish = "Cześć {{ resident.preferred_name }}, tu {{ catalyst.first_name }}. Jak się masz?"
    checked = admin.post(
        f"{FLOW}/translations", {"do": "check", POLISH_KEY: polish, "version": str(version)}
    )
    assert "As an SMS: 1 segment: the character ‘ś’" in text_of(checked)
    assert "make it UCS-2" in text_of(checked)
    saved = admin.post(
        f"{FLOW}/translations", {"do": "save", POLISH_KEY: polish, "version": str(version)}
    )
    assert saved.status_code == 303
    notice = text_of(admin.get(f"{FLOW}/translations"))
    assert "Saved 1 translation in the draft. how_are_you, message 1 (pl): 1 segment" in notice
    draft = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin")
    assert draft.version == version + 1
    assert "Jak się masz?" in draft.source
    assert f'name="{POLISH_KEY}"' not in admin.get(f"{FLOW}/translations").text

    stale = admin.post(
        f"{FLOW}/translations",
        {"do": "save", "t-pl-fine_for_now-message-0-": "Cieszę się", "version": str(version)},
    )
    assert stale.status_code == 409
    assert "Someone else saved this flow" in text_of(stale)
    assert "Cieszę się" in html.unescape(stale.text)  # what was typed is kept
    assert admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin").version == (
        version + 1
    )


def test_saving_no_translation_is_explained(admin: AdminWorld) -> None:
    admin.log_in("sam")
    save_draft(admin, lambda source: set_message(source, "glad", "Miło to słyszeć!", "pl"))
    empty = admin.post(f"{FLOW}/translations", {"do": "save", POLISH_KEY: " ", "version": "1"})
    assert empty.status_code == 400
    assert "Fill in at least one translation to save." in text_of(empty)


# -- the picture ----------------------------------------------------------------------------


def test_the_picture_is_an_escaped_svg_with_its_problems_in_words(admin: AdminWorld) -> None:
    admin.log_in("sam")
    page = admin.get(f"{FLOW}/picture")
    assert page.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page.text
    assert "None: every step can be reached" in text_of(page)

    def spoil(source: str) -> str:
        lonely = '\n  lonely:\n    say: "Tea & <b>cake</b>?"\n    end: completed\n'
        return source.replace("  glad:\n", lonely.lstrip("\n") + "\n  glad:\n", 1)

    save_draft(admin, spoil)
    page = admin.get(f"{FLOW}/picture")
    assert "Tea &amp; &lt;b&gt;cake&lt;/b&gt;?" in page.text
    assert "<b>cake</b>" not in page.text
    words = text_of(page)
    assert "step lonely:" in words and "unreachable" in words.lower()
    download = admin.get(f"{FLOW}/picture.svg")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("image/svg+xml")
    assert download.text.startswith("<svg") and "&lt;b&gt;cake" in download.text


# -- who may -------------------------------------------------------------------------------


def test_a_catalyst_may_not_use_any_of_these_pages(admin: AdminWorld) -> None:
    admin.log_in("abby")
    for path in ("simulate", "tests", "translations", "picture", "picture.svg"):
        assert admin.get(f"{FLOW}/{path}").status_code == 403, path
    posts = {
        "simulate/start": {"resident_id": str(admin.ids["Pat"])},
        "simulate/reply": {"reply": "1"},
        "simulate/no-reply": {},
        "simulate/restart": {},
        "tests": {"do": "save", "scenarios": "", "version": "0"},
        "translations": {"do": "save", "version": "0"},
    }
    for path, data in posts.items():
        assert admin.post(f"{FLOW}/{path}", data).status_code == 403, path
    draft = admin.call(admin.runtime.services.flow_editor.draft, "weekly_checkin")
    assert draft.version == 0


def test_an_admin_may_use_them(admin: AdminWorld) -> None:
    admin.log_in("ada")
    for path in ("simulate", "tests", "translations", "picture"):
        assert admin.get(f"{FLOW}/{path}").status_code == 200, path
