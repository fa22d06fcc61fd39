"""Tests of the pages that bring residents in: the form, the CSV import with its preview, and a
resident's Telegram start link with its QR code, for each role."""

from __future__ import annotations

import base64
import html
import re
from types import SimpleNamespace
from typing import Any, cast

from bot.channels.telegram import TelegramUpdates
from bot.services.audit import resident_subject
from bot.services.links import Links
from bot.services.residents import ResidentProfile
from tests.admin.conftest import AdminWorld

GOOD_FORM = {
    "preferred_name": "Dot",
    "first_name": "Dorothy",
    "full_name": "Dorothy Price",
    "language": "pl",
    "mobile": "07700 900123",
    "interests": "knitting, the radio",
    "consents": ["checkins", "buddying"],
    "consent_note": "Agreed on the phone with her daughter there",
    "checkin_days": ["Tuesday", "Friday"],
    "checkin_time": "10am",
}

GOOD_FILE = (
    "preferred_name,first_name,full_name,language,mobile,catalyst,consent_checkins\n"
    "Ron,Ronald,Ronald Baker,en,+44 7700 900201,Susie Khan,yes\n"
    "Maggie,Margaret,Margaret Cole,Polish,07700900202,,no\n"
)


def residents(admin: AdminWorld) -> list[ResidentProfile]:
    found: list[ResidentProfile] = admin.call(admin.runtime.services.residents.list_residents)
    return found


def by_name(admin: AdminWorld, full_name: str) -> ResidentProfile:
    return next(p for p in residents(admin) if p.resident.full_name == full_name)


def catalyst_id(admin: AdminWorld, first_name: str) -> int:
    catalysts = admin.call(admin.runtime.services.catalysts.list_catalysts)
    return int(next(c.id for c in catalysts if c.first_name == first_name))


def text_of(answer: Any) -> str:
    return html.unescape(answer.text)


def upload(admin: AdminWorld, content: bytes, name: str = "residents.csv") -> Any:
    return admin.post(
        "/admin/residents/import",
        {"csrf_token": admin.csrf()},
        files={"file": (name, content, "text/csv")},
    )


def carried(page: str) -> str:
    found = re.search(r'name="content" value="([^"]*)"', page)
    assert found, "a ready preview carries the file to the confirm form"
    return found.group(1)


def audit_actions(admin: AdminWorld, resident_id: int) -> list[tuple[str, str]]:
    entries = admin.call(
        admin.runtime.services.audit.entries, subject=resident_subject(resident_id)
    )
    return [(entry.actor, entry.action) for entry in entries]


def telegram_on(admin: AdminWorld) -> None:
    """Links as they are once the bot has connected to Telegram as @companion_bot."""
    runtime = admin.runtime
    telegram = cast(TelegramUpdates, SimpleNamespace(username="companion_bot"))
    runtime.services.link_cards.links = Links(runtime.db, admin.clock, telegram, lambda: "on")


# -- the form ----------------------------------------------------------------------------------


def test_a_catalyst_adds_a_resident_who_is_hers_with_consents_and_a_check_in(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    form = admin.get("/admin/residents/new")
    assert form.status_code == 200
    assert "Catalyst:</strong> you (Abby Clarke)" in form.text
    assert 'name="catalyst"' not in form.text
    # Even a catalyst id slipped into the form does not give the resident to someone else.
    answer = admin.post("/admin/residents/new", {**GOOD_FORM, "catalyst": "2"})
    assert answer.status_code == 303
    added = by_name(admin, "Dorothy Price")
    assert answer.headers["location"] == f"/admin/residents/{added.resident.id}"
    assert added.resident.catalyst_id == catalyst_id(admin, "Abby")
    assert (added.resident.preferred_name, added.resident.language) == ("Dot", "pl")
    assert added.resident.interests == "knitting, the radio"
    assert ("sms", "+447700900123") in [(c.channel, c.address) for c in added.channels]
    assert added.consents == {"checkins": True, "events": False, "buddying": True}
    assert added.checkin_schedule is not None
    assert added.checkin_schedule.description == "Every Tuesday and Friday at 10am"
    assert ("catalyst:abby", "added") in audit_actions(admin, added.resident.id)
    shown = admin.get(answer.headers["location"])
    assert shown.status_code == 200
    assert "Dot has been added." in shown.text


def test_consent_is_recorded_as_given_by_the_catalyst_on_the_residents_behalf(
    admin: AdminWorld,
) -> None:
    admin.log_in("abby")
    admin.post("/admin/residents/new", GOOD_FORM)
    added = by_name(admin, "Dorothy Price")

    async def history() -> list[dict[str, object]]:
        from storage.consents import consent_history

        async with admin.runtime.db.read() as conn:
            return await consent_history(conn, added.resident.id)

    recorded = {(row["source"], row["actor"], row["note"]) for row in admin.call(history)}
    assert recorded == {
        ("catalyst", "catalyst:abby", "Agreed on the phone with her daughter there")
    }


def test_staff_choose_the_residents_catalyst(admin: AdminWorld) -> None:
    admin.log_in("sam")
    form = admin.get("/admin/residents/new")
    assert '<select id="f-catalyst" name="catalyst"' in form.text
    assert "Susie Khan" in form.text
    susie = catalyst_id(admin, "Susie")
    answer = admin.post("/admin/residents/new", {**GOOD_FORM, "catalyst": str(susie)})
    assert answer.status_code == 303
    assert by_name(admin, "Dorothy Price").resident.catalyst_id == susie
    none_yet = {**GOOD_FORM, "full_name": "Nobody's Yet", "mobile": "", "catalyst": ""}
    assert admin.post("/admin/residents/new", none_yet).status_code == 303
    assert by_name(admin, "Nobody's Yet").resident.catalyst_id is None


def test_wrong_fields_are_explained_beside_them_and_nothing_is_saved(admin: AdminWorld) -> None:
    admin.log_in("sam")
    before = len(residents(admin))
    answer = admin.post(
        "/admin/residents/new",
        {
            **GOOD_FORM,
            "first_name": "",
            "mobile": "0770",
            "catalyst": "9999",
            "checkin_time": "teatime-ish",
        },
    )
    assert answer.status_code == 400
    page = text_of(answer)
    assert "Give their first name." in page
    assert "'0770' is not a UK mobile number" in page
    assert "There is no catalyst called '9999'." in page
    assert "'teatime-ish' is not a time of day" in page
    # What was typed is kept, ticks included.
    assert 'value="0770"' in answer.text
    assert 'value="Dorothy Price"' in answer.text
    assert re.search(r'value="Tuesday" checked', answer.text)
    assert re.search(r'value="buddying" checked', answer.text)
    assert len(residents(admin)) == before


def test_a_mobile_number_someone_already_has_is_refused(admin: AdminWorld) -> None:
    admin.log_in("abby")
    assert admin.post("/admin/residents/new", GOOD_FORM).status_code == 303
    again = admin.post(
        "/admin/residents/new",
        {**GOOD_FORM, "full_name": "Dorothy Again", "mobile": "+44 (0)7700 900123"},
    )
    assert again.status_code == 400
    assert "+447700900123 already belongs to someone on the programme." in text_of(again)
    assert not [p for p in residents(admin) if p.resident.full_name == "Dorothy Again"]


def test_typed_words_are_shown_escaped(admin: AdminWorld) -> None:
    admin.log_in("abby")
    answer = admin.post(
        "/admin/residents/new", {**GOOD_FORM, "first_name": "", "interests": "<script>x</script>"}
    )
    assert "<script>x</script>" not in answer.text
    assert "&lt;script&gt;x&lt;/script&gt;" in answer.text


# -- the CSV import ----------------------------------------------------------------------------


def test_the_import_page_documents_its_columns_and_offers_a_template(admin: AdminWorld) -> None:
    admin.log_in("abby")
    page = admin.get("/admin/residents/import")
    assert page.status_code == 200
    assert "<code>consent_checkins</code>" in page.text
    assert "Every resident you import will be yours." in page.text
    template = admin.get("/admin/residents/import/template.csv")
    assert template.status_code == 200
    assert template.headers["content-type"].startswith("text/csv")
    assert "attachment" in template.headers["content-disposition"]
    assert template.text.lstrip("\ufeff").startswith("preferred_name,first_name,full_name,")


def test_a_preview_with_errors_shows_them_per_row_and_column_and_saves_nothing(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    before = len(residents(admin))
    content = (
        GOOD_FILE
        + "Bill,William,William Stone,en,0770,Abby Clarke,maybe\n"
        + "Jo,,Joanna Reed,fr,07700 900202,Nobody,\n"
    ).encode()
    answer = upload(admin, content)
    assert answer.status_code == 400
    page = text_of(answer)
    assert "Row 4, mobile: '0770' is not a UK mobile number" in page
    assert "Row 4, check-ins consent: 'maybe' is not yes or no." in page
    assert "Row 5, first name: give their first name." in page
    assert "Row 5, language: 'fr' is not one of the programme's languages" in page
    assert "Row 5, catalyst: there is no catalyst called 'Nobody'." in page
    assert "Row 5, mobile: +447700900202 is also on row 3 of this file." in page
    assert "Row 3, mobile: +447700900202 is also on row 5 of this file." in page
    assert "3 rows need correcting" in page
    assert 'name="content"' not in answer.text  # no way to confirm it
    assert len(residents(admin)) == before


def test_a_good_file_is_previewed_then_saved_whole_when_confirmed(admin: AdminWorld) -> None:
    admin.log_in("sam")
    before = len(residents(admin))
    preview = upload(admin, GOOD_FILE.encode())
    assert preview.status_code == 200
    page = text_of(preview)
    assert "2 residents will be added. Nothing is saved until you confirm." in page
    assert "+447700900201" in page and "Susie Khan" in page
    assert len(residents(admin)) == before
    confirm = admin.post(
        "/admin/residents/import/confirm",
        {"content": carried(preview.text), "filename": "residents.csv"},
    )
    assert confirm.status_code == 303
    assert confirm.headers["location"] == "/admin/residents"
    assert len(residents(admin)) == before + 2
    ron, maggie = by_name(admin, "Ronald Baker"), by_name(admin, "Margaret Cole")
    assert ron.resident.catalyst_id == catalyst_id(admin, "Susie")
    assert ron.consents["checkins"] is True
    assert maggie.resident.language == "pl" and maggie.resident.catalyst_id is None
    assert ("sms", "+447700900202") in [(c.channel, c.address) for c in maggie.channels]
    assert ("staff:sam", "added") in audit_actions(admin, ron.resident.id)
    notice = admin.get("/admin/")
    assert "2 residents have been added from residents.csv." in notice.text


def test_a_file_with_one_bad_row_cannot_be_confirmed(admin: AdminWorld) -> None:
    admin.log_in("sam")
    before = len(residents(admin))
    bad = (GOOD_FILE + "Bill,William,William Stone,en,0770,,\n").encode()
    # Sent straight to confirm, as a tampered or stale form would: checked again, refused whole.
    answer = admin.post(
        "/admin/residents/import/confirm",
        {"content": base64.urlsafe_b64encode(bad).decode(), "filename": "bad.csv"},
    )
    assert answer.status_code == 400
    assert "Row 4, mobile: '0770' is not a UK mobile number" in text_of(answer)
    assert len(residents(admin)) == before


def test_a_confirm_is_checked_again_against_residents_added_since_the_preview(
    admin: AdminWorld,
) -> None:
    admin.log_in("sam")
    preview = upload(admin, GOOD_FILE.encode())
    admin.post("/admin/residents/new", {**GOOD_FORM, "mobile": "07700 900201", "catalyst": ""})
    before = len(residents(admin))
    answer = admin.post(
        "/admin/residents/import/confirm",
        {"content": carried(preview.text), "filename": "residents.csv"},
    )
    assert answer.status_code == 400
    assert "Row 2, mobile: +447700900201 already belongs to someone" in text_of(answer)
    assert len(residents(admin)) == before


def test_excels_byte_order_mark_and_windows_line_endings_are_read(admin: AdminWorld) -> None:
    admin.log_in("sam")
    content = b"\xef\xbb\xbf" + GOOD_FILE.replace("\n", "\r\n").encode()
    preview = upload(admin, content)
    assert preview.status_code == 200
    assert "2 residents will be added." in preview.text
    admin.post(
        "/admin/residents/import/confirm",
        {"content": carried(preview.text), "filename": "residents.csv"},
    )
    assert by_name(admin, "Margaret Cole").resident.preferred_name == "Maggie"


def test_a_formula_looking_cell_is_kept_as_text_and_shown_escaped(admin: AdminWorld) -> None:
    admin.log_in("sam")
    formula = '=HYPERLINK("http://evil.example","<b>click</b>")'
    content = (
        "first_name,full_name,interests\n"
        f'Ada,Ada Moss,"{formula.replace(chr(34), chr(34) * 2)}"\n'
        "Al,@SUM(1+1),bowls\n"
    ).encode()
    preview = upload(admin, content)
    assert preview.status_code == 200
    assert "<b>click</b>" not in preview.text
    assert "&lt;b&gt;click&lt;/b&gt;" in preview.text
    assert "looks like a spreadsheet formula; it is kept as the text shown." in text_of(preview)
    admin.post(
        "/admin/residents/import/confirm",
        {"content": carried(preview.text), "filename": "f.csv"},
    )
    assert by_name(admin, "Ada Moss").resident.interests == formula
    assert by_name(admin, "@SUM(1+1)").resident.first_name == "Al"


def test_a_catalysts_import_makes_every_resident_hers(admin: AdminWorld) -> None:
    admin.log_in("abby")
    preview = upload(admin, GOOD_FILE.encode())
    assert preview.status_code == 200
    assert "Every resident in this file will be yours" in text_of(preview)
    admin.post(
        "/admin/residents/import/confirm",
        {"content": carried(preview.text), "filename": "residents.csv"},
    )
    abby = catalyst_id(admin, "Abby")
    assert by_name(admin, "Ronald Baker").resident.catalyst_id == abby
    assert by_name(admin, "Margaret Cole").resident.catalyst_id == abby


def test_too_big_a_file_or_too_many_rows_is_refused_plainly(admin: AdminWorld) -> None:
    admin.log_in("sam")
    before = len(residents(admin))
    big = b"first_name,full_name,interests\n" + b"A,A B," + b"x" * (1024 * 1024) + b"\n"
    answer = upload(admin, big)
    assert answer.status_code == 400
    assert "the most is 1 MB" in answer.text
    many = "first_name,full_name\n" + "".join(f"A{n},A B{n}\n" for n in range(501))
    answer = upload(admin, many.encode())
    assert answer.status_code == 400
    assert "The file has 501 residents; the most at once is 500." in answer.text
    assert len(residents(admin)) == before


def test_an_upload_without_a_file_or_with_unknown_headings_is_explained(admin: AdminWorld) -> None:
    admin.log_in("sam")
    nothing = admin.post("/admin/residents/import", {"csrf_token": admin.csrf()})
    assert nothing.status_code == 400
    assert "Choose a CSV file to upload." in nothing.text
    unknown = upload(admin, b"first_name,full_name,shoe size\nA,A B,9\n")
    assert unknown.status_code == 400
    assert "The heading 'shoe size' is not a column Companion knows" in text_of(unknown)


# -- the Telegram start link -------------------------------------------------------------------


def test_the_link_page_says_plainly_when_telegram_is_off(admin: AdminWorld) -> None:
    admin.log_in("abby")
    page = admin.get(f"/admin/residents/{admin.ids['Pat']}/link")
    assert page.status_code == 200
    assert "No Telegram link can be made just now" in page.text
    assert "Telegram is off: TELEGRAM_BOT_TOKEN is not set." in page.text
    assert "t.me/" not in page.text
    made = admin.post(f"/admin/residents/{admin.ids['Pat']}/link")
    assert made.status_code == 503
    assert "Telegram is off" in made.text
    assert "<svg" not in made.text


def test_a_catalyst_makes_a_link_shown_as_text_and_as_a_qr_code(admin: AdminWorld) -> None:
    telegram_on(admin)
    admin.log_in("abby")
    pat = admin.ids["Pat"]
    page = admin.get(f"/admin/residents/{pat}/link")
    assert page.status_code == 200
    assert "Make a Telegram link" in page.text
    made = admin.post(f"/admin/residents/{pat}/link")
    assert made.status_code == 200
    shown = text_of(made)
    assert "Scan this with your phone's camera to talk to us on Telegram" in shown
    link = re.search(r'<a href="(https://t\.me/companion_bot\?start=[A-Za-z0-9_-]+)">', made.text)
    assert link, "the link is shown as a link"
    assert f">{link.group(1)}</a>" in made.text
    svg = re.search(r"<svg [^>]*>.*?</svg>", made.text, re.S)
    assert svg, "the QR code is drawn in the page as SVG"
    assert 'role="img"' in svg.group(0) and "<path " in svg.group(0)
    assert f"Telegram link: {link.group(1)}</title>" in html.unescape(svg.group(0))
    download = re.search(r'href="data:image/svg\+xml;base64,([^"]+)" download', made.text)
    assert download, "the QR code can be downloaded"
    assert base64.b64decode(download.group(1)).decode().startswith("<svg ")
    assert ("catalyst:abby", "made a Telegram start link") in audit_actions(admin, pat)


def test_a_catalyst_gets_404_for_another_catalysts_resident(admin: AdminWorld) -> None:
    telegram_on(admin)
    admin.log_in("abby")
    lucy = admin.ids["Lucy"]
    assert admin.get(f"/admin/residents/{lucy}/link").status_code == 404
    refused = admin.post(f"/admin/residents/{lucy}/link")
    assert refused.status_code == 404
    assert "t.me/" not in refused.text
    assert ("catalyst:abby", "made a Telegram start link") not in audit_actions(admin, lucy)
    assert admin.get("/admin/residents/99999/link").status_code == 404
    admin.log_in("sam")
    assert admin.post(f"/admin/residents/{lucy}/link").status_code == 200
