"""Tests of adding residents from typed words: mobile numbers as people write them, CSV files
as spreadsheets save them, and a file saved whole or not at all."""

from __future__ import annotations

import pytest

from bot.runtime import Runtime
from bot.services.access import Viewer
from bot.services.resident_import import (
    MAX_ROWS,
    FormInvalid,
    ImportNotReady,
    NewResidents,
    e164_mobile,
    read_csv,
    template_csv,
)

STAFF = Viewer(1, "sam", "Sam Staff", "staff", None)


def catalyst_viewer(person_id: int) -> Viewer:
    return Viewer(2, "abby", "Abby Clarke", "catalyst", person_id)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07700 900123", "+447700900123"),
        ("07700900123", "+447700900123"),
        ("+44 7700 900123", "+447700900123"),
        ("+44 (0)7700 900123", "+447700900123"),
        ("+4407700900123", "+447700900123"),
        ("0044 7700 900 123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("(07700) 900123", "+447700900123"),
        ("7700900123", "+447700900123"),  # a spreadsheet dropped the 0
        ("447700900123", "+447700900123"),  # or the +
        ("07624 123456", "+447624123456"),  # the Isle of Man
        ("+48 512 345 678", "+48512345678"),  # from abroad, with its country code
    ],
)
def test_mobile_numbers_are_read_as_people_write_them(typed: str, stored: str) -> None:
    assert e164_mobile(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["0770", "020 7946 0000", "+44 20 7946 0000", "07012 345678", "07612 345678", "seven", "+0"],
)
def test_what_is_not_a_mobile_number_is_refused(typed: str) -> None:
    assert e164_mobile(typed) is None


def test_a_file_from_excel_is_read_with_its_bom_line_endings_and_quoted_cells() -> None:
    content = (
        "\ufeffFirst Name,Full name,Interests,Mobile Number\r\n"
        'Pat,Pat Fuller,"jigsaws, bingo\r\nand getting out",07700 900123\r\n'
        ",,,\r\n"  # the empty row a spreadsheet leaves
        "Ron,Ron Baker,,\r\n"
    ).encode()
    read = read_csv(content)
    assert read.problems == []
    assert [number for number, _ in read.rows] == [2, 4]
    assert read.rows[0][1]["first_name"] == "Pat"
    assert read.rows[0][1]["interests"] == "jigsaws, bingo\r\nand getting out"
    assert read.rows[0][1]["mobile"] == "07700 900123"


def test_semicolons_and_excels_older_windows_text_are_read_too() -> None:
    content = "first_name;full_name\nZoë;Zoë Brontë\n".encode("cp1252")
    read = read_csv(content)
    assert read.problems == []
    assert read.rows[0][1]["full_name"] == "Zoë Brontë"
    assert "read as Excel's older Windows text" in read.notes[0]


def test_headings_the_import_does_not_know_or_needs_are_explained() -> None:
    read = read_csv(b"first name,shoe size,first_name\nA,9,B\n")
    assert read.rows == []
    assert read.problems == [
        "The heading 'shoe size' is not a column Companion knows; the columns are listed on "
        "this page.",
        "The column 'first_name' is there twice.",
        "The file has no 'full_name' column; it is needed.",
    ]


def test_a_row_with_more_cells_than_headings_is_pointed_out() -> None:
    read = read_csv(b"first_name,full_name\nPat,Fuller, Pat,\n")
    assert read.problems == [
        "Row 2 has more cells than there are headings; a comma in a name may need the cell in "
        "quotes."
    ]


def test_files_too_big_too_long_or_empty_are_refused() -> None:
    assert "the most is 1 MB" in read_csv(b"x" * (1024 * 1024 + 1)).problems[0]
    rows = "first_name,full_name\n" + "A,B\n" * (MAX_ROWS + 1)
    assert read_csv(rows.encode()).problems == [
        "The file has 501 residents; the most at once is 500. Split it into smaller files."
    ]
    assert len(read_csv(("first_name,full_name\n" + "A,B\n" * MAX_ROWS).encode()).rows) == MAX_ROWS
    assert read_csv(b"\xef\xbb\xbf\r\n").problems == [
        "The file is empty. Choose a CSV file with residents in it."
    ]


def test_the_template_has_every_heading_and_opens_as_utf8_in_excel() -> None:
    text = template_csv()
    assert text.startswith("\ufeffpreferred_name,first_name,full_name,language,mobile,")
    read = read_csv(text.encode("utf-8"))
    assert (read.problems, read.rows) == ([], [])


async def test_a_preview_saves_nothing_and_says_what_each_row_would_save(
    services: Runtime, demo: dict[str, int]
) -> None:
    new = services.services.new_residents
    content = (
        b"first_name,full_name,language,mobile,catalyst,consent_events,checkin_days,checkin_time\n"
        b"Ron,Ron Baker,Urdu,07700 900201,susie,yes,tuesdays and fridays,10am\n"
        b"Ann,Ann Lee,,07700 900202,Abs Rahman,,Mon,\n"
    )
    before = len(await services.services.residents.list_residents())
    preview = await new.preview(STAFF, content)
    assert not preview.ready
    ron, ann = preview.rows
    assert ron.ok
    assert (ron.details.language, ron.details.phone) == ("ur", "+447700900201")
    assert (ron.catalyst_name, ron.consent_words) == ("Susie Khan", "news of events")
    assert ron.checkin_words == "Every Tuesday and Friday at 10am"
    assert [(p.label, p.message) for p in ann.problems] == [
        ("check-in time", "give a time for that check-in.")
    ]
    assert len(await services.services.residents.list_residents()) == before
    with pytest.raises(ImportNotReady):
        await new.confirm(STAFF, content)
    assert len(await services.services.residents.list_residents()) == before


async def test_a_confirmed_file_is_saved_whole_with_consents_and_check_ins(
    services: Runtime, demo: dict[str, int]
) -> None:
    new: NewResidents = services.services.new_residents
    content = (
        b"first_name,full_name,mobile,consent_checkins,consent_note,checkin_days,checkin_time\n"
        b"Ron,Ron Baker,07700 900201,yes,said yes at the door,Thu,2pm\n"
        b"Ann,Ann Lee,,,,,\n"
    )
    abby = next(
        c.id for c in await services.services.catalysts.list_catalysts() if c.first_name == "Abby"
    )
    assert await new.confirm(catalyst_viewer(abby), content) == 2
    found = {p.resident.full_name: p for p in await services.services.residents.list_residents()}
    ron, ann = found["Ron Baker"], found["Ann Lee"]
    assert ron.resident.catalyst_id == ann.resident.catalyst_id == abby
    assert ron.consents["checkins"] and not ann.consents["checkins"]
    assert ron.checkin_schedule is not None
    assert ron.checkin_schedule.description == "Every Thursday at 2pm"
    assert ann.checkin_schedule is None
    assert ann.resident.preferred_name == "Ann"  # the first name when none is given


async def test_a_file_of_headings_alone_adds_nobody(services: Runtime) -> None:
    preview = await services.services.new_residents.preview(STAFF, template_csv().encode())
    assert not preview.ready
    assert preview.file_problems == ["The file has headings but no residents under them."]


async def test_the_form_names_every_wrong_field_at_once(
    services: Runtime, demo: dict[str, int]
) -> None:
    with pytest.raises(FormInvalid) as refused:
        await services.services.new_residents.add(
            STAFF,
            {
                "first_name": "",
                "full_name": "x" * 101,
                "language": "Klingon",
                "mobile": "12345",
                "consent_checkins": "perhaps",
                "checkin_days": "Blursday",
                "checkin_time": "10am",
            },
        )
    errors = refused.value.errors
    assert errors == {
        "first_name": "Give their first name.",
        "full_name": "Shorten it to 100 characters or fewer.",
        "language": "'Klingon' is not one of the programme's languages (en, pl, ro, lt, bn, "
        "ur, pt).",
        "mobile": "'12345' is not a UK mobile number (write it like 07700 900123; a number "
        "from abroad starts with + and its country code).",
        "consent_checkins": "'perhaps' is not yes or no.",
        "checkin_days": "'Blursday' is not a day of the week. Write a day such as Tuesday or Tue.",
    }


async def test_a_catalyst_account_with_no_catalyst_cannot_add_residents(
    services: Runtime, demo: dict[str, int]
) -> None:
    unlinked = Viewer(3, "new", "New Person", "catalyst", None)
    with pytest.raises(FormInvalid) as refused:
        await services.services.new_residents.add(unlinked, {"first_name": "A", "full_name": "A B"})
    assert "not linked to a catalyst" in refused.value.errors["catalyst"]
