"""Tests of a resident's conversation as staff read it, and of web chat through the service."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.errors import NotFound


async def test_web_chat_replies_and_the_conversation_reads_back_from_a_point(
    services: Runtime, demo: dict[str, int]
) -> None:
    await services.services.checkins.start_now(demo["Pat"])
    turn = await services.services.webchat.say(demo["Pat"], "1", "web-1")
    assert not turn.duplicate and [m.body for m in turn.replies] == [
        "That's lovely to hear, Pat. I'll check in again as usual. Message me here any time."
    ]
    repeat = await services.services.webchat.say(demo["Pat"], "1", "web-1")
    assert repeat.duplicate and repeat.replies == []
    view = services.services.conversation
    everything = await view.messages(demo["Pat"])
    assert [m.direction for m in everything] == ["out", "in", "out"]
    assert await view.messages(demo["Pat"], after_id=everything[1].id) == everything[2:]


async def test_nobodys_conversation_is_not_found(services: Runtime) -> None:
    with pytest.raises(NotFound):
        await services.services.conversation.messages(999)
    with pytest.raises(NotFound):
        await services.services.webchat.say(999, "hello")
