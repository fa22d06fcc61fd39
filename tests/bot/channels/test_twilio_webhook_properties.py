"""Tests of the Twilio webhooks' properties: whatever is posted to them, the service never answers
500, and a request without a good signature never changes what is stored.

Hypothesis draws the requests; each test posts all its examples to one running service (the
`world`, built once per test function, which is why the function-scoped fixture health check
is switched off: sharing the service between examples is the point).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# twilio ships no type information; unused-ignore keeps this quiet once mypy is told to skip it.
from twilio.request_validator import (  # type: ignore[import-untyped, unused-ignore]
    RequestValidator,
)

from tests.bot.channels.conftest import PAT_PHONE, World
from tests.bot.channels.test_twilio import message_count, world_with

#: The form fields Twilio sends to the two webhooks, and a few it does not.
FIELDS = [
    "MessageSid",
    "SmsSid",
    "SmsMessageSid",
    "AccountSid",
    "MessagingServiceSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "NumSegments",
    "OptOutType",
    "MessageStatus",
    "SmsStatus",
    "ErrorCode",
    "ApiVersion",
    "MediaUrl0",
    "bodySHA256",
]
#: Values that have tripped up form handlers: numbers in other scripts, numbers too long for
#: int(), keywords, statuses, Twilio's own ids.
AWKWARD = [
    "",
    "0",
    "1",
    "²",
    "٣",
    "１２",
    "-1",
    "1e3",
    "9" * 5000,
    "STOP",
    "START",
    "HELP",
    "stop",
    "menu",
    "queued",
    "sent",
    "delivered",
    "undelivered",
    "failed",
    "canceled",
    "21610",
    "30005",
    "\x00",
    "I want to end it all",
    PAT_PHONE,
    "+447700900123",
    "SM" + "a" * 32,
]
values = st.sampled_from(AWKWARD) | st.text(max_size=40)
#: Stand-ins filled in from the running world: its account, and a message it really sent.
ACCOUNT, SENT_SID = "<account>", "<sent sid>"
#: What Twilio posts, as a start that the examples then change: an inbound text, a status
#: callback, or nothing at all.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "inbound": [
        ("MessageSid", "SM" + "c" * 32),
        ("AccountSid", ACCOUNT),
        ("From", PAT_PHONE),
        ("To", "+447700900123"),
        ("Body", "menu"),
        ("NumMedia", "0"),
    ],
    "status": [
        ("MessageSid", SENT_SID),
        ("AccountSid", ACCOUNT),
        ("MessageStatus", "delivered"),
    ],
    "nothing": [],
}


@st.composite
def forms(draw: st.DrawFn) -> list[tuple[str, str]]:
    template = TEMPLATES[draw(st.sampled_from(sorted(TEMPLATES)))]
    dropped = draw(st.sets(st.sampled_from(FIELDS), max_size=3))
    changes = draw(
        st.lists(st.tuples(st.sampled_from(FIELDS) | st.text(max_size=10), values), max_size=6)
    )
    return [(key, value) for key, value in template if key not in dropped] + changes


#: What fits in an HTTP header: printable ASCII, no surrounding spaces.
garbage_signatures = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40)
PATHS = ["/webhooks/twilio/sms", "/webhooks/twilio/status"]
FORGERIES = ["unsigned", "garbage", "tampered", "wrong url", "wrong token"]
QUERIES = ["", "?bodySHA256=abc", "?x=1&x=2"]


@dataclass(frozen=True)
class Attempt:
    path: str
    query: str
    pairs: list[tuple[str, str]]
    kind: str
    garbage: str


attempts = st.builds(
    Attempt,
    path=st.sampled_from(PATHS),
    query=st.sampled_from(QUERIES),
    pairs=forms(),
    # Half the requests are genuine, to reach what comes after the signature check.
    kind=st.sampled_from(["signed", "forged"]).flatmap(
        lambda kind: st.just(kind) if kind == "signed" else st.sampled_from(FORGERIES)
    ),
    garbage=garbage_signatures,
)


SID = "SM" + "b" * 32
HUGE = "9" * 5000
STATUS = "/webhooks/twilio/status"


def signed(path: str, **form: str) -> Attempt:
    return Attempt(path, "", list(form.items()), "signed", "")


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with world_with(tmp_path) as built:
        yield built


def signature_for(world: World, attempt: Attempt) -> tuple[str | None, list[tuple[str, str]]]:
    """The header to send, and the form to send with it."""
    url = world.url + attempt.path + attempt.query
    sent = world.twilio.sent[-1].sid if world.twilio.sent else SID
    stand_ins = {ACCOUNT: world.twilio.account_sid, SENT_SID: sent}
    pairs = [(key, stand_ins.get(value, value)) for key, value in attempt.pairs]
    if attempt.kind == "signed":
        # Twilio never repeats a field; the valid examples keep each field's last value.
        form = dict(pairs)
        return world.twilio.sign(url, form), list(form.items())
    if attempt.kind == "unsigned":
        return None, pairs
    if attempt.kind == "garbage":
        return attempt.garbage, pairs
    if attempt.kind == "wrong url":
        return world.twilio.sign("https://elsewhere.example" + attempt.path, dict(pairs)), pairs
    if attempt.kind == "wrong token":
        forger = RequestValidator(world.twilio.auth_token + "x")
        return str(forger.compute_signature(url, dict(pairs))), pairs
    # Tampered: signed, then a field added on the way (one not there already: the signature
    # covers each distinct name and value once, so a repeated pair is no change at all).
    added = "STOP"
    while ("Body", added) in pairs:
        added += "!"
    return world.twilio.sign(url, dict(pairs)), [*pairs, ("Body", added)]


async def post(
    world: World, attempt: Attempt, signature: str | None, body: bytes
) -> httpx.Response:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    return await world.client.post(attempt.path + attempt.query, content=body, headers=headers)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(attempt=attempts)
# Digits int() refuses, as a count of pictures and as an error code: once answered 500.
@example(attempt=signed("/webhooks/twilio/sms", From=PAT_PHONE, MessageSid=SID, NumMedia="²"))
@example(attempt=signed("/webhooks/twilio/sms", From=PAT_PHONE, MessageSid=SID, NumMedia=HUGE))
@example(attempt=signed(STATUS, MessageSid=SID, MessageStatus="failed", ErrorCode="²"))
@example(attempt=signed(STATUS, MessageSid=SID, MessageStatus="failed", ErrorCode=HUGE))
async def test_no_form_posted_to_a_twilio_webhook_makes_it_answer_500(
    world: World, attempt: Attempt
) -> None:
    before = await message_count(world)
    signature, pairs = signature_for(world, attempt)
    response = await post(world, attempt, signature, urlencode(pairs).encode())
    assert response.status_code < 500, response.text
    if attempt.kind != "signed":
        assert response.status_code in (400, 403), response.text
        assert await message_count(world) == before


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(PATHS),
    body=st.binary(max_size=300),
    signature=st.none() | garbage_signatures,
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "application/json",
            "text/plain",
            "",
            "multipart/form-data",
        ]
    ),
)
async def test_no_body_or_header_without_a_good_signature_changes_anything(
    world: World, path: str, body: bytes, signature: str | None, content_type: str
) -> None:
    before = await message_count(world)
    headers = {"Content-Type": content_type}
    if signature is not None:
        headers["X-Twilio-Signature"] = signature
    response = await world.client.post(path, content=body, headers=headers)
    assert response.status_code in (400, 403), response.text
    assert await message_count(world) == before
