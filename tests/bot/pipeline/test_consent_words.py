"""Tests of consent said in the chat: "stop event news", "no more check ins please", "EVENTS
ON"; recorded, answered in one segment, the catalyst told, a conversation of that purpose
ended, and a risk message never swallowed."""

from __future__ import annotations

import pytest

from bot.pipeline.consent_words import GIVEN, WITHDRAWN
from bot.runtime import Runtime
from bot.services.consent import EVENTS_STOP_HINT
from bot.triage.consent_words import ConsentWish, consent_wish
from flows.sms import Encoding, sms_info
from storage import consents, sessions
from tests.bot.helpers import open_alerts, replies, say, sent_to, start_checkin

LONG_NAME = "Bartholomew-Alexander"


@pytest.mark.parametrize(
    ("text", "wish"),
    [
        ("stop event news", ConsentWish("events", False)),
        ("No more events", ConsentWish("events", False)),
        ("EVENTS OFF", ConsentWish("events", False)),
        ("stop evetns please x", ConsentWish("events", False)),
        ("i dont want any more event messages", ConsentWish("events", False)),
        ("stop the buddy messages", ConsentWish("buddying", False)),
        ("Stop check-ins", ConsentWish("checkins", False)),
        ("no more check ins please", ConsentWish("checkins", False)),
        ("chek ins off thanks", ConsentWish("checkins", False)),
        ("please stop the weekly messages", ConsentWish("checkins", False)),
        ("no more weekly texts", ConsentWish("checkins", False)),
        ("events again please", ConsentWish("events", True)),
        ("start event news", ConsentWish("events", True)),
        ("EVENTS ON", ConsentWish("events", True)),
        ("Buddy on", ConsentWish("buddying", True)),
        ("checkins on", ConsentWish("checkins", True)),
        ("nie chcę więcej wydarzeń", ConsentWish("events", False)),
        ("wydarzenia znowu", ConsentWish("events", True)),
        ("não quero mais eventos", ConsentWish("events", False)),
        ("eventos de novo", ConsentWish("events", True)),
        ("nu mai vreau evenimente", ConsentWish("events", False)),
        ("Evenimentele din nou, vă rog", ConsentWish("events", True)),
        # round 3: a new user's words, and similar ones of my own; written before tuning
        ("dont want these check ins anymore", ConsentWish("checkins", False)),
        ("stop checking on me", ConsentWish("checkins", False)),
        ("please stop messaging me every week", ConsentWish("checkins", False)),
        ("i dont need the weekly check in any more", ConsentWish("checkins", False)),
        ("i dont want these weekly messages any more thank you", ConsentWish("checkins", False)),
        ("please stop checking up on me", ConsentWish("checkins", False)),
        ("stop texting me every week", ConsentWish("checkins", False)),
        ("i dont need the check ins anymore", ConsentWish("checkins", False)),
        ("no need to check on me any more", ConsentWish("checkins", False)),
        # a second wave of my own, written before tuning (0 of 7 understood before)
        ("i dont need checking on anymore", ConsentWish("checkins", False)),
        ("dont need the check ins no more", ConsentWish("checkins", False)),
        ("no more checkins thank u", ConsentWish("checkins", False)),
        ("i dont want to be checked on anymore", ConsentWish("checkins", False)),
        ("you dont need to check on me anymore", ConsentWish("checkins", False)),
        ("dont check on me anymore", ConsentWish("checkins", False)),
        ("pls stop checkin on me", ConsentWish("checkins", False)),
        # the same in Polish, Portuguese and Romanian, which had words for events only
        ("nie chcę więcej cotygodniowych wiadomości", ConsentWish("checkins", False)),
        ("koniec z cotygodniowymi wiadomościami", ConsentWish("checkins", False)),
        ("não quero mais mensagens semanais", ConsentWish("checkins", False)),
        ("parem as mensagens semanais por favor", ConsentWish("checkins", False)),
        ("nu mai vreau mesajele săptămânale", ConsentWish("checkins", False)),
        ("opriți mesajele săptămânale", ConsentWish("checkins", False)),
    ],
)
def test_consent_phrases_are_understood_in_everyday_words(text: str, wish: ConsentWish) -> None:
    assert consent_wish(text) == wish


@pytest.mark.parametrize(
    "text",
    [
        "stop",  # the carrier's opt-out, for the opt-out stage
        "no more events, I fell and can't get up",
        "stop event news i want to die",
        "no more check ins today",  # a pace request
        "Stop the check ins for a week",
        "pause check ins",
        "I went to the events on Friday",
        "yes",
        "I don't need a check in now",
        # round 3: near the new user's words, news or not a whole withdrawal
        "the doctor is checking on me",
        "my daughter stops by every week",
        "stop checking on me, I fell last night",
        "stop messaging me",  # every message, not only check-ins: for the opt-out stage
        "i dont need the weekly check in today",
        "córka pisze cotygodniowe wiadomości",
        "recebo mensagens semanais da minha filha",
    ],
)
def test_anything_more_than_a_consent_phrase_is_left_for_the_other_stages(text: str) -> None:
    assert consent_wish(text) is None


def test_every_answer_and_the_nudge_hint_fit_one_sms_segment() -> None:
    for text in [*WITHDRAWN.values(), *GIVEN.values()]:
        info = sms_info(text.format(name=LONG_NAME))
        assert (info.encoding, info.segments) == (Encoding.GSM7, 1), text
    hint = sms_info(EVENTS_STOP_HINT)
    assert (hint.encoding, hint.segments) == (Encoding.GSM7, 1)
    # A nudge's own words leave room for it: 120 characters of nudge and the hint, one segment.
    assert sms_info(f"{'x' * 120} {EVENTS_STOP_HINT}").segments == 1
    # And the words it tells the resident to say do what it says.
    assert consent_wish("EVENTS OFF") == ConsentWish("events", False)


async def test_a_resident_who_says_stop_event_news_gets_none_and_everything_else_carries_on(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    handled = await say(services, pat, "Stop event news please")
    [answer] = await replies(services, handled)
    assert "No more event news" in answer and "EVENTS ON" in answer
    assert "nothing else has changed" in answer
    async with services.db.read() as conn:
        assert await consents.consents_on_channel(conn, pat, "sms") == {
            "checkins": True,
            "events": False,
            "buddying": True,
        }
        [change, *_] = await consents.consent_changes(conn, pat)
    assert (change.source, change.channel, change.given) == ("chat", None, False)
    [alert] = [a for a in await open_alerts(services) if a.kind == "consent"]
    assert (alert.resident_id, alert.urgency) == (pat, "routine")
    assert "no more event news" in alert.summary
    # Their check-in still comes; a nudge queued now is refused at the moment of sending.
    assert await start_checkin(services, pat)
    handled = await say(services, pat, "EVENTS ON")
    assert "hear about events" in (await replies(services, handled))[0]
    async with services.db.read() as conn:
        assert (await consents.current_consents(conn, pat))["events"] is True


async def test_withdrawing_check_ins_mid_conversation_ends_it_and_nothing_more_of_it_comes(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    assert await start_checkin(services, pat)
    before = len(await sent_to(services, pat))
    handled = await say(services, pat, "no more check ins please")
    assert "No more check-ins" in (await replies(services, handled))[0]
    async with services.db.read() as conn:
        assert await sessions.waiting_session(conn, pat) is None
    # Her next words are not taken as an answer to the check-in that was ended: they go to
    # her catalyst to read, and no more of the check-in comes.
    await say(services, pat, "1")
    bodies = [m.body for m in (await sent_to(services, pat))[before:]]
    assert len(bodies) == 2
    assert "passed your message" in bodies[1]
    assert not any("lovely to hear" in body for body in bodies)


async def test_withdrawing_events_leaves_a_waiting_check_in_alone(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    assert await start_checkin(services, pat)
    await say(services, pat, "no more events")
    async with services.db.read() as conn:
        waiting = await sessions.waiting_session(conn, pat)
    assert waiting is not None and waiting.flow_id == "weekly_checkin"


async def test_a_risk_message_with_consent_words_in_it_is_still_a_risk(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    await say(services, pat, "stop event news, I've had a fall and can't get up")
    kinds = {a.kind for a in await open_alerts(services)}
    assert "risk" in kinds and "consent" not in kinds
    async with services.db.read() as conn:
        assert (await consents.current_consents(conn, pat))["events"] is True
