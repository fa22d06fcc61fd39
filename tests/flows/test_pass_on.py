"""Tests that a check-in reply saying more than a choice reaches the catalyst and is never met as
good news."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import flows
from flows.events import ActionRequested
from flows.loading import load_flow
from flows.types import Flow
from tests.flows.helpers import Conversation, texts

KNEE = "Not great, my knee is killing me and the boiler broke again"


def weekly_checkin() -> Flow:
    path = Path(flows.__file__).parent / "builtin" / "weekly_checkin.yaml"
    flow = load_flow(path.read_text(encoding="utf-8"), source=path.name).flow
    assert flow is not None
    return flow


def alerts(events: Iterable[object]) -> list[dict[str, Any]]:
    return [
        e.params for e in events if isinstance(e, ActionRequested) and e.kind == "alert_catalyst"
    ]


def test_a_low_reply_describing_problems_offers_a_call_and_asks_the_catalyst_to_read_it() -> None:
    talk = Conversation(weekly_checkin())
    talk.start()
    sprint = talk.reply(KNEE)
    assert "sorry you're not feeling so good" in " ".join(texts(sprint))
    assert alerts(sprint.events) == [
        {
            "reason": "Pat's answer to Weekly check-in needs a read (closest: Not so good)",
            "urgency": "routine",
        }
    ]
    assert talk.state["results"]["mood"]["value"] == "low"


def test_the_alert_summary_never_quotes_the_residents_words() -> None:
    talk = Conversation(weekly_checkin())
    talk.start()
    for params in alerts(talk.reply(KNEE).events):
        reason = str(params["reason"]).lower()
        assert not {"knee", "boiler", "killing"} & set(reason.split())


def test_good_with_a_problem_is_never_met_as_lovely_news_but_passed_on() -> None:
    talk = Conversation(weekly_checkin())
    talk.start()
    sprint = talk.reply("good but my knee is killing me")
    said = " ".join(texts(sprint))
    assert "lovely to hear" not in said
    assert "I'll read your message and get back to you" in said
    assert alerts(sprint.events) == [
        {"reason": "Pat's check-in reply needs a look", "urgency": "routine"}
    ]
    assert talk.state["results"]["mood"]["category"] == "other"
    assert talk.state["results"]["mood"]["label"] == "Good"
