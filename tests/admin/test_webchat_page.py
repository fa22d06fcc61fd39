"""Tests of the web chat page: staff pick a resident and talk as them, the bot's replies show
on the page; a blank message is explained and sends nothing; catalysts cannot use it."""

from __future__ import annotations

import html

from tests.admin.conftest import AdminWorld


def _said_by(admin: AdminWorld, name: str) -> list[str]:
    found = admin.call(admin.runtime.services.conversation.messages, admin.ids[name])
    return [m.body for m in found if m.direction == "in"]


def test_staff_talk_as_pat_and_see_the_bots_reply(admin: AdminWorld) -> None:
    admin.log_in("sam")
    pick = admin.get("/admin/webchat")
    assert pick.status_code == 200
    pat = admin.ids["Pat"]
    assert f'href="/admin/webchat/{pat}"' in pick.text
    started = admin.post(f"/admin/webchat/{pat}/checkin")
    assert started.status_code == 303
    assert started.headers["location"] == f"/admin/webchat/{pat}#latest"
    page = html.unescape(admin.get(f"/admin/webchat/{pat}").text)
    assert "Check-in started." in page
    assert "Hi Pat, it's Abby. How are you this week?" in page

    sent = admin.post(f"/admin/webchat/{pat}", {"text": "grand, thanks"})
    assert sent.status_code == 303
    page = html.unescape(admin.get(sent.headers["location"].split("#")[0]).text)
    assert "Sent. The bot answered with 1 message." in page
    assert "grand, thanks" in page
    assert "That's lovely to hear, Pat." in page
    assert _said_by(admin, "Pat") == ["grand, thanks"]
    said = [
        (e.actor, e.subject)
        for e in admin.call(admin.runtime.services.audit.entries)
        if e.action == "spoke as in web chat"
    ]
    assert said == [("staff:sam", f"resident:{pat}")]


def test_a_blank_message_is_explained_and_sends_nothing(admin: AdminWorld) -> None:
    admin.log_in("ada")
    pat = admin.ids["Pat"]
    answer = admin.post(f"/admin/webchat/{pat}", {"text": "   "})
    assert answer.status_code == 400
    assert "Type a message to send." in answer.text
    assert _said_by(admin, "Pat") == []


def test_what_people_typed_is_escaped_in_the_chat(admin: AdminWorld) -> None:
    admin.log_in("sam")
    pat = admin.ids["Pat"]
    admin.post(f"/admin/webchat/{pat}", {"text": "<b>hello</b>"})
    page = admin.get(f"/admin/webchat/{pat}").text
    assert "&lt;b&gt;hello&lt;/b&gt;" in page
    assert "<b>hello</b>" not in page


def test_catalysts_cannot_use_the_web_chat_and_nobody_is_made_up(admin: AdminWorld) -> None:
    admin.log_in("abby")
    assert admin.get("/admin/webchat").status_code == 403
    assert admin.post(f"/admin/webchat/{admin.ids['Pat']}", {"text": "hi"}).status_code == 403
    admin.log_in("sam")
    assert admin.get("/admin/webchat/99999").status_code == 404
    assert admin.post("/admin/webchat/99999", {"text": "hi"}).status_code == 404
