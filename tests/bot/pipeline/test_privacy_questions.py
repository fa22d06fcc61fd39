"""Tests of privacy questions from a resident: understood in everyday words and anywhere in a
conversation, answered kindly in one segment, and passed to staff as a routine alert."""

from __future__ import annotations

import pytest

from bot.pipeline.privacy_questions import ANSWERS
from bot.runtime import Runtime
from bot.triage.privacy_questions import PrivacyQuestion, privacy_question
from flows.sms import Encoding, sms_info
from storage import alerts, sessions
from tests.bot.helpers import open_alerts, replies, say, start_checkin

LONG_NAME = "Bartholomew-Alexander"

KNOW, DELETE, SEE = PrivacyQuestion.KNOW, PrivacyQuestion.DELETE, PrivacyQuestion.SEE


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("What do you know about me?", KNOW),
        ("wot do u know about me", KNOW),
        ("what information do you have on me", KNOW),
        ("hi Abby, what do you keep about me?", KNOW),
        ("delete my data", DELETE),
        ("Please erase my details", DELETE),
        ("forget me", DELETE),
        ("can you delete everything you have about me please", DELETE),
        ("deleet my detials", DELETE),
        ("who can see my messages?", SEE),
        ("Who reads my texts", SEE),
        ("can my buddy see my number?", SEE),
        ("co o mnie wiecie?", KNOW),
        ("usuń moje dane", DELETE),
        ("o que vocês sabem sobre mim", KNOW),
        ("quem pode ver as minhas mensagens", SEE),
        ("Ce știți despre mine?", KNOW),
        ("ștergeți datele mele", DELETE),
        ("cine poate vedea mesajele mele", SEE),
    ],
)
def test_privacy_questions_are_understood_in_everyday_words(
    text: str, question: PrivacyQuestion
) -> None:
    assert privacy_question(text) is question


@pytest.mark.parametrize(
    "text",
    [
        "don't forget me on Tuesday",
        "I forgot my keys",
        "I can't see my messages on my new phone",
        "I know what you mean",
        "my buddy and I had a lovely chat",
    ],
)
def test_everyday_messages_are_not_privacy_questions(text: str) -> None:
    assert privacy_question(text) is None


def test_every_answer_fits_one_sms_segment_with_long_names() -> None:
    for answer in ANSWERS.values():
        info = sms_info(answer.format(name=LONG_NAME, catalyst=LONG_NAME))
        assert (info.encoding, info.segments) == (Encoding.GSM7, 1), answer


@pytest.mark.parametrize(
    ("text", "said", "summary"),
    [
        ("What do you know about me?", "keep your name", "asked what we know about them"),
        ("delete my data please", "help you delete", "asked for their data to be deleted"),
        ("who can see my messages", "Buddies never see", "asked who can see their messages"),
    ],
)
async def test_a_privacy_question_is_answered_and_passed_to_staff(
    services: Runtime, demo: dict[str, int], text: str, said: str, summary: str
) -> None:
    pat = demo["Pat"]
    handled = await say(services, pat, text)
    [answer] = await replies(services, handled)
    assert said in answer
    [alert] = [a for a in await open_alerts(services) if a.kind == "privacy"]
    assert (alert.resident_id, alert.urgency) == (pat, "routine")
    assert summary in alert.summary
    async with services.db.read() as conn:
        found = await alerts.inbox_alert(conn, alert.id)
    assert found is not None and found.message_body == text  # staff see the words themselves


async def test_a_question_in_the_middle_of_a_check_in_is_answered_and_the_check_in_waits(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    assert await start_checkin(services, pat)
    handled = await say(services, pat, "wot do u know about me")
    assert "keep your name" in (await replies(services, handled))[0]
    async with services.db.read() as conn:
        waiting = await sessions.waiting_session(conn, pat)
    assert waiting is not None and waiting.flow_id == "weekly_checkin"


async def test_a_resident_who_said_stop_and_asks_to_be_deleted_still_reaches_staff(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    await say(services, pat, "STOP")
    handled = await say(services, pat, "please delete my data")
    assert handled.replies == ()  # the carrier would refuse an answer after STOP
    [alert] = [a for a in await open_alerts(services) if a.kind == "privacy"]
    assert "asked for their data to be deleted" in alert.summary
