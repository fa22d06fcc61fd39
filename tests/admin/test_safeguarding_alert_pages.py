"""Tests of safeguarding in the admin: the duty list (who urgent alerts go to, in order) and a
risk alert's record, read and added to on the alert's page."""

from __future__ import annotations

import html

from storage import people, safeguarding
from tests.admin.conftest import AdminWorld

RISK = "I want to end it all"


def _person_ids(admin: AdminWorld) -> dict[str, int]:
    async def go() -> dict[str, int]:
        async with admin.runtime.db.read() as conn:
            return {p.first_name: p.id for p in await people.list_people(conn)}

    found: dict[str, int] = admin.call(go)
    return found


def _duty_names(admin: AdminWorld) -> list[str]:
    async def go() -> list[str]:
        async with admin.runtime.db.read() as conn:
            return [p.first_name for p in await safeguarding.duty_list(conn)]

    found: list[str] = admin.call(go)
    return found


def test_staff_put_people_on_the_duty_list_in_order(admin: AdminWorld) -> None:
    ids = _person_ids(admin)
    admin.log_in("sam")
    for name in ("Lisa", "Susie"):
        response = admin.post("/admin/duty/add", {"person_id": str(ids[name])})
        assert response.status_code == 303
    admin.post("/admin/duty/up", {"person_id": str(ids["Susie"])})
    assert _duty_names(admin) == ["Susie", "Lisa"]
    page = html.unescape(admin.get("/admin/duty").text)
    assert page.index("Susie") < page.index("Lisa")
    assert "Cannot be alerted:" in page  # neither has chosen how to get alerts
    admin.post("/admin/duty/remove", {"person_id": str(ids["Susie"])})
    assert _duty_names(admin) == ["Lisa"]
    actions = [e.action for e in admin.call(admin.runtime.services.audit.entries)]
    assert {"duty list: added", "duty list: moved up", "duty list: removed"} <= set(actions)


def test_a_bad_choice_is_explained_and_changes_nothing(admin: AdminWorld) -> None:
    admin.log_in("sam")
    for value in ("", "abc", "99999", "1" * 40):
        response = admin.post("/admin/duty/add", {"person_id": value})
        assert response.status_code == 400
        assert "Choose" in html.unescape(response.text)
    assert _duty_names(admin) == []


def test_a_catalyst_cannot_change_the_duty_list(admin: AdminWorld) -> None:
    ids = _person_ids(admin)
    admin.log_in("abby")
    assert admin.get("/admin/duty").status_code == 403
    assert admin.post("/admin/duty/add", {"person_id": str(ids["Lisa"])}).status_code == 403
    assert _duty_names(admin) == []


def test_a_risk_alert_shows_its_record_and_takes_a_note_but_never_an_edit(
    admin: AdminWorld,
) -> None:
    services = admin.runtime.services
    admin.call(services.webchat.say, admin.ids["Pat"], RISK)
    [view] = [v for v in admin.call(services.alerts.list_alerts) if v.alert.kind == "risk"]
    alert_id = view.alert.id
    admin.log_in("abby")
    page = html.unescape(admin.get(f"/admin/alerts/{alert_id}").text)
    assert "Safeguarding record" in page
    assert f"Pat wrote by webchat: \u201c{RISK}\u201d" in page
    assert "The fixed reply was sent at once" in page

    empty = admin.post(f"/admin/alerts/{alert_id}/record", {"record_note": "   "})
    assert empty.status_code == 400
    response = admin.post(
        f"/admin/alerts/{alert_id}/record", {"record_note": "Rang Pat's daughter; she's going."}
    )
    assert response.status_code == 303
    page = html.unescape(admin.get(f"/admin/alerts/{alert_id}").text)
    assert "abby (catalyst) added: Rang Pat's daughter; she's going." in page

    admin.post(f"/admin/alerts/{alert_id}/close", {"note": "Pat is safe with her daughter."})
    page = html.unescape(admin.get(f"/admin/alerts/{alert_id}").text)
    assert "abby (catalyst) closed it: Pat is safe with her daughter." in page
    assert "Add to the record" in page  # closed, and still only ever added to


def test_a_catalyst_cannot_add_to_another_catalysts_record(admin: AdminWorld) -> None:
    services = admin.runtime.services
    admin.call(services.webchat.say, admin.ids["Lucy"], RISK)
    [view] = [v for v in admin.call(services.alerts.list_alerts) if v.alert.kind == "risk"]
    admin.log_in("abby")
    response = admin.post(f"/admin/alerts/{view.alert.id}/record", {"record_note": "hello"})
    assert response.status_code == 404
