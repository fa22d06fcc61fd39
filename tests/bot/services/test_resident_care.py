"""Tests of the services behind the residents pages: who may see whom, the search, notes, a
one-off message from a catalyst, the rhythm form read back, and life maps from results."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.checkin_rhythm import RhythmForm, form_values
from bot.services.errors import Invalid, NotFound
from bot.services.resident_page import life_maps
from bot.services.resident_search import ResidentFilter
from storage import identities, people
from storage.resident_history import Result


async def viewers(services: Runtime) -> tuple[Viewer, Viewer, Viewer]:
    """Abby (Pat's catalyst), Susie (Lucy's) and a staff member."""
    catalysts = {c.first_name: c.id for c in await services.services.catalysts.list_catalysts()}
    abby = Viewer(1, "abby", "Abby Clarke", "catalyst", catalysts["Abby"])
    susie = Viewer(2, "susie", "Susie Khan", "catalyst", catalysts["Susie"])
    sam = Viewer(3, "sam", "Sam Staff", "staff", None)
    return abby, susie, sam


async def test_a_catalysts_search_stays_within_her_own_residents(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby, susie, sam = await viewers(services)
    search = services.services.resident_search.search
    mine = await search(abby, ResidentFilter(catalyst_id=susie.person_id))
    assert [row.resident.preferred_name for row in mine.rows] == ["Pat"]
    assert mine.catalysts == [] and not mine.more
    everyone = await search(sam, ResidentFilter())
    assert [row.resident.preferred_name for row in everyone.rows] == [
        "Grace",
        "Lucy",
        "Pat",
        "William",
    ]
    assert len(everyone.catalysts) == 4
    with pytest.raises(Invalid):
        await search(sam, ResidentFilter(status="unknown"))


async def test_someone_unknown_who_wrote_in_is_not_listed(
    services: Runtime, demo: dict[str, int]
) -> None:
    _, _, sam = await viewers(services)
    async with services.db.write() as tx:
        await people.add_resident(
            tx, people.NewResident("Stranger", "Stranger", "Stranger", status="unknown")
        )
    found = await services.services.resident_search.search(sam, ResidentFilter(name="strang"))
    assert found.rows == []


async def test_notes_are_only_for_those_who_may_see_the_resident(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby, susie, _ = await viewers(services)
    notes = services.services.notes
    note = await notes.add(abby, demo["Pat"], "  Rang Pat.  ")
    assert (note.body, note.author, note.actor) == ("Rang Pat.", "Abby Clarke", "catalyst:abby")
    with pytest.raises(NotFound):
        await notes.add(susie, demo["Pat"], "Not mine")
    with pytest.raises(NotFound):
        await notes.of(susie, demo["Pat"])
    assert [n.body for n in await notes.of(abby, demo["Pat"])] == ["Rang Pat."]


async def test_a_message_goes_only_to_someone_who_can_and_may_get_it(
    services: Runtime, demo: dict[str, int]
) -> None:
    abby, susie, sam = await viewers(services)
    send = services.services.messages_out.send
    with pytest.raises(NotFound):
        await send(susie, demo["Pat"], "Hello")
    sent = await send(abby, demo["Pat"], "Hi Pat, it's Abby")
    assert (sent.channel, sent.segments, sent.encoding, sent.held_until) == (
        "webchat",
        1,
        "GSM-7",
        None,
    )
    lines = await services.services.conversation.latest(abby, demo["Pat"])
    assert (lines[-1].speaker, lines[-1].by_person, lines[-1].status) == (
        "from Abby Clarke",
        True,
        "waiting to be sent",
    )
    async with services.db.write() as tx:
        await people.update_resident(tx, demo["Lucy"], status="stopped")
        for found in await identities.identities_of_resident(tx, demo["Grace"]):
            await identities.set_reachable(tx, found.id, False)
    with pytest.raises(Invalid, match="asked for no more messages"):
        await send(sam, demo["Lucy"], "Hello Lucy")
    with pytest.raises(Invalid, match="no channel we can reach"):
        await send(sam, demo["Grace"], "Hello Grace")


def test_the_rhythm_form_is_filled_in_from_the_rule_it_wrote() -> None:
    assert form_values("FREQ=WEEKLY;INTERVAL=1;BYDAY=TU,FR;BYHOUR=10;BYMINUTE=0") == RhythmForm(
        "week", "1", ["tuesday", "friday"], "10:00"
    )
    assert form_values("FREQ=DAILY;INTERVAL=3;BYHOUR=14;BYMINUTE=30") == RhythmForm(
        "day", "3", [], "14:30"
    )
    # A rule the form cannot show (written through the API) leaves a plain form to start from.
    assert form_values("FREQ=YEARLY;BYMONTH=3") == RhythmForm(at="10:00")
    assert form_values(None) == RhythmForm(at="10:00")


def result(result_id: int, session_id: int, name: str, value: str, label: str = "") -> Result:
    return Result(result_id, session_id, "life_map", name, value, label, value, "2026-11-24")


def test_life_maps_are_one_per_conversation_latest_first_with_the_parts_chosen() -> None:
    # Newest first, as results are read.
    results = [
        result(9, 2, "second", "done", "That's all"),
        result(8, 2, "focus", "money", "Money"),
        result(7, 2, "area_home", "green"),
        result(5, 1, "second", "health", "Health"),
        result(4, 1, "focus", "health", "Health"),
        result(3, 1, "area_money", "amber"),
        result(2, 1, "area_home", "red"),
        Result(1, 1, "weekly_checkin", "mood", "good", "Good", "good", "2026-11-24"),
    ]
    later, earlier = life_maps(results)
    assert later.session_id == 2 and earlier.session_id == 1
    assert later.focus == ["Money"]  # "that's all" is no second part
    assert earlier.focus == ["Health"]  # the same part twice is one part
    areas = {area.name: (area.colour, area.words) for area in earlier.areas}
    assert areas["Home"] == ("red", "Red: stuck, needs help")
    assert areas["Money"] == ("amber", "Amber: some worries")
    assert areas["Health"] == ("none", "Not answered")
    assert [area.name for area in later.areas][:2] == ["Home", "Health"]
