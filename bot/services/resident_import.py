"""This module contains adding residents as catalysts and staff do it in the admin: one from the
form, or many from a CSV file that is checked row by row and previewed before anything is saved.

A form and a row of a file are the same typed words, checked by the same rules: names present
and not too long, one of the programme's languages, a mobile number as people write it (stored
in E.164), a catalyst who exists (for a catalyst: always themselves), consents given on the
resident's behalf, and an optional weekly check-in. A file is saved in one transaction, and only
when every row is right; the rows are checked again inside that transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.flow_library import StoredFlows
from bot.programme import Programme
from bot.services.access import Ability, Viewer
from bot.services.audit import Audit, resident_subject
from bot.services.consent import PURPOSES, Consent
from bot.services.errors import Invalid
from bot.services.residents import ResidentDetails, Residents
from bot.services.schedules import RhythmRequest, Schedules
from bot.services.unit import Tx, reading, writing
from bot.timing.rhythm import RhythmError, describe, rhythm_from_words
from flows.engine import Clock
from storage import identities, people
from storage.database import Database
from storage.records import Person

#: The programme's languages, by code, as staff read them.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "pl": "Polish",
    "ro": "Romanian",
    "lt": "Lithuanian",
    "bn": "Bengali",
    "ur": "Urdu",
    "pt": "Portuguese",
}

#: Each purpose a resident can agree to, in the words the pages use.
PURPOSE_WORDS: dict[str, str] = {
    "checkins": "check-ins",
    "events": "news of events",
    "buddying": "a buddy",
}

MAX_FILE_BYTES = 1024 * 1024
#: Every row is saved in one transaction, which holds the database's one writer while it runs
#: (about 3 ms a row): 500 rows keep an inbound text waiting at most a second or two.
MAX_ROWS = 500
_MAX_NAME = 100
_MAX_TEXT = 500

_YES = {"yes", "y", "true", "1", "x", "agreed", "given"}
_NO = {"no", "n", "false", "0", ""}
# Cells a spreadsheet would read as a formula: kept as typed text, and pointed out in the preview.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the import file (and a field of the form, by the same key)."""

    key: str
    label: str
    what: str
    example: str
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("preferred_name", "preferred name", "What they like to be called.", "Pat"),
    Column("first_name", "first name", "Their first name.", "Patricia", required=True),
    Column("full_name", "full name", "Their full name.", "Patricia Jones", required=True),
    Column(
        "language",
        "language",
        "en, pl, ro, lt, bn, ur or pt (or the language's name). English when empty.",
        "en",
    ),
    Column(
        "mobile",
        "mobile",
        "Their mobile number as you would write it: 07700 900123 or +44 7700 900123; a number "
        "from abroad starts with + and its country code. Empty when they have none.",
        "07700 900123",
    ),
    Column(
        "catalyst",
        "catalyst",
        "Their catalyst's name or number; empty for none yet. In a catalyst's own import "
        "every resident is theirs, whatever this says.",
        "Abby Clarke",
    ),
    Column("interests", "interests", "What they enjoy, in a few words.", "gardening, jazz"),
    Column(
        "consent_checkins",
        "check-ins consent",
        "yes when they have agreed to check-ins; no or empty when not.",
        "yes",
    ),
    Column("consent_events", "events consent", "yes when they want news of events.", "no"),
    Column("consent_buddying", "buddying consent", "yes when they would like a buddy.", "no"),
    Column(
        "consent_note",
        "consent note",
        "How and when they agreed, in a few words.",
        "Agreed on the phone, 3 March",
    ),
    Column(
        "checkin_days",
        "check-in days",
        "Days for a weekly check-in, such as Tuesday Friday. Empty for none.",
        "Tue, Fri",
    ),
    Column("checkin_time", "check-in time", "The time of that check-in.", "10am"),
)
_LABELS = {column.key: column.label for column in COLUMNS}
# Headings people write for a column, beyond its key and label.
_HEADING_ALIASES = {
    "mobile_number": "mobile",
    "phone": "mobile",
    "phone_number": "mobile",
    "preferred": "preferred_name",
    "catalyst_name": "catalyst",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with (or worth knowing about) one value: `column` is its key."""

    column: str
    message: str

    @property
    def label(self) -> str:
        return _LABELS.get(self.column, self.column)

    @property
    def sentence(self) -> str:
        """The message on its own, as shown beside a form's field."""
        return self.message[:1].upper() + self.message[1:]


@dataclass(frozen=True, slots=True)
class CheckedResident:
    """One resident as typed, and what would be saved, or why it cannot be."""

    #: Where it is in the file as a spreadsheet numbers it (the headings are row 1); 0: the form.
    row: int
    typed: dict[str, str]
    details: ResidentDetails
    catalyst_name: str
    consents: dict[str, bool]
    consent_note: str
    checkin: RhythmRequest | None
    checkin_words: str
    problems: list[Problem] = field(default_factory=list)
    #: Things to know that do not stop saving (a cell that looks like a formula).
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def language_name(self) -> str:
        return LANGUAGES.get(self.details.language, self.details.language)

    @property
    def consent_words(self) -> str:
        given = [PURPOSE_WORDS[purpose] for purpose in PURPOSES if self.consents.get(purpose)]
        return ", ".join(given) if given else "none yet"


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What a file would add: every row checked, and problems with the file as a whole."""

    rows: list[CheckedResident]
    file_problems: list[str]
    notes: list[str]

    @property
    def ready(self) -> bool:
        return bool(self.rows) and not self.file_problems and all(row.ok for row in self.rows)

    @property
    def rows_with_problems(self) -> int:
        return sum(1 for row in self.rows if not row.ok)


class FormInvalid(Invalid):
    """The form has one or more wrong fields; `errors` maps each field to what is wrong."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors))
        super().__init__(first, "Some of the details need correcting; nothing was saved.")
        self.errors = errors


class ImportNotReady(Invalid):
    """The file cannot be saved as it is; `preview` says why, row by row."""

    def __init__(self, preview: ImportPreview) -> None:
        super().__init__("file", "Nothing was saved: the file has problems to correct first.")
        self.preview = preview


class NewResidents:
    def __init__(
        self, db: Database, clock: Clock, flows: StoredFlows, programme: Programme
    ) -> None:
        self.db = db
        self.clock = clock
        self.programme = programme
        self.consent = Consent(db)
        self.residents = Residents(db, self.consent, programme)
        self.schedules = Schedules(db, clock, flows)
        self.audit = Audit(db)

    async def catalysts(self) -> list[Person]:
        """The catalysts a resident can be given to (for the form's choice)."""
        async with reading(self.db) as conn:
            return await people.list_people(conn, "catalyst")

    async def add(self, viewer: Viewer, typed: dict[str, str]) -> int:
        """Add one resident from the form's fields; their id. Raises `FormInvalid` naming
        every wrong field, and then nothing is saved."""
        async with writing(self.db) as tx:
            checked = await self._check(tx, viewer, [(0, typed)])
            resident = checked[0]
            if not resident.ok:
                errors: dict[str, str] = {}
                for problem in resident.problems:
                    said = errors.get(problem.column)
                    errors[problem.column] = (
                        f"{said} {problem.sentence}" if said else problem.sentence
                    )
                raise FormInvalid(errors)
            return await self._save(tx, viewer, resident, via="form")

    async def preview(self, viewer: Viewer, content: bytes) -> ImportPreview:
        """What importing `content` (a CSV file) would add, row by row; saves nothing."""
        async with reading(self.db) as conn:
            return await self._preview(conn, viewer, content)

    async def confirm(self, viewer: Viewer, content: bytes) -> int:
        """Save every row of `content` in one transaction, checked again first; how many were
        added. Raises `ImportNotReady` (and saves nothing) unless every row is right."""
        async with writing(self.db) as tx:
            found = await self._preview(tx, viewer, content)
            if not found.ready:
                raise ImportNotReady(found)
            for resident in found.rows:
                await self._save(tx, viewer, resident, via="import")
        return len(found.rows)

    async def _preview(self, conn: Tx, viewer: Viewer, content: bytes) -> ImportPreview:
        read = read_csv(content)
        if read.problems:
            return ImportPreview([], read.problems, read.notes)
        notes = list(read.notes)
        if not _chooses_catalyst(viewer):
            notes.append(
                "Every resident in this file will be yours, whatever it says of catalysts."
            )
        rows = await self._check(conn, viewer, read.rows)
        if not rows:
            return ImportPreview([], ["The file has headings but no residents under them."], notes)
        return ImportPreview(rows, [], notes)

    async def _check(
        self, conn: Tx, viewer: Viewer, typed_rows: Sequence[tuple[int, dict[str, str]]]
    ) -> list[CheckedResident]:
        catalysts = await people.list_people(conn, "catalyst")
        now = self.clock.now()
        checked = [
            self._check_one(viewer, number, typed, catalysts, now) for number, typed in typed_rows
        ]
        return await _with_duplicates(conn, checked)

    def _check_one(
        self,
        viewer: Viewer,
        row: int,
        typed: dict[str, str],
        catalysts: list[Person],
        now: datetime,
    ) -> CheckedResident:
        typed = {column.key: typed.get(column.key, "").strip() for column in COLUMNS}
        problems: list[Problem] = []
        notes = [
            Problem(
                key, f"'{value}' looks like a spreadsheet formula; it is kept as the text shown."
            )
            for key, value in typed.items()
            if key not in ("mobile", "catalyst") and value.startswith(_FORMULA_START)
        ]
        for column in COLUMNS:
            if column.required and not typed[column.key]:
                problems.append(Problem(column.key, f"give their {column.label}."))
        for key in ("preferred_name", "first_name", "full_name"):
            if len(typed[key]) > _MAX_NAME:
                problems.append(Problem(key, f"shorten it to {_MAX_NAME} characters or fewer."))
        for key in ("interests", "consent_note"):
            if len(typed[key]) > _MAX_TEXT:
                problems.append(Problem(key, f"shorten it to {_MAX_TEXT} characters or fewer."))
        language = _language(typed["language"])
        if language is None:
            problems.append(
                Problem(
                    "language",
                    f"'{typed['language']}' is not one of the programme's languages "
                    f"({', '.join(LANGUAGES)}).",
                )
            )
        phone = None
        if typed["mobile"]:
            phone = e164_mobile(typed["mobile"])
            if phone is None:
                problems.append(
                    Problem(
                        "mobile",
                        f"'{typed['mobile']}' is not a UK mobile number (write it like "
                        "07700 900123; a number from abroad starts with + and its country code).",
                    )
                )
        catalyst, catalyst_problem = _catalyst(viewer, typed["catalyst"], catalysts)
        if catalyst_problem:
            problems.append(Problem("catalyst", catalyst_problem))
        consents: dict[str, bool] = {}
        for purpose in PURPOSES:
            answer = _yes_no(typed[f"consent_{purpose}"])
            if answer is None:
                problems.append(
                    Problem(
                        f"consent_{purpose}",
                        f"'{typed[f'consent_{purpose}']}' is not yes or no.",
                    )
                )
            elif answer:
                consents[purpose] = True
        checkin, checkin_words, checkin_problem = self._checkin(
            typed["checkin_days"], typed["checkin_time"], now
        )
        if checkin_problem:
            problems.append(checkin_problem)
        details = ResidentDetails(
            preferred_name=typed["preferred_name"] or typed["first_name"],
            first_name=typed["first_name"],
            full_name=typed["full_name"],
            language=language or "en",
            catalyst_id=catalyst.id if catalyst else None,
            interests=typed["interests"],
            phone=phone,
        )
        return CheckedResident(
            row,
            typed,
            details,
            catalyst.full_name if catalyst else "",
            consents,
            typed["consent_note"],
            checkin,
            checkin_words,
            problems,
            notes,
        )

    def _checkin(
        self, days: str, at: str, now: datetime
    ) -> tuple[RhythmRequest | None, str, Problem | None]:
        if not days and not at:
            return None, "", None
        if not days:
            return None, "", Problem("checkin_days", "choose the days for that check-in.")
        if not at:
            return None, "", Problem("checkin_time", "give a time for that check-in.")
        chosen = [day for day in re.split(r"[\s,;/&+]+|\band\b", days) if day]
        try:
            rhythm = rhythm_from_words("week", chosen, at, self.programme.time_zone, now)
        except RhythmError as exc:
            bad_day = "day of the week" in str(exc)
            return None, "", Problem("checkin_days" if bad_day else "checkin_time", str(exc))
        return RhythmRequest(every="week", days=chosen, at=at), describe(rhythm), None

    async def _save(self, tx: Tx, viewer: Viewer, resident: CheckedResident, via: str) -> int:
        profile = await self.residents.create(resident.details, tx)
        resident_id = profile.resident.id
        if resident.consents:
            # On the resident's behalf: who, and the note (sealed, as it may quote them).
            await self.consent.record(
                resident_id,
                resident.consents,
                "catalyst",
                tx,
                actor=viewer.actor,
                note=resident.consent_note or None,
            )
        if resident.checkin is not None:
            await self.schedules.set(resident_id, resident.checkin, tx)
        await self.audit.record(
            viewer.actor,
            "added",
            resident_subject(resident_id),
            tx,
            via=via,
            consents=sorted(resident.consents),
        )
        return resident_id


@dataclass(frozen=True, slots=True)
class ReadFile:
    """A CSV file read into rows of typed words by column key, or why it cannot be read."""

    rows: list[tuple[int, dict[str, str]]]
    problems: list[str]
    notes: list[str]


def read_csv(content: bytes) -> ReadFile:
    """The rows of a CSV file: UTF-8 with or without a byte order mark (or Excel's older
    Windows-1252), headings in the first row, any line endings."""
    if len(content) > MAX_FILE_BYTES:
        size = len(content) / (1024 * 1024)
        return ReadFile(
            [],
            [f"The file is {size:.1f} MB; the most is 1 MB. Split it into smaller files."],
            [],
        )
    if not content.strip():
        return ReadFile([], ["The file is empty. Choose a CSV file with residents in it."], [])
    notes: list[str] = []
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            return ReadFile(
                [],
                [
                    "The file is not text Companion can read. In Excel, save it as "
                    "'CSV UTF-8 (Comma delimited)'."
                ],
                [],
            )
        notes.append(
            "The file is not UTF-8, so it was read as Excel's older Windows text. Check that "
            "names with accents look right below; if not, save it as 'CSV UTF-8'."
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = [record for record in reader]
    except csv.Error as exc:
        return ReadFile([], [f"The file could not be read as CSV ({exc})."], notes)
    numbered = [
        (number, record)
        for number, record in enumerate(records, start=1)
        if any(cell.strip() for cell in record)
    ]
    if not numbered:
        return ReadFile([], ["The file is empty. Choose a CSV file with residents in it."], notes)
    (_, headings), data = numbered[0], numbered[1:]
    keys, problems = _columns(headings)
    if len(data) > MAX_ROWS:
        problems.append(
            f"The file has {len(data):,} residents; the most at once is {MAX_ROWS:,}. "
            "Split it into smaller files."
        )
    if problems:
        return ReadFile([], problems, notes)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, record in data:
        if len(record) > len(keys) and any(cell.strip() for cell in record[len(keys) :]):
            problems.append(
                f"Row {number} has more cells than there are headings; a comma in a name may "
                "need the cell in quotes."
            )
            continue
        rows.append((number, {key: cell for key, cell in zip(keys, record, strict=False) if key}))
    return ReadFile(rows if not problems else [], problems, notes)


def template_csv() -> str:
    """The headings of an import file, as a file to fill in (with a byte order mark, so that
    Excel opens it as UTF-8)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([column.key for column in COLUMNS])
    return "\ufeff" + out.getvalue()


def _columns(headings: list[str]) -> tuple[list[str], list[str]]:
    """The column key of each heading, and problems with the headings."""
    known = {column.key for column in COLUMNS}
    by_label = {_heading_key(column.label): column.key for column in COLUMNS}
    keys: list[str] = []
    problems: list[str] = []
    for heading in headings:
        written = _heading_key(heading)
        key = written if written in known else by_label.get(written, _HEADING_ALIASES.get(written))
        if not written:
            keys.append("")
        elif key is None:
            problems.append(
                f"The heading '{heading.strip()}' is not a column Companion knows; the columns "
                "are listed on this page."
            )
            keys.append("")
        elif key in keys:
            problems.append(f"The column '{heading.strip()}' is there twice.")
            keys.append("")
        else:
            keys.append(key)
    for column in COLUMNS:
        if column.required and column.key not in keys:
            problems.append(f"The file has no '{column.key}' column; it is needed.")
    return keys, problems


def _heading_key(heading: str) -> str:
    return re.sub(r"[\s_\-]+", "_", heading.strip().lower()).strip("_")


def e164_mobile(typed: str) -> str | None:
    """A mobile number as people type it ("07700 900123", "+44 (0)7700 900123", "0044 7700
    900123"), or as a spreadsheet leaves it (its 0 or + dropped), in E.164; a number from abroad
    must start with + and its country code. None when it is no mobile number."""
    compact = re.sub(r"[\s\-.()/]", "", typed.replace("(0)", ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if re.fullmatch(r"0[0-9]{10}", compact):
        national = compact[1:]
    elif compact.startswith("+44"):
        national = compact[3:].removeprefix("0")
    elif re.fullmatch(r"447[0-9]{9}", compact):
        national = compact[2:]
    elif re.fullmatch(r"7[0-9]{9}", compact):
        national = compact
    elif re.fullmatch(r"\+[1-9][0-9]{6,14}", compact):
        return compact
    else:
        return None
    # UK mobiles are 071 to 075, 07624 and 077 to 079 (070 and 076 are not mobiles).
    return (
        "+44" + national if re.fullmatch(r"7(?:[1-57-9][0-9]{8}|624[0-9]{6})", national) else None
    )


def _language(typed: str) -> str | None:
    text = typed.strip().lower()
    if not text:
        return "en"
    if text in LANGUAGES:
        return text
    return next((code for code, name in LANGUAGES.items() if name.lower() == text), None)


def _yes_no(typed: str) -> bool | None:
    text = typed.strip().lower()
    if text in _YES:
        return True
    return False if text in _NO else None


def _chooses_catalyst(viewer: Viewer) -> bool:
    """Whether the viewer chooses a new resident's catalyst (a catalyst's residents are theirs)."""
    return viewer.may(Ability.SEE_ALL_RESIDENTS)


def _catalyst(
    viewer: Viewer, typed: str, catalysts: list[Person]
) -> tuple[Person | None, str | None]:
    """The resident's catalyst, or what is wrong with the one named."""
    if not _chooses_catalyst(viewer):
        own = next((c for c in catalysts if c.id == viewer.person_id), None)
        if own is None:
            return None, "your account is not linked to a catalyst; ask an admin to link it."
        return own, None
    text = typed.strip()
    if not text:
        return None, None
    if text.isdigit():
        found = [c for c in catalysts if str(c.id) == text]
    else:
        found = [c for c in catalysts if c.full_name.lower() == text.lower()] or [
            c for c in catalysts if c.first_name.lower() == text.lower()
        ]
    if len(found) == 1:
        return found[0], None
    if found:
        return None, f"more than one catalyst is called '{text}'; give their full name."
    return None, f"there is no catalyst called '{text}'."


async def _with_duplicates(conn: Tx, checked: list[CheckedResident]) -> list[CheckedResident]:
    """Each resident with a problem added when their mobile is also on another row or already
    belongs to someone."""
    rows_of: dict[str, list[int]] = {}
    for resident in checked:
        if resident.details.phone:
            rows_of.setdefault(resident.details.phone, []).append(resident.row)
    result = []
    for resident in checked:
        phone = resident.details.phone
        extra: list[Problem] = []
        if phone:
            others = [str(row) for row in rows_of[phone] if row != resident.row]
            if others:
                extra.append(
                    Problem("mobile", f"{phone} is also on row {', '.join(others)} of this file.")
                )
            if await identities.find_identity(conn, "sms", phone) is not None:
                extra.append(
                    Problem("mobile", f"{phone} already belongs to someone on the programme.")
                )
        result.append(
            replace(resident, problems=[*resident.problems, *extra]) if extra else resident
        )
    return result
