"""Tests of webhook bodies that are not sane: nested far too deep, too big, not JSON or not a
form, fields of the wrong type. Each gets a clear 4xx, never 500, and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.webhook import MAX_DEPTH, nesting_depth, read_update_json
from bot.channels.webhook_http import MAX_BODY
from tests.bot.channels.conftest import PAT_PHONE, World
from tests.bot.channels.test_telegram import connected
from tests.bot.channels.test_twilio import message_count

DEEP = 100_000


def deep_update(depth: int, opener: str = "[", closer: str = "]") -> bytes:
    return b'{"update_id": 1, "message": ' + (opener * depth + closer * depth).encode() + b"}"


def test_json_nested_a_hundred_thousand_deep_is_refused_not_crashed_on() -> None:
    for body in (
        deep_update(DEEP),
        b'{"update_id": 1, "x": ' + b'{"a":' * DEEP + b"1" + b"}" * DEEP + b"}",
    ):
        answer = read_update_json(body)
        assert isinstance(answer, str) and "nested" in answer


def test_nesting_a_little_past_the_limit_is_refused_and_within_it_is_read() -> None:
    assert isinstance(read_update_json(deep_update(MAX_DEPTH)), str)
    within = read_update_json(deep_update(MAX_DEPTH - 2))
    assert isinstance(within, dict)


def test_nesting_depth_counts_objects_and_lists() -> None:
    assert nesting_depth(1, 5) == 0
    assert nesting_depth({"a": [1, {"b": []}]}, 5) == 4
    assert nesting_depth([[[[[[[]]]]]]], 3) == 4  # stops counting just past the limit


@given(st.binary(max_size=300))
def test_no_bytes_make_reading_an_update_raise(body: bytes) -> None:
    answer = read_update_json(body)
    assert isinstance(answer, str | dict)


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=30,
    )
)
def test_no_json_value_makes_reading_an_update_raise(value: Any) -> None:
    answer = read_update_json(json.dumps(value).encode())
    assert isinstance(answer, str | dict)


def test_an_update_id_must_be_a_whole_number_in_range() -> None:
    for update_id in (True, -1, 2**64, 1.5, "7", None, [1]):
        body = json.dumps({"update_id": update_id}).encode()
        assert isinstance(read_update_json(body), str), update_id
    assert read_update_json(b'{"update_id": 7}') == {"update_id": 7}


async def post_telegram(world: World, body: bytes) -> httpx.Response:
    assert world.telegram.webhook is not None
    return await world.client.post(
        "/webhooks/telegram",
        content=body,
        headers={
            "X-Telegram-Bot-Api-Secret-Token": world.telegram.webhook["secret_token"],
            "Content-Type": "application/json",
        },
    )


async def test_telegram_odd_bodies_get_a_clear_4xx_and_change_nothing(world: World) -> None:
    await connected(world)
    before = await message_count(world)
    cases = {
        deep_update(DEEP): 400,
        deep_update(DEEP // 10, '{"a":', "}"): 400,
        b'{"update_id": true, "message": {}}': 400,
        b'{"update_id": 99999999999999999999999999}': 400,
        b"{" * 10 + b"}" * 9: 400,
        b'{"update_id": 1, "pad": "' + b"x" * (MAX_BODY + 1) + b'"}': 413,
    }
    for body, status in cases.items():
        response = await post_telegram(world, body)
        assert response.status_code == status, body[:40]
        assert response.json()["ok"] is False
        assert response.json()["error"]
    assert await message_count(world) == before


async def test_twilio_odd_bodies_get_a_clear_4xx_and_change_nothing(world: World) -> None:
    before = await message_count(world)
    many = "&".join(f"f{i}=1" for i in range(5000)).encode()
    cases = {
        many: 400,
        b"\xff\xfe\x00": 400,
        b"Body=" + b"x" * (MAX_BODY + 1): 413,
        b"Body=" + b"%5B" * (DEEP // 10): 403,  # flat, and unsigned: refused
    }
    for body, status in cases.items():
        response = await world.client.post(
            "/webhooks/twilio/sms",
            content=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Twilio-Signature": "x",
            },
        )
        assert response.status_code == status, body[:40]
        assert response.json()["error"]
    # A signed text with a body longer than any SMS is refused too.
    status, _ = await world.twilio.send_inbound(world.sms_webhook, PAT_PHONE, "x" * 6000)
    assert status == 400
    assert await message_count(world) == before
