"""Three weeks in four residents' lives, run as a new user would: rhythms set in the admin and
the API, check-ins started by the sweeps as the clock moves, residents answering (or not) in the
web chat, and their catalysts reading what happened in the admin.

The weeks run from Monday 23 March 2026, across the clock change on Sunday 29 March, with the
sweeps and the dispatcher run every five minutes of the moving clock, as the scheduler would.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from bot.app import create_app
from bot.demo import demo_token, seed_demo
from storage import checkins
from tests.admin.conftest import ORIGIN, AdminWorld, add_accounts
from tests.bot.conftest import MovableClock, make_services

LONDON = ZoneInfo("Europe/London")
#: Monday 23 March 2026, 08:00 in London (still GMT; the clocks go forward on the 29th).
START = datetime(2026, 3, 23, 8, 0, tzinfo=UTC)
TICK = timedelta(minutes=15)


class Weeks(AdminWorld):
    """The admin world, with an API token, a clock the sweeps follow, and each resident's
    messages read as they arrive."""

    def __init__(self, client: TestClient, *args: Any) -> None:
        super().__init__(client, *args)
        self.token = self.call(demo_token, self.runtime)
        self.read_up_to: dict[str, int] = {}

    def api(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.request(
            method,
            f"/api/v1{path}",
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json()

    def until(self, moment: datetime) -> None:
        """Move the clock to `moment`, running every sweep and a dispatcher round each tick."""
        assert moment.tzinfo is not None
        while self.clock.moment < moment:
            # On the quarter hours, as a scheduler would be, wherever the story paused.
            since_epoch = self.clock.moment - datetime(2026, 1, 1, tzinfo=UTC)
            next_tick = self.clock.moment - since_epoch % TICK + TICK
            self.clock.moment = min(next_tick, moment)
            self.call(self._round)

    async def _round(self) -> None:
        for job, _name in self.runtime.sweep_jobs():
            await job()
        await self.runtime.dispatcher.run_once()

    def say(self, name: str, text: str) -> list[str]:
        """`name` writes `text` in the web chat; the bot's replies."""
        body = {"text": text, "id": f"{name}-{self.clock.moment.isoformat()}-{text}"}
        turn = self.api("POST", f"/webchat/{self.ids[name]}/messages", body)
        self.call(self.runtime.dispatcher.run_once)
        self.received(name)  # the replies are read here, not again later
        return [reply["text"] for reply in turn["replies"]]

    def received(self, name: str) -> list[str]:
        """What the bot sent `name` since we last looked."""
        after = self.read_up_to.get(name, 0)
        found = self.api("GET", f"/residents/{self.ids[name]}/conversation?after_id={after}")
        messages = found["messages"]
        if messages:
            self.read_up_to[name] = max(m["id"] for m in messages)
        return [m["text"] for m in messages if m["direction"] == "out"]

    def open_alerts(self, name: str) -> list[dict[str, Any]]:
        found = self.api("GET", "/alerts?status=open")["alerts"]
        return [a for a in found if a["resident_id"] == self.ids[name]]

    def checkins_of(self, name: str) -> list[tuple[str, str, str | None]]:
        """(local time, status, mood) of each of `name`'s check-ins so far."""

        async def read() -> list[Any]:
            async with self.runtime.db.read() as conn:
                return await checkins.recent(conn, self.ids[name], START - timedelta(days=1))

        return [
            (
                datetime.fromisoformat(c.started_at or c.due_at)
                .astimezone(LONDON)
                .strftime("%a %d %b %H:%M"),
                c.status,
                c.mood,
            )
            for c in self.call(read)
        ]


def local(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    """A moment on London's clock in spring 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def weeks(tmp_path: Path) -> Iterator[Weeks]:
    clock = MovableClock(START)
    runtime = make_services(tmp_path, clock)
    with TestClient(create_app(runtime, background=False), base_url=ORIGIN) as client:
        assert client.portal is not None
        ids = client.portal.call(seed_demo, runtime)
        client.portal.call(add_accounts, runtime)
        world = Weeks(client, runtime, ids, clock)
        for name in ids:
            world.received(name)  # the demo's own messages, if any, are not this story's
        yield world


def _one_of(texts: list[str], *words: str) -> str:
    """The one message among `texts` that has every word in `words` (case aside)."""
    found = [t for t in texts if all(w.lower() in t.lower() for w in words)]
    assert len(found) == 1, (words, texts)
    return found[0]


def test_three_weeks_of_check_ins(weeks: Weeks) -> None:
    # Monday: Abby sets Pat's rhythm in the admin: Tuesdays and Fridays at 10:00.
    pat, lucy, grace, william = (weeks.ids[n] for n in ("Pat", "Lucy", "Grace", "William"))
    weeks.log_in("abby")
    saved = weeks.post(
        f"/admin/residents/{pat}/rhythm",
        {"every": "week", "interval": "1", "days": ["tuesday", "friday"], "at": "10:00"},
    )
    assert saved.status_code == 303, saved.text
    page = weeks.get(f"/admin/residents/{pat}").text
    assert "every tuesday and friday at 10am" in re.sub(r"\s+", " ", page).lower()

    # Tuesday 10:00: Pat's check-in comes in Abby's name. She is low, with a bad knee, and
    # would like a call.
    weeks.until(local(24, 9, 55))
    assert weeks.received("Pat") == []
    weeks.until(local(24, 10, 5))
    [question] = weeks.received("Pat")
    assert question.startswith("Hi Pat, it's Abby.") and "How are you" in question
    [offer] = weeks.say("Pat", "not so gud, my knee is bad")
    assert "call" in offer
    [booked] = weeks.say("Pat", "yes please")
    assert "ring" in booked
    [call] = [a for a in weeks.open_alerts("Pat") if a["kind"] == "call"]
    assert "Pat would like a call" in call["summary"]

    # Wednesday 10:00: Lucy is busy and says so; the question comes back the same day, when
    # she was told it would, and her answer then counts.
    weeks.until(local(25, 10, 5))
    assert len(weeks.received("Lucy")) == 1
    [later] = weeks.say("Lucy", "bit busy rite now, later pls")
    assert "Lucy" in later and "ask again at about 12:05pm" in later, later
    weeks.until(local(25, 12, 0))
    assert weeks.received("Lucy") == []
    weeks.until(local(25, 12, 15))
    [again] = weeks.received("Lucy")
    assert "How are you" in again
    [offer] = weeks.say("Lucy", "2")
    assert "call" in offer
    weeks.say("Lucy", "no thanks")
    assert [(s, m) for _, s, m in weeks.checkins_of("Lucy")] == [
        ("later", None),
        ("answered", "ok"),
    ]

    # Thursday 10:00: Grace does not answer. A reminder two hours on, then (with no other
    # channel) a missed check-in alert for Lisa that says when Grace last replied.
    weeks.until(local(26, 11, 55))
    assert len(weeks.received("Grace")) == 1
    weeks.until(local(26, 12, 5))
    [reminder] = weeks.received("Grace")
    assert "Grace" in reminder
    assert not [a for a in weeks.open_alerts("Grace") if a["kind"] == "missed"]
    weeks.until(local(26, 19, 0))
    [missed] = [a for a in weeks.open_alerts("Grace") if a["kind"] == "missed"]
    assert "Grace" in missed["summary"] and "check-in" in missed["summary"]
    assert weeks.received("Grace") == []  # nothing more for Grace herself

    # Friday morning Grace writes: the missed alert closes, Lisa hears all clear, and her
    # answer still counts.
    weeks.until(local(27, 9, 30))
    weeks.say("Grace", "sorry love was at my daughters. im grand")
    assert not [a for a in weeks.open_alerts("Grace") if a["kind"] == "missed"]
    assert [a for a in weeks.api("GET", "/alerts")["alerts"] if a["kind"] == "all_clear"]
    assert weeks.checkins_of("Grace")[-1][1:] == ("answered", "good")

    # Friday 10:00: Pat's second check-in of the week remembers Tuesday. She is going into
    # hospital and pauses for a fortnight.
    weeks.until(local(27, 10, 5))
    [question] = weeks.received("Pat")
    assert "knee" in question, question
    [paused] = weeks.say("Pat", "going into hospital tomorrow, pause for a fortnight please")
    assert "Pat" in paused and "Abby" in paused
    pause = [a for a in weeks.open_alerts("Pat") if a["kind"] == "pace"]
    assert pause and "until Friday 10 April" in pause[-1]["summary"]

    # William asks for a ring on Friday, outside any check-in.
    [ring] = weeks.say("William", "can someone give me a ring")
    assert "Abs" in ring
    assert [a for a in weeks.open_alerts("William") if a["kind"] == "call"]

    # The clocks go forward on Sunday. Pat is paused through Tuesday 31 March: no check-in.
    weeks.until(local(31, 12, 0))
    assert weeks.received("Pat") == []
    assert weeks.checkins_of("Pat")[-1][1] == "paused"

    # Wednesday 1 April: Lucy would like fewer messages; she is offered a rhythm and agrees.
    weeks.until(local(1, 10, 5, month=4))
    assert len(weeks.received("Lucy")) == 1
    [offer] = weeks.say("Lucy", "less often please")
    assert "Reply yes or no" in offer or "yes" in offer.lower(), offer
    [agreed] = weeks.say("Lucy", "yes")
    assert "Lucy" in agreed
    schedule = weeks.api("GET", f"/residents/{lucy}/checkin-schedule")
    assert schedule["checkin_schedule"]["description"] == "Every 2 weeks on Wednesday at 10am"

    # The pause ends on Friday 10 April: Pat hears hello again at the start of her day, and
    # the check-in comes at 10:00 on her clock, now summer time.
    weeks.until(local(10, 10, 30, month=4))
    hello, question = weeks.received("Pat")
    assert hello.startswith("Welcome back, Pat. It's Abby.")
    assert "How are you" in question
    [glad] = weeks.say("Pat", "1 much better now thanks")
    assert "lovely" in glad
    weeks.until(local(14, 10, 5, month=4))
    [question] = weeks.received("Pat")
    assert "How are you" in question
    assert weeks.checkins_of("Pat")[-2:] == [
        ("Fri 10 Apr 10:00", "answered", "good"),
        ("Tue 14 Apr 10:00", "waiting", None),
    ]

    # Abby reads it all in the admin: Pat's weeks on her list, her alerts newest and most
    # urgent first, and she closes the call alert with a note.
    weeks.log_in("abby")  # three weeks on, her session from the first Monday has ended
    listing = weeks.get("/admin/residents").text
    assert "Pat" in listing and "Lucy" not in listing  # Lucy is Susie's
    inbox = weeks.get("/admin/alerts").text
    assert "would like a call" in inbox
    assert weeks.get(f"/admin/alerts/{call['id']}").status_code == 200
    _ = grace, william
