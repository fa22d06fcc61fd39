"""Tests of the pipeline's stages, one at a time: each handles its own kind of message and
passes every other on; and the list of stages is where a new one plugs in."""

from __future__ import annotations

import uuid

import aiosqlite

from bot.conversations import Route
from bot.inbound import InboundMessage
from bot.pipeline import (
    STAGES,
    Arrival,
    Pipeline,
    Routed,
    Stage,
    button,
    catch_all,
    help_keyword,
    keywords,
    link,
    opted_out,
    optout,
    pace,
    safeguarding,
    session,
    staff,
    unknown,
)
from bot.pipeline.sender import PersonSender, ResidentSender, identify
from bot.runtime import Runtime
from storage import alerts, identities, messages, people, sessions
from tests.bot.helpers import start_checkin

ABBY_PHONE = "+447700900555"


async def arrive(
    services: Runtime,
    tx: aiosqlite.Connection,
    text: str,
    address: str,
    *,
    channel: str = "webchat",
    link_token: str | None = None,
    button_of: int | None = None,
) -> Arrival:
    """A message recorded as the pipeline records it, ready for one stage."""
    inbound = InboundMessage(
        channel, address, text, uuid.uuid4().hex, link_token=link_token, button_of=button_of
    )
    found = await identities.find_identity(tx, channel, address)
    sender = await identify(tx, inbound, found, services.programme)
    recorded = await messages.record_inbound(
        tx,
        channel=channel,
        provider_id=inbound.provider_id,
        address=address,
        body=text,
        resident_id=sender.resident.id if sender.resident else None,
    )
    return Arrival(tx, inbound, sender, recorded.message_id, services.conversations)


async def reply_texts(tx: aiosqlite.Connection, routed: Routed | None) -> list[str]:
    assert routed is not None
    return [m.body for i in routed.replies if (m := await messages.get_message(tx, i))]


def test_the_stages_run_in_the_designs_order() -> None:
    assert [stage.name for stage in STAGES] == [
        "link",
        "staff",
        "unknown_sender",
        "stale_button",
        "optout",
        "consent_words",
        "safeguarding",
        "all_clear",
        "privacy_questions",
        "opted_out",
        "help",
        "pace",
        "keywords",
        "session",
        "catch_all",
    ]


async def test_optout_takes_stop_and_start_and_nothing_else(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = str(demo["Pat"])
    async with services.db.write() as tx:
        assert await optout.handle(await arrive(services, tx, "how are you", pat)) is None
        stopped = await optout.handle(await arrive(services, tx, "Stop texting me", pat))
        assert stopped is not None and stopped.route == "stop"
        [identity] = await identities.identities_of_resident(tx, demo["Pat"])
        assert identity.opted_out_at is not None


async def test_safeguarding_answers_a_risk_message_and_alerts_the_catalyst(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = str(demo["Pat"])
    async with services.db.write() as tx:
        assert await safeguarding.handle(await arrive(services, tx, "lovely day", pat)) is None
        routed = await safeguarding.handle(await arrive(services, tx, "I've had a fall", pat))
        assert any("999" in text for text in await reply_texts(tx, routed))
        [alert] = await alerts.list_alerts(tx, status="open")
        assert alert.kind == "risk"


async def test_opted_out_keeps_quiet_for_someone_who_said_stop(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = str(demo["Pat"])
    async with services.db.write() as tx:
        assert await opted_out.handle(await arrive(services, tx, "hello", pat)) is None
        [identity] = await identities.identities_of_resident(tx, demo["Pat"])
        await identities.set_opted_out(tx, identity.id, True)
        assert await opted_out.handle(await arrive(services, tx, "hello", pat)) == Routed(
            "opted_out"
        )


async def test_help_keyword_starts_the_help_flow(services: Runtime, demo: dict[str, int]) -> None:
    grace = str(demo["Grace"])
    async with services.db.write() as tx:
        assert await help_keyword.handle(await arrive(services, tx, "helpful", grace)) is None
        routed = await help_keyword.handle(await arrive(services, tx, "HELP", grace))
        assert routed is not None and routed.route == "help"
        waiting = await sessions.waiting_session(tx, demo["Grace"])
        assert waiting is not None and waiting.flow_id == "help"
        assert waiting.context["session"] == {"started_by": "keyword"}


async def test_pace_honours_not_today(services: Runtime, demo: dict[str, int]) -> None:
    pat = str(demo["Pat"])
    async with services.db.write() as tx:
        assert await pace.handle(await arrive(services, tx, "fine thanks", pat)) is None
        routed = await pace.handle(await arrive(services, tx, "not today thanks", pat))
        assert await reply_texts(tx, routed) == [
            "That's fine, Pat. We'll leave it for today. Message me any time."
        ]


async def test_keywords_start_a_flow_only_for_the_whole_message(
    services: Runtime, demo: dict[str, int]
) -> None:
    lucy = str(demo["Lucy"])
    async with services.db.write() as tx:
        assert await keywords.handle(await arrive(services, tx, "the menu was nice", lucy)) is None
        routed = await keywords.handle(await arrive(services, tx, "  Menu? ", lucy))
        assert routed is not None and routed.route == "keyword" and routed.replies


async def test_session_answers_the_conversation_waiting_and_passes_when_none_waits(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = str(demo["Pat"])
    async with services.db.write() as tx:
        assert await session.handle(await arrive(services, tx, "1", pat)) is None
    await start_checkin(services, demo["Pat"])
    async with services.db.write() as tx:
        routed = await session.handle(await arrive(services, tx, "1", pat))
        assert routed is not None and routed.route == "session"
        assert "lovely" in (await reply_texts(tx, routed))[0].lower()


async def test_catch_all_passes_the_message_to_the_catalyst(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        routed = await catch_all.handle(await arrive(services, tx, "my jigsaw", str(demo["Lucy"])))
        assert await reply_texts(tx, routed) == [
            "Thank you, Lucy. I've passed your message to Susie, who will get back to you."
        ]


async def test_unknown_sender_is_greeted_once_and_known_residents_pass(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        assert await unknown.handle(await arrive(services, tx, "hi", str(demo["Pat"]))) is None
        first = await unknown.handle(
            await arrive(services, tx, "hi", "+447700900999", channel="sms")
        )
        again = await unknown.handle(
            await arrive(services, tx, "hi", "+447700900999", channel="sms")
        )
        assert first is not None and len(first.replies) == 1
        assert again == Routed("unknown_sender")


async def test_staff_answers_a_catalyst_in_their_alert_chat_and_passes_residents(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        pat = await people.get_resident(tx, demo["Pat"])
        assert pat is not None and pat.catalyst_id is not None
        await identities.add_identity(tx, "sms", ABBY_PHONE, person_id=pat.catalyst_id)
        assert await staff.handle(await arrive(services, tx, "hi", str(demo["Pat"]))) is None
        arrival = await arrive(services, tx, "thanks", ABBY_PHONE, channel="sms")
        assert isinstance(arrival.sender, PersonSender)
        assert await reply_texts(tx, await staff.handle(arrival)) == [
            "Hello Abby, this chat only brings you Companion alerts. Please answer them in the "
            "admin."
        ]


async def test_a_button_on_an_old_question_is_dropped_and_one_on_the_current_is_not(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    await start_checkin(services, pat)
    async with services.db.write() as tx:
        [question] = [m for m in await messages.conversation(tx, pat) if m.buttons]
        current = await arrive(services, tx, "1", str(pat), button_of=question.id)
        assert await button.handle(current) is None
        await sessions.end_waiting(tx, pat, "test")
        old = await arrive(services, tx, "1", str(pat), button_of=question.id)
        assert await button.handle(old) == Routed("stale_button")


async def test_link_opened_with_an_unknown_token_is_told_it_has_run_out(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        assert await link.handle(await arrive(services, tx, "hi", str(demo["Pat"]))) is None
        arrival = await arrive(services, tx, "/start", "4242", channel="telegram", link_token="x")
        assert arrival.sender.resident is None  # nobody is made up for a chat opening a link
        routed = await link.handle(arrival)
        assert routed is not None and routed.route == "link_expired"


async def test_a_stage_plugs_in_before_the_staff_stage_without_editing_the_others(
    services: Runtime, demo: dict[str, int]
) -> None:
    async def relay(arrival: Arrival) -> Routed | None:
        sender = arrival.sender
        if isinstance(sender, PersonSender) and sender.person and sender.person.role == "buddy":
            return Routed("relay")
        return None

    async with services.db.write() as tx:
        [william] = await people.list_people(tx, "buddy")
        await identities.add_identity(tx, "sms", "+447700900777", person_id=william.id)
    pipeline = Pipeline(
        services.db, services.conversations, stages=(Stage("relay", relay), *STAGES)
    )
    buddy = await pipeline.handle(InboundMessage("sms", "+447700900777", "hi Pat", "SM-b1"))
    assert buddy.route == "relay"
    pat = await pipeline.handle(InboundMessage("webchat", str(demo["Pat"]), "hello", "w-1"))
    assert pat.route == "catch_all"
    async with services.db.read() as conn:
        [recorded] = [
            m for m in await messages.conversation(conn, demo["Pat"]) if m.direction == "in"
        ]
    assert recorded.body == "hello"  # recorded once, as Pat's


async def test_the_sender_is_identified_once_as_resident_or_person(
    services: Runtime, demo: dict[str, int]
) -> None:
    async with services.db.write() as tx:
        arrival = await arrive(services, tx, "hi", str(demo["Pat"]))
        assert isinstance(arrival.sender, ResidentSender) and arrival.sender.known
        assert arrival.route == Route("webchat", str(demo["Pat"]))


async def test_a_known_chat_opening_an_old_link_is_a_plain_start_kept_as_theirs(
    services: Runtime, demo: dict[str, int]
) -> None:
    pat = demo["Pat"]
    opened = InboundMessage("webchat", str(pat), "/start", "w-old", link_token="used-long-ago")
    handled = await services.pipeline.handle(opened)
    assert handled.route == "start"
    async with services.db.read() as conn:
        recorded = await messages.get_message(conn, handled.message_id)
        [reply] = [m for i in handled.replies if (m := await messages.get_message(conn, i))]
    assert recorded is not None and recorded.resident_id == pat
    assert reply.body.startswith("Welcome back, Pat.")
