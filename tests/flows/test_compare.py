"""Tests for flows.compare: a readable list of what staff changed between two flow versions."""

from __future__ import annotations

from flows.compare import Change, compare_flows
from flows.types import Flow
from tests.flows.helpers import compile_flow

OLD = """\
format: 1
id: checkin
name: Check-in
languages: [en, pl]
start: how
steps:
  how:
    say:
      en: "How are you? Reply 1 Good or 2 Low"
      pl: "Jak się masz? 1 Dobrze, 2 Źle"
    ask:
      choices:
        good:
          label: {en: Good, pl: Dobrze}
          words: {en: [fine, great], pl: [super]}
        low:
          label: {en: Low, pl: Źle}
      timeout: 1d
      reminders:
        - after: 4h
          say: {en: "Just checking in.", pl: "Tylko pytam."}
      reask: {en: "Reply 1 or 2", pl: "Odpowiedz 1 lub 2"}
      clarify: {en: "Did you mean {{ options }}?", pl: "Czy chodziło o {{ options }}?"}
    branches:
      good: glad
      low: offer_chat
      other: offer_chat
      no_response: missed
  glad:
    say: {en: "Lovely.", pl: "Super."}
    end: completed
  offer_chat:
    say: {en: "Sorry to hear it.", pl: "Przykro mi."}
    do:
      - alert_catalyst: {reason: "Feeling low"}
    end: completed
  missed:
    do:
      - save: {name: checkin, value: missed}
    end: missed
"""

NEW = """\
format: 1
id: checkin
name: Check-in
languages: [en, pl]
start: hello
steps:
  hello:
    say: {en: "Hello!", pl: "Cześć!"}
    go: how
  how:
    say:
      en: "How are you this week? Reply 1 Good, 2 Low or 3 OK"
      pl: "Jak się masz? 1 Dobrze, 2 Źle"
    ask:
      choices:
        good:
          label: {en: Good, pl: Dobrze}
          words: {en: [fine, lovely], pl: [super]}
        low:
          label: {en: Not so good, pl: Źle}
        ok:
          label: {en: OK, pl: OK}
      timeout: 2d
      reminders:
        - after: 6h
          say: {en: "Just checking in.", pl: "Tylko pytam."}
        - after: 1d
          say: {en: "Still here.", pl: "Jestem."}
      reask: {en: "Reply 1 or 2", pl: "Odpowiedz 1 lub 2"}
      clarify: {en: "Did you mean {{ options }}?", pl: "Czy chodziło o {{ options }}?"}
    branches:
      good: glad
      low: glad
      ok: glad
      other: offer_chat
      no_response: end
  glad:
    say: {en: "Lovely.", pl: "Super."}
    do:
      - save: {name: mood, value: fine}
    end: completed
  offer_chat:
    say: {en: "Sorry to hear it.", pl: "Przykro mi."}
    end: declined
"""


def changes() -> list[Change]:
    return compare_flows(compile_flow(OLD), compile_flow(NEW))


def of_kind(kind: str) -> list[Change]:
    return [change for change in changes() if change.kind == kind]


def test_the_same_flow_has_no_changes() -> None:
    flow: Flow = compile_flow(OLD)
    assert compare_flows(flow, compile_flow(OLD)) == []


def test_steps_added_and_removed_and_start() -> None:
    assert [(c.step, c.summary) for c in of_kind("step_added")] == [
        ("hello", "The step hello was added.")
    ]
    assert [(c.step, c.summary) for c in of_kind("step_removed")] == [
        ("missed", "The step missed was removed.")
    ]
    (start,) = of_kind("start_changed")
    assert start.summary == "The flow now starts at hello (was how)."
    assert (start.old, start.new) == ("how", "hello")


def test_message_wording_per_language_with_old_and_new_text() -> None:
    (change,) = of_kind("message_changed")
    assert change.step == "how"
    assert change.old == "How are you? Reply 1 Good or 2 Low"
    assert change.new == "How are you this week? Reply 1 Good, 2 Low or 3 OK"
    assert change.summary.startswith("The message (en) now reads")


def test_choices_and_their_words_and_labels() -> None:
    (added,) = of_kind("choice_added")
    assert added.summary == "The choice ok (OK) was added."
    (label,) = of_kind("choice_label_changed")
    assert (label.old, label.new) == ("Low", "Not so good")
    (words_added,) = of_kind("choice_words_added")
    assert words_added.summary == "The choice good (en) now also understands lovely."
    (words_removed,) = of_kind("choice_words_removed")
    assert words_removed.new is None and words_removed.old == "great"


def test_choice_removed() -> None:
    old = compile_flow(NEW)
    new = compile_flow(
        NEW.replace("        ok:\n          label: {en: OK, pl: OK}\n", "").replace(
            "      ok: glad\n", ""
        )
    )
    kinds = [(c.kind, c.summary) for c in compare_flows(old, new)]
    assert ("choice_removed", "The choice ok (OK) was removed.") in kinds
    assert ("branch_changed", "ok no longer leads anywhere (was glad).") in kinds


def test_branch_now_leads_somewhere_else() -> None:
    summaries = [c.summary for c in of_kind("branch_changed")]
    assert "low now goes to glad (was offer_chat)." in summaries
    assert "ok now goes to glad." in summaries


def test_timeout_and_reminders() -> None:
    (timeout,) = of_kind("timeout_changed")
    assert timeout.summary == "The question now times out after 2d (was 1d)."
    (changed,) = of_kind("reminder_changed")
    assert changed.summary == "Reminder 1 is now sent after 6h (was 4h)."
    (added,) = of_kind("reminder_added")
    assert added.summary == "Reminder 2 was added, after 1d."


def test_actions_and_endings() -> None:
    (added,) = of_kind("action_added")
    assert added.step == "glad"
    assert added.new == "save (name: mood, value: fine)"
    (removed,) = of_kind("action_removed")
    assert removed.step == "offer_chat"
    assert removed.old is not None and removed.old.startswith("alert_catalyst (reason: Feeling low")
    (ending,) = of_kind("ending_changed")
    assert ending.summary == "The step now ends the flow as declined (was completed)."


def test_reminder_removed_and_translation_added() -> None:
    old = compile_flow(NEW)
    new = compile_flow(
        NEW.replace(
            '        - after: 1d\n          say: {en: "Still here.", pl: "Jestem."}\n', ""
        ).replace('say: {en: "Lovely.", pl: "Super."}', 'say: {en: "Lovely!", pl: "Super."}')
    )
    found = {(c.kind, c.summary) for c in compare_flows(old, new)}
    assert ("reminder_removed", "Reminder 2 (after 1d) was removed.") in found
    assert ("message_changed", "The message (en) now reads “Lovely!” (was “Lovely.”).") in found
