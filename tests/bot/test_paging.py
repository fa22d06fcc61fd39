"""Tests of paging: catalysts hear of alerts on the channel they chose, in the right words."""

from __future__ import annotations

from bot import paging
from bot.inbound import InboundMessage
from bot.runtime import Runtime
from storage import alerts, identities, messages, people
from storage.records import Person

ABBY_PHONE = "+447700900099"
RISK = "I want to end it all"


async def _abby(services: Runtime, channel: str | None, address: str = ABBY_PHONE) -> Person:
    async with services.db.write() as tx:
        abby = next(p for p in await people.list_people(tx, "catalyst") if p.first_name == "Abby")
        if channel is not None:
            await identities.add_identity(tx, channel, address, person_id=abby.id)
        await people.set_alert_channel(tx, abby.id, channel)
    return abby


async def _pages(services: Runtime, person: Person) -> list[str]:
    async with services.db.write() as tx:
        await paging.page_new_alerts(tx)
        return [m.body for m in await messages.messages_to_person(tx, person.id)]


async def _say(services: Runtime, resident_id: int, text: str, n: int) -> None:
    await services.pipeline.handle(InboundMessage("webchat", str(resident_id), text, f"m{n}"))


async def test_an_sms_page_names_the_resident_but_never_carries_their_words(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby = await _abby(services, "sms")
    await _say(services, demo["Pat"], RISK, 1)
    [page] = await _pages(services, abby)
    async with services.db.read() as conn:
        [alert] = await alerts.list_alerts(conn, status="open")
    assert page == (
        f"Companion URGENT alert A{alert.id}: Pat may need help now. Please contact them today. "
        f"Reply OK A{alert.id} if you are on it."
    )
    assert "end it all" not in page and len(page) <= 160


async def test_a_telegram_page_carries_the_alerts_summary(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby = await _abby(services, "telegram", "777")
    await _say(services, demo["Pat"], "I'd like to pause for a while", 1)
    [page] = await _pages(services, abby)
    assert page.startswith("Companion alert A") and "Pat asked to pause check-ins" in page


async def test_each_alert_is_paged_once(services: Runtime, demo: dict[str, int]) -> None:
    abby = await _abby(services, "sms")
    await _say(services, demo["Pat"], RISK, 1)
    assert len(await _pages(services, abby)) == 1
    assert len(await _pages(services, abby)) == 1
    await _say(services, demo["Pat"], RISK, 2)
    assert len(await _pages(services, abby)) == 2


async def test_a_catalyst_who_chose_no_alert_channel_is_not_paged(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby = await _abby(services, None)
    await _say(services, demo["Pat"], RISK, 1)
    assert await _pages(services, abby) == []


async def test_a_catalyst_who_stopped_their_alert_chat_is_not_paged(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby = await _abby(services, "sms")
    async with services.db.write() as tx:
        found = await identities.find_identity(tx, "sms", ABBY_PHONE)
        assert found is not None
        await identities.set_opted_out(tx, found.id, True)
    await _say(services, demo["Pat"], RISK, 1)
    assert await _pages(services, abby) == []


async def test_an_alert_about_nobody_known_goes_to_staff_with_an_alert_channel(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        staff = await people.add_person(tx, "staff", "Sam", "Sam Lee", alert_channel="sms")
        await identities.add_identity(tx, "sms", "+447700900077", person_id=staff.id)
    await services.pipeline.handle(InboundMessage("sms", "+447700900555", "hello?", "SM1"))
    [page] = await _pages(services, staff)
    assert "someone we don't know yet" in page and "hello" not in page
