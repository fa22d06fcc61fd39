"""Tests of the figures pages: the numbers for a small known programme (check-ins started and
answered through the web chat over two weeks), each figure's CSV, the charts' escaping, and
flow results as CSV and as a FLOIP Flow Results package with residents by id only."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from admin.web.charts import Bars, bar_chart
from tests.admin.conftest import AdminWorld


def _csv(admin: AdminWorld, path: str) -> list[list[str]]:
    answer = admin.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(answer.text)))


def _two_weeks_of_checkins(admin: AdminWorld) -> None:
    """As sam: week of 23 Nov, Pat good, Lucy not so good, Grace no answer, and a fall from
    William; week of 30 Nov, Pat OK."""
    ids = admin.ids
    for name in ("Pat", "Lucy", "Grace"):
        assert admin.post(f"/admin/webchat/{ids[name]}/checkin").status_code == 303
    admin.post(f"/admin/webchat/{ids['Pat']}", {"text": "1"})
    admin.post(f"/admin/webchat/{ids['Lucy']}", {"text": "3"})
    admin.post(f"/admin/webchat/{ids['William']}", {"text": "I've had a fall"})
    admin.clock.advance(timedelta(days=7))
    admin.log_in("sam")  # a week on, yesterday's login has long idled out
    admin.post(f"/admin/webchat/{ids['Pat']}/checkin")
    admin.post(f"/admin/webchat/{ids['Pat']}", {"text": "alright"})


def test_the_figures_count_a_small_known_programme(admin: AdminWorld) -> None:
    admin.log_in("sam")
    _two_weeks_of_checkins(admin)
    checkins = _csv(admin, "/admin/figures/checkins.csv")
    assert checkins[0] == ["Week starting", "Started", "Answered"]
    assert len(checkins) == 1 + 12
    assert checkins[-2:] == [["2026-11-23", "3", "2"], ["2026-11-30", "1", "1"]]
    assert all(row[1:] == ["0", "0"] for row in checkins[1:-2])
    mood = _csv(admin, "/admin/figures/mood.csv")
    assert mood[0] == ["Week starting", "Good", "OK", "Not so good"]
    assert mood[-2:] == [["2026-11-23", "1", "0", "1"], ["2026-11-30", "0", "1", "0"]]
    residents = _csv(admin, "/admin/figures/residents.csv")
    assert residents == [
        ["Status", "Residents"],
        ["active", "4"],
        ["paused", "0"],
        ["stopped", "0"],
    ]
    alerts = _csv(admin, "/admin/figures/alerts.csv")
    assert ["risk", "1", "0"] in alerts
    page = admin.get("/admin/figures")
    assert page.status_code == 200
    assert page.text.count('role="img"') == 4
    assert '<title id="chart-checkins-title">Check-ins answered</title>' in page.text
    assert '<th scope="row">23 Nov</th><td>3</td><td>2</td>' in page.text
    assert 'href="/admin/figures/mood.csv"' in page.text


def test_a_catalyst_cannot_see_the_figures(admin: AdminWorld) -> None:
    admin.log_in("abby")
    assert admin.get("/admin/figures").status_code == 403
    assert admin.get("/admin/figures/checkins.csv").status_code == 403
    assert admin.get("/admin/figures/results/weekly_checkin.csv").status_code == 403


def test_a_chart_escapes_its_labels() -> None:
    svg = bar_chart(
        "chart-test",
        "Alerts <by> kind",
        'What "people" said & did',
        ["<script>alert(1)</script>"],
        [Bars("Urgent & <b>", [3])],
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "Alerts &lt;by&gt; kind" in svg
    assert "What &quot;people&quot; said &amp; did" in svg
    assert "Urgent &amp; &lt;b&gt;" in svg
    assert 'role="img"' in svg


def test_flow_results_export_as_csv_and_floip_without_names(admin: AdminWorld) -> None:
    admin.log_in("sam")
    _two_weeks_of_checkins(admin)
    rows = _csv(admin, "/admin/figures/results/weekly_checkin.csv")
    assert rows[0] == [
        "resident_id",
        "flow",
        "revision",
        "session_id",
        "name",
        "value",
        "label",
        "category",
        "at",
    ]
    moods = [(r[0], r[5], r[6]) for r in rows[1:] if r[4] == "mood"]
    pat, lucy = str(admin.ids["Pat"]), str(admin.ids["Lucy"])
    assert moods == [(pat, "good", "Good"), (lucy, "low", "Not so good"), (pat, "ok", "OK")]

    answer = admin.get("/admin/figures/results/weekly_checkin.floip.json")
    assert answer.status_code == 200
    assert "weekly_checkin-results.floip.json" in answer.headers["content-disposition"]
    for name in ("Pat", "Patricia", "Lucy", "Adeyemi", "Grace"):
        assert name not in answer.text
    package = json.loads(answer.text)
    assert package["profile"] == "flow-results-package"
    assert package["flow_results_specification_version"].startswith("1.")
    [resource] = package["resources"]
    assert resource["name"] == "flow-results-data"
    schema = resource["schema"]
    assert [f["name"] for f in schema["fields"]] == [
        "timestamp",
        "row_id",
        "contact_id",
        "session_id",
        "question_id",
        "response",
        "response_metadata",
    ]
    mood = schema["questions"]["mood"]
    assert mood["type"] == "select_one"
    assert mood["type_options"]["choices"] == ["good", "ok", "low"]
    assert all(len(row) == 7 for row in resource["data"])
    first = next(row for row in resource["data"] if row[4] == "mood")
    assert first[2] == pat and first[5] == "good"
    assert first[0].endswith("+00:00")
    exports = [
        (e.actor, e.subject, e.detail["format"])
        for e in admin.call(admin.runtime.services.audit.entries)
        if e.action == "exported results"
    ]
    assert ("staff:sam", "flow:weekly_checkin", "csv") in exports
    assert ("staff:sam", "flow:weekly_checkin", "floip") in exports


def test_results_of_a_flow_that_does_not_exist_are_not_found(admin: AdminWorld) -> None:
    admin.log_in("sam")
    assert admin.get("/admin/figures/results/no_such_flow.csv").status_code == 404
    assert admin.get("/admin/figures/results/No-Such.floip.json").status_code == 404
