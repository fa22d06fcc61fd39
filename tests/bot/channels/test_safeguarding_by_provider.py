"""End to end through the real providers' libraries: Pat texts that she has fallen, and within
moments she has the fixed reply by SMS, Abby (her catalyst) a page by SMS and the first person on
duty a page on Telegram; Abby takes the alert by texting back "OK A<n>"."""

from __future__ import annotations

import re

from storage import alerts, identities, people, safeguarding
from tests.bot.channels.conftest import ABBY_PHONE, PAT_PHONE, World

SAM_CHAT = 5550777


async def _sam_on_duty_by_telegram(world: World) -> None:
    async with world.services.db.write() as tx:
        sam = await people.add_person(tx, "staff", "Sam", "Sam Okafor", alert_channel="telegram")
        await identities.add_identity(tx, "telegram", str(SAM_CHAT), person_id=sam.id)
        await safeguarding.set_duty_list(tx, [sam.id])


async def test_a_fall_by_sms_is_answered_and_paged_at_once_and_taken_by_reply(
    world: World,
) -> None:
    await _sam_on_duty_by_telegram(world)
    status, _ = await world.twilio.send_inbound(
        world.sms_webhook, PAT_PHONE, "ive fallen and cant get up"
    )
    assert status == 200

    # The background dispatcher sends them: no test hand helps it along.
    sent = await world.twilio.wait_for_sent(2, timeout=20)
    by_number = {message.to: message.body for message in sent}
    assert "999" in by_number[PAT_PHONE] and "not an emergency service" in by_number[PAT_PHONE]
    page = by_number[ABBY_PHONE]
    found = re.search(r"URGENT alert A(\d+): Pat may need help now", page)
    assert found, page
    assert "fallen" not in page  # an SMS page never carries the resident's words
    [telegram_page] = await world.telegram.wait_for_sent(1, timeout=20)
    assert telegram_page.chat_id == SAM_CHAT
    assert f"URGENT alert A{found.group(1)}" in telegram_page.text

    status, _ = await world.twilio.send_inbound(
        world.sms_webhook, ABBY_PHONE, f"OK A{found.group(1)}"
    )
    assert status == 200
    sent = await world.twilio.wait_for_sent(3, timeout=20)
    assert sent[-1].to == ABBY_PHONE and "is with you now" in sent[-1].body
    async with world.services.db.read() as conn:
        alert = await alerts.get_alert(conn, int(found.group(1)))
        record = await safeguarding.entries_for_alert(conn, int(found.group(1)))
    assert alert is not None and alert.status == "acknowledged"
    assert [e.event for e in record][-1] == "acknowledged"
    told = {e.detail["channel"] for e in record if e.event == "told"}
    assert told == {"sms", "telegram"}
