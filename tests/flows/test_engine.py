"""Tests of the engine: starting, answering, re-asking, reminders, timeouts and sub-flows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from flows.engine import Reply, SessionNotWaiting, resume
from flows.events import ActionRequested, ErrorEvent, FlowEntered, ResultSaved, WaitStarted
from flows.format.parse import parse_flow
from flows.format.yaml_loader import load_yaml
from flows.limits import MAX_STEPS_PER_TURN
from tests.flows.helpers import MONDAY_10AM, PAT, Conversation, compile_flow, texts

MOOD = """
format: 1
id: mood
name: Mood
languages: [en]
start: ask
steps:
  ask:
    say: "Hi {{ resident.preferred_name }}, it's {{ catalyst.first_name }}. How are you? \\
      1 Good 2 Low"
    ask:
      choices:
        good: {label: Good, words: [fine, great]}
        low: {label: Low, words: [sad, lonely]}
      save_as: mood
      timeout: 1d
      reminders:
        - after: 4h
          say: "Just checking in. Reply 1 or 2."
        - after: 8h
          say: "One last nudge. Reply 1 or 2."
    branches:
      good: glad
      low: sorry
      other: pass_on
      no_response: missed
  glad:
    say: "Lovely to hear, {{ resident.preferred_name }}."
    end: completed
  sorry:
    say: "Sorry to hear that. I'll let {{ catalyst.first_name }} know."
    do:
      - alert_catalyst: {reason: "{{ resident.preferred_name }} feels {{ results.mood }}"}
    end: completed
  pass_on:
    say: "Thanks, I'll pass that on."
    end: completed
  missed:
    end: missed
"""


def test_start_sends_the_question_with_names_filled_in_and_waits_a_day() -> None:
    talk = Conversation(compile_flow(MOOD))
    sprint = talk.start()
    assert texts(sprint) == ["Hi Pat, it's Abby. How are you? 1 Good 2 Low"]
    question = sprint.messages[0]
    assert question.kind == "question"
    assert [(b.label, b.answer) for b in question.buttons] == [("Good", "1"), ("Low", "2")]
    assert question.reply is False  # started by the schedule: routine, respects quiet hours
    wait = next(e for e in sprint.events if isinstance(e, WaitStarted))
    assert wait.expires_at == MONDAY_10AM + timedelta(days=1)
    assert wait.wake_at == MONDAY_10AM + timedelta(hours=4)
    assert sprint.waiting


@pytest.mark.parametrize("reply", ["2", "2.", "no 2", "two", "Low", "lonley", "i'm sad today"])
def test_a_low_reply_in_any_form_alerts_the_catalyst_and_saves_the_mood(reply: str) -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    sprint = talk.reply(reply)
    assert texts(sprint) == ["Sorry to hear that. I'll let Abby know."]
    assert all(message.reply for message in sprint.messages)
    alert = next(e for e in sprint.events if isinstance(e, ActionRequested))
    assert alert.kind == "alert_catalyst"
    assert alert.params == {"reason": "Pat feels Low", "urgency": "routine"}
    assert sprint.state["results"]["mood"]["value"] == "low"
    assert sprint.state["results"]["mood"]["input"] == reply
    assert sprint.ended and sprint.outcome == "completed"


def test_a_reply_not_understood_is_asked_again_then_goes_to_other() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    first = talk.reply("the cat knocked the kettle over")
    assert first.messages[0].kind == "reask"
    assert "1 Good or 2 Low" in first.messages[0].text
    assert first.waiting
    second = talk.reply("purple")
    assert second.messages[0].kind == "reask"
    third = talk.reply("banana")
    assert texts(third) == ["Thanks, I'll pass that on."]
    saved = next(e for e in third.events if isinstance(e, ResultSaved))
    assert (saved.category, saved.value, saved.label, saved.input) == ("other", None, "", "banana")


def test_a_reply_that_could_mean_two_choices_is_clarified_not_guessed() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    sprint = talk.reply("1 or 2")
    assert sprint.messages[0].kind == "clarify"
    assert "1 Good or 2 Low" in sprint.messages[0].text
    assert "mood" not in sprint.state["results"]
    assert texts(talk.reply("2")) == ["Sorry to hear that. I'll let Abby know."]


def test_reminders_come_in_order_and_no_reply_takes_the_no_response_branch() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    assert talk.timeout(timedelta(hours=3)).events == ()  # too early: nothing due
    reminder = talk.timeout(timedelta(hours=1))
    assert texts(reminder) == ["Just checking in. Reply 1 or 2."]
    assert reminder.messages[0].kind == "reminder" and reminder.messages[0].reply is False
    assert texts(talk.timeout(timedelta(hours=4))) == ["One last nudge. Reply 1 or 2."]
    missed = talk.timeout(timedelta(hours=16))
    assert missed.ended and missed.outcome == "missed"
    assert texts(missed) == []


def test_after_downtime_only_the_latest_due_reminder_is_sent_once() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    late = talk.timeout(timedelta(hours=9))
    assert texts(late) == ["One last nudge. Reply 1 or 2."]
    assert talk.timeout().events == ()  # the same wake-up again changes nothing


def test_after_downtime_past_the_deadline_no_stale_reminder_is_sent() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    sprint = talk.timeout(timedelta(days=3))
    assert texts(sprint) == []
    assert sprint.outcome == "missed"


def test_state_is_plain_json_and_resumes_after_a_round_trip() -> None:
    talk = Conversation(compile_flow(MOOD))
    started = talk.start()
    stored = json.loads(json.dumps(started.state))
    sprint = resume(talk.library, stored, Reply("1"), context=PAT, clock=talk.clock)
    assert texts(sprint) == ["Lovely to hear, Pat."]


def test_a_session_keeps_the_revision_it_started_on_when_the_flow_is_republished() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    edited = compile_flow(MOOD.replace("Lovely to hear", "Wonderful"))
    talk.library.publish(edited)
    assert texts(talk.reply("1")) == ["Lovely to hear, Pat."]
    fresh = Conversation(context=PAT)
    fresh.library = talk.library
    fresh.start("mood")
    assert texts(fresh.reply("1")) == ["Wonderful, Pat."]


def test_a_reply_to_an_ended_session_is_refused_and_a_late_timeout_is_ignored() -> None:
    talk = Conversation(compile_flow(MOOD))
    talk.start()
    talk.reply("1")
    with pytest.raises(SessionNotWaiting):
        talk.reply("1")
    assert talk.timeout(timedelta(days=2)).events == ()


LOOP = """
format: 1
id: loop
name: Loop
languages: [en]
start: a
steps:
  a: {say: "a", go: b}
  b: {go: a}
"""


def test_a_runaway_loop_is_stopped_at_the_step_limit_with_a_clear_error() -> None:
    flow, _ = parse_flow(load_yaml(LOOP))
    assert flow is not None
    talk = Conversation(flow)
    sprint = talk.start()
    errors = [e for e in sprint.events if isinstance(e, ErrorEvent)]
    assert [e.code for e in errors] == ["too_many_steps"]
    assert "loop" in errors[0].text
    assert len(sprint.messages) == MAX_STEPS_PER_TURN // 2
    assert sprint.ended and sprint.outcome == "failed"


PARENT = """
format: 1
id: parent
name: Parent
languages: [en]
start: hello
steps:
  hello:
    say: "Hello"
    run: child
    then: bye
  bye:
    say: "You said {{ results.colour }}. Bye"
    end: completed
"""

CHILD = """
format: 1
id: child
name: Child
languages: [en]
start: colour
steps:
  colour:
    say: "Favourite colour?"
    ask: {type: text, save_as: colour}
    branches: {answered: end}
"""


def test_run_enters_another_flow_and_comes_back_with_its_results() -> None:
    talk = Conversation(compile_flow(PARENT), compile_flow(CHILD))
    sprint = talk.start("parent")
    assert texts(sprint) == ["Hello", "Favourite colour?"]
    assert [e.flow_id for e in sprint.events if isinstance(e, FlowEntered)] == ["parent", "child"]
    assert sprint.state["flow_id"] == "child"
    done = talk.reply("green")
    assert texts(done) == ["You said green. Bye"]
    assert done.state["flow_id"] == "parent" and done.ended


def test_end_conversation_stops_the_parent_flow_too() -> None:
    child = CHILD.replace("branches: {answered: end}", "branches: {answered: stop}") + (
        "  stop:\n    do: [{end_conversation: {outcome: declined}}]\n    end: true\n"
    )
    talk = Conversation(compile_flow(PARENT), compile_flow(child))
    talk.start("parent")
    done = talk.reply("no thanks")
    assert texts(done) == []
    assert done.outcome == "declined" and done.ended


BILINGUAL = """
format: 1
id: hello
name: Hello
languages: [en, pl]
start: hi
steps:
  hi:
    say:
      en: "Hello {{ resident.preferred_name }}"
      pl: "Dzień dobry {{ resident.preferred_name }}"
    end: completed
"""


@pytest.mark.parametrize(
    ("language", "expected"),
    [("pl", "Dzień dobry Pat"), ("en", "Hello Pat"), ("fr", "Hello Pat"), ("", "Hello Pat")],
)
def test_the_resident_gets_their_own_language_or_the_flows_first(
    language: str, expected: str
) -> None:
    context = {**PAT, "resident": {**PAT["resident"], "language": language}}
    talk = Conversation(compile_flow(BILINGUAL), context=context)
    assert texts(talk.start()) == [expected]


def test_a_missing_name_is_reported_as_an_error_event_and_the_message_still_goes() -> None:
    talk = Conversation(compile_flow(MOOD), context={"resident": {}, "catalyst": {}})
    sprint = talk.start()
    errors = [e for e in sprint.events if isinstance(e, ErrorEvent)]
    assert errors and errors[0].code == "missing_value"
    assert "resident.preferred_name" in errors[0].text
    assert texts(sprint) == ["Hi , it's . How are you? 1 Good 2 Low"]


def test_the_same_inputs_always_give_the_same_outputs() -> None:
    def run() -> list[object]:
        talk = Conversation(compile_flow(MOOD))
        sprints = [
            talk.start(),
            talk.reply("meh"),
            talk.timeout(timedelta(hours=5)),
            talk.reply("2"),
        ]
        return [(s.state, s.events) for s in sprints]

    assert run() == run()


GUARDED = """
format: 1
id: guarded
name: Guarded
languages: [en]
start: hi
steps:
  hi:
    say: "{{ event.title }}{% if event.welcome %}. {{ event.welcome }}{% endif %}. \\
      {{ event.cost | default('Free') }}"
    end: completed
"""


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"title": "Bingo"}, "Bingo. Free"),
        (
            {"title": "Bingo", "welcome": "Jan says hello", "cost": "2 pounds"},
            "Bingo. Jan says hello. 2 pounds",
        ),
    ],
)
def test_a_name_checked_with_if_or_default_may_be_missing_without_an_error(
    event: dict[str, str], expected: str
) -> None:
    talk = Conversation(compile_flow(GUARDED), context={**PAT, "event": event})
    sprint = talk.start()
    assert texts(sprint) == [expected]
    assert not [e for e in sprint.events if isinstance(e, ErrorEvent)]
