"""Tests of what happens when a resident's message signals risk: the fixed reply at once, an
urgent alert to their catalyst and the first person on duty, passed down the duty list while
nobody takes it, and a safeguarding record that can only be added to."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from bot import paging
from bot.demo import seed_demo
from bot.inbound import Handled, InboundMessage
from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.settings import Settings
from storage import alerts, identities, messages, people, safeguarding, sessions
from storage.records import Person
from tests.bot.conftest import MovableClock
from tests.bot.helpers import open_alerts, replies, say, start_checkin

RISK = "I want to end it all"


async def _pageable(services: Runtime, role: str, name: str, number: str) -> Person:
    async with services.db.write() as tx:
        person = await people.add_person(tx, role, name, f"{name} Example", alert_channel="sms")
        await identities.add_identity(tx, "sms", number, person_id=person.id)
    return person


async def _abby(services: Runtime) -> Person:
    async with services.db.write() as tx:
        abby = next(p for p in await people.list_people(tx, "catalyst") if p.first_name == "Abby")
        await identities.add_identity(tx, "sms", "+447700900099", person_id=abby.id)
        await people.set_alert_channel(tx, abby.id, "sms")
        found = await people.get_person(tx, abby.id)
    assert found is not None
    return found


async def _pages(services: Runtime, person: Person) -> list[str]:
    """What was queued for `person` (pages go by SMS, which these tests have no provider for:
    the dispatcher pages new alerts the same way before it sends)."""
    async with services.db.write() as tx:
        await paging.page_new_alerts(tx)
        return [m.body for m in await messages.messages_to_person(tx, person.id)]


async def _say(services: Runtime, resident_id: int, text: str) -> Handled:
    return await services.pipeline.handle(
        InboundMessage("webchat", str(resident_id), text, uuid.uuid4().hex)
    )


async def _record(services: Runtime, alert_id: int) -> list[safeguarding.RecordEntry]:
    async with services.db.read() as conn:
        return await safeguarding.entries_for_alert(conn, alert_id)


async def _duty(services: Runtime, *persons: Person) -> None:
    async with services.db.write() as tx:
        await safeguarding.set_duty_list(tx, [p.id for p in persons])


def _staff(person_id: int | None = None) -> Viewer:
    return Viewer(1, "sam", "Sam", "staff", person_id)


async def test_a_risk_message_gets_the_fixed_reply_an_urgent_alert_and_a_record(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby = await _abby(services)
    sam = await _pageable(services, "staff", "Sam", "+447700900111")
    await _duty(services, sam)
    handled = await _say(services, demo["Pat"], RISK)

    [reply] = await replies(services, handled)
    assert "Samaritans" in reply and "116 123" in reply and "999" in reply
    assert "not an emergency service" in reply.lower()
    [alert] = await open_alerts(services)
    assert (alert.kind, alert.urgency) == ("risk", "urgent")
    assert "Pat" in alert.summary and "suicide" in alert.summary.lower()

    [abbys_page] = await _pages(services, abby)
    [sams_page] = await _pages(services, sam)
    assert abbys_page == sams_page
    assert abbys_page.startswith(f"Companion URGENT alert A{alert.id}: Pat may need help now")
    assert "end it all" not in abbys_page  # an SMS page never carries the resident's words

    record = await _record(services, alert.id)
    assert [e.event for e in record] == ["raised", "replied", "told", "told"]
    raised = record[0].detail
    assert raised["said"] == RISK and raised["kind"] == "suicide" and raised["language"] == "en"
    assert record[1].detail["text"] == reply
    assert {e.detail["to"] for e in record[2:]} == {abby.full_name, sam.full_name}


async def test_an_alert_nobody_takes_is_passed_down_the_duty_list_until_nobody_is_left(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    await _abby(services)
    sam = await _pageable(services, "staff", "Sam", "+447700900111")
    lisa = await _pageable(services, "staff", "Lisa", "+447700900222")
    await _duty(services, sam, lisa)
    await _say(services, demo["Pat"], RISK)
    [alert] = await open_alerts(services)
    assert await _pages(services, lisa) == []

    clock.advance(timedelta(minutes=9))
    assert await services.sweeps.pass_on_unacknowledged() == 0
    clock.advance(timedelta(minutes=2))
    assert await services.sweeps.pass_on_unacknowledged() == 1
    [page] = await _pages(services, lisa)
    assert f"URGENT alert A{alert.id}" in page and "Nobody has answered yet" in page
    assert len(page) <= 160

    clock.advance(timedelta(minutes=11))
    assert await services.sweeps.pass_on_unacknowledged() == 0
    events = [e.event for e in await _record(services, alert.id)]
    assert events[-3:] == ["passed_on", "told", "nobody_left"]
    clock.advance(timedelta(minutes=30))
    assert await services.sweeps.pass_on_unacknowledged() == 0
    assert [e.event for e in await _record(services, alert.id)] == events


async def test_once_someone_is_on_it_the_alert_stays_with_them(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    await _abby(services)
    sam = await _pageable(services, "staff", "Sam", "+447700900111")
    lisa = await _pageable(services, "staff", "Lisa", "+447700900222")
    await _duty(services, sam, lisa)
    await _say(services, demo["Pat"], RISK)
    [alert] = await open_alerts(services)
    assert len(await _pages(services, sam)) == 1
    await services.services.alerts.acknowledge_as(_staff(sam.id), alert.id)
    clock.advance(timedelta(hours=1))
    assert await services.sweeps.pass_on_unacknowledged() == 0
    assert await _pages(services, lisa) == []
    await services.services.alerts.close(_staff(sam.id), alert.id, "Rang Pat; her son is with her")
    entries = await _record(services, alert.id)
    assert [e.event for e in entries][-2:] == ["acknowledged", "closed"]
    assert entries[-1].actor == "staff:sam" and "her son is with her" in entries[-1].detail["note"]


async def test_the_record_can_be_added_to_but_never_changed_or_deleted(
    services: Runtime, demo: dict[str, int]
) -> None:
    await say(services, demo["Pat"], RISK)
    [alert] = await open_alerts(services)
    item = await services.services.alerts.add_to_record(
        _staff(), alert.id, "Her daughter is going round now."
    )
    assert item.record and any("daughter is going round" in h.what for h in item.history)
    for sql in (
        "UPDATE safeguarding_records SET actor = 'someone else'",
        "UPDATE safeguarding_records SET detail = 'x'",
        "DELETE FROM safeguarding_records",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="can only be added to"):
            async with services.db.write() as tx:
                await tx.execute(sql)
    assert len(await _record(services, alert.id)) == 3  # raised, replied, the note


async def test_a_risk_message_in_the_middle_of_a_check_in_ends_the_check_in(
    services: Runtime, demo: dict[str, int]
) -> None:
    await start_checkin(services, demo["Pat"])
    handled = await say(services, demo["Pat"], "i cant breathe properly")
    [reply] = await replies(services, handled)
    assert "999" in reply
    async with services.db.read() as conn:
        assert await sessions.waiting_session(conn, demo["Pat"]) is None
    [alert] = await open_alerts(services)
    assert alert.urgency == "urgent"


async def test_a_paused_resident_is_answered_and_alerted_all_the_same(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        await people.update_resident(tx, demo["Pat"], status="paused")
    handled = await say(services, demo["Pat"], "I've fallen and can't get up")
    [reply] = await replies(services, handled)
    assert "999" in reply
    assert [a.kind for a in await open_alerts(services)] == ["risk"]


async def test_someone_who_opted_out_gets_no_reply_but_a_person_is_still_told(
    services: Runtime, demo: dict[str, int]
) -> None:
    await say(services, demo["Pat"], "STOP")
    handled = await say(services, demo["Pat"], RISK)
    assert await replies(services, handled) == []
    alert = next(a for a in await open_alerts(services) if a.kind == "risk")
    events = [e.event for e in await _record(services, alert.id)]
    assert events[:2] == ["raised", "reply_held"]


async def test_a_risk_message_in_polish_is_answered_in_polish_and_in_the_language_on_record(
    services: Runtime, demo: dict[str, int]
) -> None:
    handled = await say(services, demo["Pat"], "nie chce juz zyc")
    polish, english = await replies(services, handled)
    assert "116 123" in polish and "999" in polish and polish != english
    assert "116 123" in english
    [alert] = await open_alerts(services)
    [raised, *_] = await _record(services, alert.id)
    assert raised.detail["language"] == "pl"


async def test_texting_help_brings_the_help_reply_and_tells_the_catalyst(
    services: Runtime, demo: dict[str, int]
) -> None:
    handled = await say(services, demo["Pat"], "HELP")
    [first, *_] = await replies(services, handled)
    assert "999" in first
    [alert] = await open_alerts(services)
    assert (alert.kind, alert.urgency) == ("help", "routine")
    async with services.db.read() as conn:
        assert not await alerts.has_open_risk(conn, demo["Pat"])


async def test_someone_paged_takes_the_alert_by_replying_ok_and_it_goes_no_further(
    services: Runtime, demo: dict[str, int], clock: MovableClock
) -> None:
    await _abby(services)
    sam = await _pageable(services, "staff", "Sam", "+447700900111")
    lisa = await _pageable(services, "catalyst", "Lisa", "+447700900222")
    await _duty(services, lisa, sam)
    await _say(services, demo["Pat"], RISK)
    [alert] = await open_alerts(services)

    handled = await services.pipeline.handle(
        InboundMessage("sms", "+447700900222", f"ok a{alert.id}", "lisa-1")
    )
    [answer] = await replies(services, handled)
    assert answer == (
        f"Thanks Lisa: alert A{alert.id} is with you now. Close it in the admin when done."
    )
    async with services.db.read() as conn:
        taken = await alerts.get_alert(conn, alert.id)
    assert taken is not None and taken.status == "acknowledged"
    clock.advance(timedelta(hours=1))
    assert await services.sweeps.pass_on_unacknowledged() == 0
    assert await _pages(services, sam) == []
    handled = await services.pipeline.handle(
        InboundMessage("sms", "+447700900111", f"OK A{alert.id}", "sam-1")
    )
    [answer] = await replies(services, handled)
    assert answer == f"Alert A{alert.id} is already with Lisa (catalyst)."


async def test_a_catalyst_cannot_take_another_catalysts_alert_by_reply(
    services: Runtime, demo: dict[str, int]
) -> None:
    lisa = await _pageable(services, "catalyst", "Lisa", "+447700900222")
    await _say(services, demo["Pat"], RISK)
    [alert] = await open_alerts(services)
    handled = await services.pipeline.handle(
        InboundMessage("sms", "+447700900222", f"OK A{alert.id}", "lisa-1")
    )
    [answer] = await replies(services, handled)
    assert "can't find alert" in answer
    assert lisa.id != alert.catalyst_id
    assert [a.status for a in await open_alerts(services)] == ["open"]


async def test_someone_not_known_yet_who_signals_risk_gets_the_reply_and_a_person_is_paged(
    services: Runtime, demo: dict[str, int]
) -> None:
    sam = await _pageable(services, "staff", "Sam", "+447700900111")
    await _duty(services, sam)
    handled = await services.pipeline.handle(
        InboundMessage("sms", "+447700900555", "help me ive fallen", "stranger-1")
    )
    [reply] = await replies(services, handled)
    assert "999" in reply
    [alert] = await open_alerts(services)
    assert (alert.kind, alert.urgency) == ("risk", "urgent")
    assert alert.summary.startswith("Someone we don't know yet (by sms) may need help now")
    [page] = await _pages(services, sam)
    assert f"URGENT alert A{alert.id}" in page


async def test_with_nobody_on_duty_every_member_of_staff_hears_of_an_urgent_alert(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby = await _abby(services)
    sam = await _pageable(services, "staff", "Sam", "+447700900111")
    lisa = await _pageable(services, "staff", "Lisa", "+447700900222")
    await _say(services, demo["Pat"], RISK)
    for person in (abby, sam, lisa):
        [page] = await _pages(services, person)
        assert "URGENT alert" in page


async def test_only_the_programmes_languages_are_checked(tmp_path: Path) -> None:
    settings = Settings.load(
        environ={"COMPANION_DATABASE": str(tmp_path / "c.db"), "COMPANION_LANGUAGES": "en,pt"},
        env_file=None,
    )
    built = Runtime.build(settings, clock=MovableClock())
    await built.start(background=False)
    try:
        ids = await seed_demo(built)
        assert built.programme.languages == ("en", "pt")
        polish = await replies(built, await _say(built, ids["Pat"], "chce umrzec"))
        portuguese = await replies(built, await _say(built, ids["Pat"], "quero morrer"))
    finally:
        await built.stop()
    assert not any("116 123" in reply for reply in polish)
    assert "116 123" in portuguese[0]
