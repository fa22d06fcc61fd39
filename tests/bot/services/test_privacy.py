"""Tests of exporting and erasing a resident: Pat's export holds her number, messages, notes and
consent history (as JSON and in plain words); a catalyst cannot export another's resident; an
erasure is refused while a safeguarding alert about her is open; after it, nothing of her name,
number, texts or notes can be found through any service, her old number is a stranger, waiting
messages are cancelled, and the programme's figures count what they counted before."""

from __future__ import annotations

import json

import pytest

from bot.inbound import InboundMessage
from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.errors import Conflict, Invalid, NotFound
from bot.services.privacy import SAFEGUARDING_KEPT
from bot.services.resident_search import ResidentFilter
from storage import consents, identities, messages, sessions
from storage import people as storage_people

PAT_NUMBER = "+447700900123"
PAT_SAYS = "My jigsaw club moved to Fridays"
FALL = "I've had a fall and can't get up"
NOTE = "Pat's daughter Jo visits on Sundays"
FROM_ABBY = "Hi Pat, it's Abby: see you at bingo"
#: Words only Pat's data holds: none may be found after she is erased.
PATS_WORDS = ("Pat", "Patricia", "Fuller", PAT_NUMBER, "jigsaw", "Jo visits", "bingo")


async def people(services: Runtime) -> dict[str, Viewer]:
    catalysts = {c.first_name: c.id for c in await services.services.catalysts.list_catalysts()}
    return {
        "abby": Viewer(1, "abby", "Abby Clarke", "catalyst", catalysts["Abby"]),
        "susie": Viewer(2, "susie", "Susie Khan", "catalyst", catalysts["Susie"]),
        "sam": Viewer(3, "sam", "Sam Staff", "staff", None),
        "ada": Viewer(4, "ada", "Ada Admin", "admin", None),
    }


async def pats_story(services: Runtime, pat: int, who: dict[str, Viewer]) -> None:
    """Pat gets a number, says no to event news, is checked in on and texts in (Abby is paged
    on Telegram), has a note and a message from Abby."""
    abby = who["abby"].person_id
    assert abby is not None
    async with services.db.write() as tx:
        await identities.add_identity(tx, "sms", PAT_NUMBER, resident_id=pat)
        await consents.record_consent(tx, pat, "events", False, "chat", "sms")
        await identities.add_identity(tx, "telegram", "5550001", person_id=abby)
        await storage_people.set_alert_channel(tx, abby, "telegram")
    await services.services.checkins.start_now(pat)
    await services.pipeline.handle(InboundMessage("sms", PAT_NUMBER, PAT_SAYS, "SM-1"))
    await services.services.notes.add(who["abby"], pat, NOTE)
    await services.services.messages_out.send(who["abby"], pat, FROM_ABBY)


async def close_open_alerts(services: Runtime, pat: int, by: Viewer) -> None:
    for view in await services.services.alerts.list_alerts():
        if view.alert.resident_id == pat and view.alert.status != "closed":
            await services.services.alerts.close(by, view.alert.id, "Rang her, she is fine")


async def test_pats_export_holds_her_number_messages_notes_and_consents(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    await pats_story(services, pat, who)
    export = await services.services.privacy.export(who["abby"], pat)

    data = json.loads(export.as_json())
    assert data["format"] == "companion-resident-export" and data["version"] == 1
    assert data["resident"]["full_name"] == "Patricia Fuller"
    assert PAT_NUMBER in [c["address"] for c in data["channels"]]
    texts = [m["text"] for m in data["messages"]]
    assert PAT_SAYS in texts and FROM_ABBY in texts
    assert {m["direction"] for m in data["messages"]} == {"in", "out"}
    assert [m["written_by"] for m in data["staff_messages"]] == ["Abby Clarke"]
    assert [n["text"] for n in data["notes"]] == [NOTE]
    history = data["consents"]["history"]
    assert {"purpose": "events", "given": False, "channel": "sms"}.items() <= history[-1].items()
    assert any(h["given"] for h in history)  # the demo's agreement, kept as history
    assert "exported their data" not in [e["action"] for e in data["audit"]]  # only earlier ones
    [checkin] = data["checkins"]
    assert checkin["status"] == "answered"

    summary = export.summary_text()
    for heading in ("Your details", "How we reach you", "What you agreed to"):
        assert heading in summary
    assert f"Your messages ({len(data['messages'])})" in summary
    assert PAT_NUMBER in summary and PAT_SAYS in summary and NOTE in summary
    assert "said no to event news on Text message (SMS)" in summary
    assert "Tue 24 Nov 2026, 10:00 You wrote" in summary  # on Pat's own clock, in words
    assert "Tue 24 Nov 2026, 10:00: you answered" in summary

    log = await services.services.audit.entries(subject=f"resident:{pat}")
    assert (log[0].actor, log[0].action) == ("catalyst:abby", "exported their data")


async def test_a_catalyst_cannot_export_another_catalysts_resident(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    with pytest.raises(NotFound):
        await services.services.privacy.export(who["susie"], demo["Pat"])
    staff = await services.services.privacy.export(who["sam"], demo["Pat"])
    assert staff.data["resident"]["preferred_name"] == "Pat"


async def test_erasing_is_refused_while_a_safeguarding_alert_is_open(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    await services.services.webchat.say(pat, FALL)
    preview = await services.services.privacy.preview(who["ada"], pat)
    assert preview.refused and "safeguarding alert that is still open" in preview.refused
    with pytest.raises(Conflict):
        await services.services.privacy.erase(who["ada"], pat, "Pat")
    with pytest.raises(Conflict):
        await services.services.privacy.erase_from_shell(pat)
    still = await services.services.privacy.export(who["ada"], pat)
    assert still.data["resident"]["preferred_name"] == "Pat"
    assert FALL in [m["text"] for m in still.data["messages"]]

    await close_open_alerts(services, pat, who["abby"])
    erased = await services.services.privacy.erase(who["ada"], pat, "pat ")
    assert erased.name == f"Erased resident R{pat}"


async def test_only_an_admin_who_types_the_name_erases(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    for viewer in (who["sam"], who["abby"]):
        with pytest.raises(NotFound):
            await services.services.privacy.erase(viewer, pat, "Pat")
    with pytest.raises(Invalid) as wrong:
        await services.services.privacy.erase(who["ada"], pat, "Lucy")
    assert "Type Pat's preferred name" in wrong.value.message
    kept = await services.services.privacy.export(who["ada"], pat)
    assert kept.data["resident"]["full_name"] == "Patricia Fuller"


async def test_after_erasure_nothing_of_pat_can_be_found(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    await pats_story(services, pat, who)
    await services.services.webchat.say(pat, FALL)
    await close_open_alerts(services, pat, who["abby"])
    figures_before = await services.services.figures.overview()
    async with services.db.read() as conn:
        paged = await messages.messages_to_person(conn, who["abby"].person_id or 0)
    assert any("Pat" in m.body for m in paged), "Abby's Telegram pages quote the alerts"
    count_before = len((await services.services.privacy.export(who["ada"], pat)).data["messages"])

    erased = await services.services.privacy.erase(who["ada"], pat, "Pat")

    assert erased.removed["message texts"] == count_before
    assert erased.removed["notes"] == 1 and erased.removed["channels"] == 2
    assert erased.removed["alert pages"] >= 1 and erased.removed["conversation states"] == 1
    async with services.db.read() as conn:
        to_abby = await messages.messages_to_person(conn, who["abby"].person_id or 0)
    assert to_abby and all(PAT_SAYS not in m.body and "Pat" not in m.body for m in to_abby)
    after = await services.services.privacy.export(who["ada"], pat)
    everything = after.as_json() + after.summary_text()
    page = await services.services.resident_page.view(who["ada"], pat)
    shown = repr(page) + repr(await services.services.conversation.messages(pat))
    shown += repr(await services.services.alerts.inbox(who["ada"], "closed"))
    shown += repr(await services.services.resident_search.search(who["ada"], ResidentFilter()))
    for words in PATS_WORDS:
        assert words not in everything, words
        assert words not in shown, words
    assert page.resident.preferred_name == f"Erased resident R{pat}"
    assert page.channels == [] and page.notes == []
    assert await services.services.notes.of(who["ada"], pat) == []
    # The rows stay, so the figures count what they counted (every message, both ways).
    assert len(after.data["messages"]) == count_before
    assert {m["direction"] for m in after.data["messages"]} == {"in", "out"}
    assert after.data["resident"]["erased_at"]
    assert SAFEGUARDING_KEPT in after.summary_text()
    figures_after = await services.services.figures.overview()
    for before, now in zip(figures_before.figures, figures_after.figures, strict=True):
        if before.name == "residents":
            assert before.total == now.total  # Pat counts as stopped, no longer as active
        else:
            assert before == now, before.name

    # Her old number writing in is someone unknown.
    handled = await services.pipeline.handle(InboundMessage("sms", PAT_NUMBER, "hello?", "SM-2"))
    async with services.db.read() as conn:
        message = await messages.get_message(conn, handled.message_id)
    assert message is not None and message.resident_id != pat


async def test_erasure_cancels_waiting_messages_and_is_audited_in_counts(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    sent = await services.services.messages_out.send(who["abby"], pat, FROM_ABBY)
    await services.services.privacy.erase_from_shell(pat)
    async with services.db.read() as conn:
        message = await messages.get_message(conn, sent.message_id)
        waiting = await conn.execute_fetchall("SELECT * FROM outbox")
    assert message is not None and message.status == "cancelled"
    assert FROM_ABBY not in message.body
    assert list(waiting) == []
    (entry, *_) = await services.services.audit.entries(subject=f"resident:{pat}")
    assert (entry.actor, entry.action) == ("shell", "erased")
    assert entry.detail["removed"]["outbox messages cancelled"] == 1
    assert FROM_ABBY not in json.dumps(entry.detail) and "Pat" not in json.dumps(entry.detail)
    with pytest.raises(Conflict):
        await services.services.privacy.erase_from_shell(pat)


async def test_erasure_keeps_picked_answers_and_consent_facts_but_not_what_she_typed(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    await services.services.checkins.start_now(pat)
    async with services.db.write() as tx:
        waiting = await sessions.waiting_session(tx, pat)
        assert waiting is not None
        for name, value, label, category in (
            ("mood", "good", "Good", "good"),
            ("anything_else", "My hip hurts since Tuesday", "My hip hurts since Tuesday", "other"),
            ("visitor", "Jo from next door", "Jo from next door", "answered"),
            ("walks", 3, "3", "answered"),
        ):
            await sessions.save_result(
                tx,
                resident_id=pat,
                session_id=waiting.id,
                flow_id="weekly_checkin",
                name=name,
                value=value,
                label=label,
                category=category,
            )
        await consents.record_consent(
            tx, pat, "buddying", False, "catalyst", actor="catalyst:abby", note="Told me by phone"
        )

    erased = await services.services.privacy.erase(who["ada"], pat, "Pat")

    assert erased.removed["free-text answers"] == 2
    assert erased.removed["consent notes"] == 1
    after = (await services.services.privacy.export(who["ada"], pat)).data
    answers = {r["name"]: (r["value"], r["label"], r["category"]) for r in after["results"]}
    assert answers["mood"] == ("good", "Good", "good")  # the mood figures count it
    assert answers["walks"] == (3, "3", "answered")  # a number is a figure, not her words
    assert answers["anything_else"] == (None, "", "other")
    assert answers["visitor"] == (None, "", "answered")
    (change,) = [
        c for c in after["consents"]["history"] if c["purpose"] == "buddying" and not c["given"]
    ]
    assert (change["source"], change["note"]) == ("catalyst", None)
    assert after["consents"]["now"]["buddying"] is False
    assert all(c["state"] == {} and c["context"] == {} for c in after["conversations"])


async def test_the_safeguarding_record_is_exported_and_outlives_the_erasure(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    await services.services.webchat.say(pat, FALL)
    exported = (await services.services.privacy.export(who["ada"], pat)).data
    record = exported["safeguarding_record"]
    assert record and record[0]["event"] == "raised"
    assert FALL in json.dumps(record, ensure_ascii=False)
    await close_open_alerts(services, pat, who["abby"])

    await services.services.privacy.erase(who["ada"], pat, "Pat")

    kept = (await services.services.privacy.export(who["ada"], pat)).data["safeguarding_record"]
    assert [entry["event"] for entry in kept][: len(record)] == [e["event"] for e in record]
    assert FALL in json.dumps(kept, ensure_ascii=False)


async def test_the_words_of_a_check_in_answer_are_exported_and_go_with_the_erasure(
    services: Runtime, demo: dict[str, int]
) -> None:
    who = await people(services)
    pat = demo["Pat"]
    await services.services.checkins.start_now(pat)
    await services.services.webchat.say(pat, "not so good, my knee is bad")
    data = (await services.services.privacy.export(who["ada"], pat)).data
    [checkin] = data["checkins"]
    assert (checkin["status"], checkin["mood"]) == ("answered", "low")
    assert checkin["said"] and "knee" in checkin["said"]

    erased = await services.services.privacy.erase(who["ada"], pat, "Pat")

    assert erased.removed["check-in words"] == 1
    after = await services.services.privacy.export(who["ada"], pat)
    [checkin] = after.data["checkins"]
    assert (checkin["status"], checkin["mood"], checkin["said"]) == ("answered", "low", None)
    assert "knee" not in after.as_json() + after.summary_text()
