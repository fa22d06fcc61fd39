"""Smoke test: the world fixture runs the service against both fakes."""

from __future__ import annotations

from tests.bot.channels.conftest import PAT_PHONE, SERVICE_NUMBER, World


async def test_pat_texts_and_gets_a_reply_by_sms(world: World) -> None:
    status, text = await world.twilio.send_inbound(world.sms_webhook, PAT_PHONE, "menu")
    assert status == 200 and "<Response" in text
    [sent] = await world.twilio.wait_for_sent(1)
    assert sent.to == PAT_PHONE and sent.from_ == SERVICE_NUMBER
    assert sent.status_callback == world.status_webhook
    assert world.telegram.webhook is not None
