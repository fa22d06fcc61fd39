"""Tests of the flow editor's use cases: drafts saved in numbered versions, a stale save refused
with what changed, form edits, publishing only what passes its checks, revisions restored, and
sessions already running finishing on their own revision."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.errors import Conflict, Invalid
from bot.services.flow_editor import DraftConflict, FlowNotFound, PublishRefused
from bot.services.flow_edits import FlowEdit
from tests.bot.helpers import replies, say, start_checkin

#: A branch change that keeps the flow valid: an unreadable first reply now offers a chat.
PASS_ON = "      other: pass_on\n      no_response: missed"
OFFER_CHAT = "      other: offer_chat\n      no_response: missed"

SAM = Viewer(2, "sam", "Sam Staff", "staff", None)
ADA = Viewer(1, "ada", "Ada Admin", "admin", None)

FAILING_SCENARIO = """\
flow: weekly_checkin
scenarios:
  - name: Pat feels good
    resident: {preferred_name: Pat}
    catalyst: {first_name: Abby}
    conversation:
      - bot: How are you
      - resident: "1"
      - bot: [a reply that is never sent]
"""


async def test_the_built_in_flows_are_listed_published_with_their_scenarios(
    services: Runtime,
) -> None:
    editor = services.services.flow_editor
    listed = {f.id: f for f in await editor.list_flows(SAM)}
    weekly = listed["weekly_checkin"]
    assert (weekly.status, weekly.latest_revision, weekly.languages) == ("published", 1, ("en",))
    assert weekly.changed_by == "built-in"
    draft = await editor.draft("weekly_checkin")
    assert draft.version == 0 and draft.based_on_revision == 1
    assert "Pat" in draft.scenarios and "scenarios:" in draft.scenarios


async def test_a_save_makes_a_draft_and_a_stale_save_is_refused_with_what_changed(
    services: Runtime,
) -> None:
    editor = services.services.flow_editor
    opened = await editor.draft("weekly_checkin")
    changed = opened.source.replace(PASS_ON, OFFER_CHAT)
    saved = await editor.save("weekly_checkin", changed, version=0, viewer=SAM)
    assert saved.ok and saved.draft.version == 1 and saved.draft.updated_by == "staff:sam"
    listed = {f.id: f for f in await editor.list_flows(SAM)}
    assert listed["weekly_checkin"].status == "draft"

    mine = opened.source.replace("Weekly check-in", "Weekly hello")
    with pytest.raises(DraftConflict) as refused:
        await editor.save("weekly_checkin", mine, version=0, viewer=ADA)
    assert refused.value.yours == mine
    assert refused.value.current.version == 1
    summaries = [c.summary for c in refused.value.changes]
    assert any("offer_chat" in s and "pass_on" in s for s in summaries), summaries
    assert (await editor.draft("weekly_checkin")).source == changed


async def test_a_draft_with_problems_is_saved_with_them(services: Runtime) -> None:
    editor = services.services.flow_editor
    opened = await editor.draft("weekly_checkin")
    broken = opened.source.replace("good: glad", "good: nowhere")
    saved = await editor.save("weekly_checkin", broken, version=0, viewer=SAM)
    assert not saved.ok
    [problem] = [p for p in saved.problems if "nowhere" in p.message]
    assert problem.step == "how_are_you" and problem.line is not None
    assert (await editor.draft("weekly_checkin")).source == broken


async def test_a_form_edit_changes_the_draft_and_a_bad_one_changes_nothing(
    services: Runtime,
) -> None:
    editor = services.services.flow_editor
    edit = FlowEdit("message", "glad", {"text": "Good to hear!"})
    saved = await editor.edit("weekly_checkin", edit, version=0, viewer=SAM)
    assert 'say: "Good to hear!"' in saved.draft.source and saved.draft.version == 1
    with pytest.raises(Invalid):
        await editor.edit(
            "weekly_checkin",
            FlowEdit("timeout", "how_are_you", {"duration": "soonish"}),
            version=1,
            viewer=SAM,
        )
    assert (await editor.draft("weekly_checkin")).version == 1


async def test_publish_is_refused_with_problems_or_failing_scenarios(services: Runtime) -> None:
    editor = services.services.flow_editor
    opened = await editor.draft("weekly_checkin")
    broken = opened.source.replace("good: glad", "good: nowhere")
    await editor.save("weekly_checkin", broken, version=0, viewer=SAM)
    with pytest.raises(PublishRefused) as refused:
        await editor.publish("weekly_checkin", SAM, version=1)
    assert any("nowhere" in p.message for p in refused.value.problems)

    await editor.save(
        "weekly_checkin", opened.source, version=1, viewer=SAM, scenarios=FAILING_SCENARIO
    )
    with pytest.raises(PublishRefused) as refused:
        await editor.publish("weekly_checkin", SAM, version=2)
    [failing] = refused.value.scenarios
    assert failing.name == "Pat feels good" and "never sent" in " ".join(failing.failures)
    assert [r.number for r in await editor.revisions("weekly_checkin")] == [1]


async def test_publish_goes_live_while_a_running_session_stays_on_its_revision(
    services: Runtime, demo: dict[str, int]
) -> None:
    editor = services.services.flow_editor
    pat, lucy = demo["Pat"], demo["Lucy"]
    await start_checkin(services, pat)  # Pat's session begins on revision 1
    opened = await editor.draft("weekly_checkin")
    edit = FlowEdit("message", "glad", {"text": "Brilliant news, {{ resident.preferred_name }}!"})
    await editor.edit("weekly_checkin", edit, version=opened.version, viewer=SAM)
    with pytest.raises(PublishRefused):  # the stored scenarios expect the old wording
        await editor.publish("weekly_checkin", SAM, version=1)
    draft = await editor.draft("weekly_checkin")
    scenarios = draft.scenarios.replace("lovely to hear", "Brilliant news")
    await editor.save("weekly_checkin", draft.source, version=1, viewer=SAM, scenarios=scenarios)
    assert await editor.publish("weekly_checkin", SAM, version=2) == 2

    old_reply = await say(services, pat, "1")
    assert old_reply.replies  # Pat finishes on revision 1's wording

    assert any("lovely to hear" in r for r in await replies(services, old_reply))
    await start_checkin(services, lucy)
    new_reply = await say(services, lucy, "1")
    assert any("Brilliant news, Lucy" in r for r in await replies(services, new_reply))

    entries = await services.services.audit.entries(subject="flow:weekly_checkin")
    assert [e.action for e in entries] == ["published revision 2"]
    listed = {f.id: f for f in await editor.list_flows(SAM)}
    assert (listed["weekly_checkin"].status, listed["weekly_checkin"].latest_revision) == (
        "published",
        2,
    )
    with pytest.raises(Conflict):
        await editor.publish("weekly_checkin", SAM, version=2)


async def test_restore_makes_the_draft_an_old_revision_and_compare_says_what_changed(
    services: Runtime,
) -> None:
    editor = services.services.flow_editor
    opened = await editor.draft("weekly_checkin")
    await editor.save(
        "weekly_checkin", opened.source.replace(PASS_ON, OFFER_CHAT), version=0, viewer=SAM
    )
    comparison = await editor.compare("weekly_checkin", 1, None)
    assert (comparison.old_label, comparison.new_label) == ("revision 1", "the draft")
    branch = [c for c in comparison.changes if c.kind == "branch_changed"]
    assert branch and "offer_chat" in branch[0].summary and "pass_on" in branch[0].summary
    assert any(line.startswith("+") and "offer_chat" in line for line in comparison.yaml_diff)

    reworded = opened.source.replace("That's lovely to hear", "Lovely to hear")
    await editor.save(
        "weekly_checkin",
        reworded,
        version=1,
        viewer=SAM,
        scenarios=opened.scenarios.replace("lovely to hear", "Lovely to hear"),
    )
    assert await editor.publish("weekly_checkin", SAM, version=2) == 2
    comparison = await editor.compare("weekly_checkin", 1, 2)
    assert [c.kind for c in comparison.changes] == ["message_changed"]

    restored = await editor.restore("weekly_checkin", 1, ADA)
    assert restored.source == opened.source and restored.version == 3
    assert restored.based_on_revision == 1
    entries = await services.services.audit.entries(subject="flow:weekly_checkin")
    assert entries[0].action == "restored revision 1 to the draft"
    with pytest.raises(FlowNotFound):
        await editor.restore("weekly_checkin", 9, ADA)


async def test_a_new_flow_starts_as_a_valid_draft(services: Runtime) -> None:
    editor = services.services.flow_editor
    draft = await editor.create("garden_club", "Garden club", SAM)
    assert draft.version == 1 and editor.check("garden_club", draft.source).ok
    listed = {f.id: f for f in await editor.list_flows(SAM)}
    assert (listed["garden_club"].status, listed["garden_club"].latest_revision) == ("draft", None)
    with pytest.raises(Invalid):
        await editor.create("garden_club", "Again", SAM)
    with pytest.raises(Invalid):
        await editor.create("Garden Club!", "Bad id", SAM)
    assert await editor.publish("garden_club", SAM, version=1) == 1
    assert services.flows.get("garden_club") is not None


async def test_changing_the_flow_id_in_the_text_is_a_problem(services: Runtime) -> None:
    editor = services.services.flow_editor
    opened = await editor.draft("help")
    saved = await editor.save(
        "help", opened.source.replace("id: help", "id: other"), version=0, viewer=SAM
    )
    assert [p.code for p in saved.problems if p.code == "id_changed"] == ["id_changed"]
