"""Tests of how a Telegram update becomes one inbound message: real update payloads from the
fake Bot API's builders, read by python-telegram-bot's own `Update.de_json`."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram import inbound_from_update
from bot.inbound import InboundMessage
from tests.fakes.telegram_api import JSON, FakeTelegram

CHAT = 5550001


@pytest.fixture
def fake() -> FakeTelegram:
    """Only the update builders are used: no server is started."""
    return FakeTelegram()


def read(update: JSON) -> InboundMessage | None:
    return inbound_from_update(Update.de_json(update, None))


def without_text(fake: FakeTelegram, **content: Any) -> JSON:
    """A message update carrying `content` (a sticker, a voice note …) instead of text."""
    update = fake.text_update(CHAT, "placeholder")
    del update["message"]["text"]
    update["message"].update(content)
    return update


def test_a_text_is_taken_as_it_is_with_the_update_id_as_provider_id(fake: FakeTelegram) -> None:
    update = fake.text_update(CHAT, "I'm doing well, thanks")
    assert read(update) == InboundMessage(
        "telegram", str(CHAT), "I'm doing well, thanks", f"u{update['update_id']}"
    )


@pytest.mark.parametrize(
    "text", ["/start abc_DEF-123", "/start@companion_test_bot abc_DEF-123", "/start  abc_DEF-123 "]
)
def test_start_with_a_token_is_a_start_link(fake: FakeTelegram, text: str) -> None:
    inbound = read(fake.text_update(CHAT, text))
    assert inbound is not None
    assert inbound.link_token == "abc_DEF-123" and inbound.text == "/start"


@pytest.mark.parametrize(
    ("text", "keyword"),
    [("/start", "start"), ("/stop", "stop"), ("/STOP", "stop"), ("/help", "help")],
)
def test_bot_commands_stand_for_the_keywords(fake: FakeTelegram, text: str, keyword: str) -> None:
    inbound = read(fake.text_update(CHAT, text))
    assert inbound is not None
    assert inbound.text == keyword and inbound.link_token is None


def test_stop_with_the_bots_name_is_stop(fake: FakeTelegram) -> None:
    inbound = read(fake.text_update(CHAT, "/stop@companion_test_bot"))
    assert inbound is not None and inbound.text == "stop"


def test_a_sticker_is_its_emoji(fake: FakeTelegram) -> None:
    sticker = {
        "file_id": "CAACAgIAAxkBAAE",
        "file_unique_id": "AgADBAADwDZPEw",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
    inbound = read(without_text(fake, sticker=sticker))
    assert inbound is not None and inbound.text == "👍"


def test_a_photo_is_a_placeholder_or_its_caption(fake: FakeTelegram) -> None:
    bare = read(fake.photo_update(CHAT))
    captioned = read(fake.photo_update(CHAT, "My new jigsaw"))
    assert bare is not None and bare.text == "(a photo)"
    assert captioned is not None and captioned.text == "My new jigsaw"


def test_a_voice_message_is_a_placeholder(fake: FakeTelegram) -> None:
    voice = {"file_id": "AwACAgQAAxkB", "file_unique_id": "AgADxw4AAk", "duration": 4}
    inbound = read(without_text(fake, voice=voice))
    assert inbound is not None and inbound.text == "(a voice message)"


def test_a_button_press_is_its_answer_and_the_question_it_was_on(fake: FakeTelegram) -> None:
    update = fake.callback_update(CHAT, "41:1", message_id=7, message_text="How are you?")
    assert read(update) == InboundMessage(
        "telegram", str(CHAT), "1", f"u{update['update_id']}", button_of=41
    )


def test_button_data_without_a_message_id_is_only_an_answer(fake: FakeTelegram) -> None:
    inbound = read(fake.callback_update(CHAT, "yes", message_id=7, message_text="Go?"))
    assert inbound is not None
    assert inbound.text == "yes" and inbound.button_of is None


def test_edits_are_ignored(fake: FakeTelegram) -> None:
    fake.text_update(CHAT, "I'm fine")
    assert read(fake.edited_message_update(CHAT, "I'm fine, thanks")) is None


def test_group_chats_are_ignored(fake: FakeTelegram) -> None:
    group = {"id": -100200300, "type": "group", "title": "Sewing circle"}
    message = fake.text_update(CHAT, "hello everyone")
    message["message"]["chat"] = group
    press = fake.callback_update(CHAT, "41:1", message_id=7, message_text="How are you?")
    press["callback_query"]["message"]["chat"] = group
    assert read(message) is None
    assert read(press) is None


def test_a_bots_message_is_ignored(fake: FakeTelegram) -> None:
    update = fake.text_update(CHAT, "beep")
    update["message"]["from"]["is_bot"] = True
    assert read(update) is None


def test_half_a_utf16_pair_is_replaced_so_the_text_can_be_stored(fake: FakeTelegram) -> None:
    inbound = read(fake.text_update(CHAT, "hello \ud83d"))
    assert inbound is not None and inbound.text == "hello \ufffd"
