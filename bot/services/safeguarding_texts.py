"""This module contains the safeguarding texts as staff see them in the admin: the phrase book
(every phrase by kind and language, from files and from the admin), adding and retiring phrases,
the fixed replies and their history, and trying a message against the detector.

It also gives the running pipeline its detector and replies (`detector_for`, `reply_for`):
module-level, cached on the texts' version stamp, so a message costs one small read unless
someone changed a phrase or a reply since the last one.

Phrases in files under bot/triage/ are changed in version control; phrases added here are
stored, checked the same way (`phrase_problem`), and retired rather than deleted. A reply is
fixed text: every edit is kept, the newest counts, and it must pass `reply_problems`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import yaml

from bot.services.access import Ability, Viewer
from bot.services.errors import Invalid, NotFound
from bot.services.unit import Tx, reading, writing
from bot.triage.risk_files import PhraseFileError, known_languages, language_file
from bot.triage.risk_kinds import URGENCIES
from bot.triage.safeguarding import (
    KIND_WORDS,
    Detector,
    Phrase,
    RiskKind,
    RiskMatch,
    builtin_phrases,
    builtin_replies,
    phrase_problem,
)
from flows.engine import Clock
from flows.sms import Encoding, explain, sms_info
from storage import audit
from storage import safeguarding_texts as store
from storage.database import Database
from storage.safeguarding_texts import StoredPhrase, StoredReply

log = logging.getLogger(__name__)

ENGLISH = "en"
#: How each urgency reads to staff choosing one.
URGENCY_WORDS = {
    "now": "Danger now: urgent unless the message says the opposite",
    "event": "Something that happened: urgent unless negated, a worry, or long ago",
    "concern": "A concern: a person looks, at routine priority, nobody is paged",
}
MAX_PATTERN = 200
MAX_NOTE = 1000
MAX_EXAMPLE = 500
#: An English reply is one SMS; another language may need more (its script may be UCS-2).
MAX_OTHER_SEGMENTS = 3
#: Words that would tell a resident in danger that Companion itself is emergency help.
_CLAIMS = re.compile(
    r"\b(?:(?:this|it|i|we|companion|the bot|this service|this number)\s+"
    r"(?:is|am|are|'m|'re|'s)\s+(?:now\s+)?(?:an?\s+|the\s+|your\s+)?emergency\s+service"
    r"|(?:help|an ambulance|the ambulance|someone)\s+is\s+(?:on (?:the|its|it's) way|coming)"
    r"|(?:i|we)(?:'ve|'ll| have| will)?\s+(?:called|rung|phoned|call|ring|phone|send|sent)\s+"
    r"(?:999|an ambulance|the ambulance|the emergency services|for help)"
    r"|(?:i|we)(?:'m| am| are|'re) (?:calling|ringing|phoning|sending) "
    r"(?:999|an ambulance|the ambulance|the emergency services|help))",
    re.IGNORECASE,
)
_NINE_NINE_NINE = re.compile(r"(?<!\d)999(?!\d)")


def language_name(code: str) -> str:
    """A language as its phrase file names it ("Polish"); a code without a file as itself."""
    if code not in known_languages():
        return code
    try:
        return language_file(code).name or code
    except PhraseFileError:
        return code


@dataclass(frozen=True, slots=True)
class Finding:
    """A risk the detector found in a message, in words for staff."""

    kind: str
    kind_words: str
    words: str
    language: str
    urgent: bool


@dataclass(frozen=True, slots=True)
class BookPhrase:
    """A phrase of the book: `origin` "file" for version control, "admin:<id>" for added here."""

    kind: str
    language: str
    pattern: str
    urgency: str
    everyday: bool
    note: str
    origin: str
    #: For a phrase added in the admin: its id, who added it and when, and the example.
    id: int | None = None
    added_by: str | None = None
    added_at: str | None = None
    example: str | None = None

    @property
    def from_file(self) -> bool:
        return self.id is None


@dataclass(frozen=True, slots=True)
class ReplyText:
    """The reply sent for a kind in a language, and where its words come from."""

    kind: str
    language: str
    text: str
    #: "edited" (saved in the admin), "file" (the approved default), or "english" (no reply
    #: in this language: the English one is sent).
    source: str
    saved_by: str | None
    saved_at: str | None
    sms: str
    #: The approved text in the files, to compare with an edited one and to put back.
    file_text: str

    @property
    def put_back(self) -> bool:
        """Whether an admin saved the files' own text again (an edit undone)."""
        return self.source == "edited" and self.text == self.file_text


@dataclass(frozen=True, slots=True)
class KindSummary:
    kind: str
    words: str
    #: Phrases that signal the risk, by language (every configured language, 0 included).
    phrases: dict[str, int]
    everyday: int
    replies: list[ReplyText]


@dataclass(frozen=True, slots=True)
class KindBook:
    kind: str
    words: str
    languages: tuple[str, ...]
    #: Phrases that signal the risk, by language, then everyday look-alikes by language.
    phrases: dict[str, list[BookPhrase]]
    everyday: dict[str, list[BookPhrase]]
    replies: list[ReplyText]


@dataclass(frozen=True, slots=True)
class Change:
    """One change to the texts, for the history page."""

    at: str
    by: str
    what: str
    kind: str
    kind_words: str
    language: str
    text: str
    note: str


class UnknownKind(NotFound):
    """A kind of risk named in an address or a form that the detector does not have."""

    def __init__(self, key: str) -> None:
        super().__init__("kind of risk", 0)
        self.message = f"There is no kind of risk called “{key}”."
        self.args = (self.message,)


class PhraseRefused(Invalid):
    """A phrase not added, with what the detector found in its example (shown with the form)."""

    def __init__(self, field: str, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(field, message)
        self.findings = tuple(findings)


class SafeguardingTexts:
    def __init__(self, db: Database, clock: Clock, languages: Sequence[str] | None = None) -> None:
        self.db = db
        self.clock = clock
        self.languages = tuple(languages) if languages else known_languages()

    # --- reading the book ---

    async def overview(self) -> list[KindSummary]:
        """Each kind with its words, its phrases counted per language, and its replies."""
        async with reading(self.db) as conn:
            added = await store.phrases(conn)
            edited = await store.current_replies(conn)
        phrases = _book(added)
        summaries = []
        for kind in RiskKind:
            mine = [p for p in phrases if p.kind == kind.value]
            counts = {lang: 0 for lang in self.languages}
            for phrase in mine:
                if not phrase.everyday and phrase.language in counts:
                    counts[phrase.language] += 1
            summaries.append(
                KindSummary(
                    kind.value,
                    KIND_WORDS[kind],
                    counts,
                    sum(1 for p in mine if p.everyday),
                    self._replies_of(kind, edited),
                )
            )
        return summaries

    async def kind_book(self, kind_key: str) -> KindBook:
        """One kind's phrases per language (pattern, urgency, note, origin), its everyday
        look-alikes and its replies; NotFound for a kind that does not exist."""
        kind = _kind_or_none(kind_key)
        if kind is None:
            raise UnknownKind(kind_key)
        async with reading(self.db) as conn:
            added = await store.phrases(conn)
            edited = await store.current_replies(conn)
        risky: dict[str, list[BookPhrase]] = {lang: [] for lang in self.languages}
        everyday: dict[str, list[BookPhrase]] = {lang: [] for lang in self.languages}
        for phrase in _book(added):
            if phrase.kind == kind.value:
                shelf = everyday if phrase.everyday else risky
                shelf.setdefault(phrase.language, []).append(phrase)
        replies = self._replies_of(kind, edited)
        return KindBook(kind.value, KIND_WORDS[kind], self.languages, risky, everyday, replies)

    async def history(self, limit: int = 300) -> list[Change]:
        """Every change made in the admin, newest first: phrases added and retired, replies."""
        async with reading(self.db) as conn:
            added = await store.phrases(conn, live_only=False)
            replies = await store.reply_history(conn)
        changes = [
            Change(
                p.added_at,
                p.added_by,
                "added an everyday look-alike" if p.everyday else "added a phrase",
                p.kind,
                _words_of(p.kind),
                p.language,
                p.pattern,
                p.note,
            )
            for p in added
        ]
        changes += [
            Change(
                p.retired_at,
                p.retired_by or "",
                "retired a phrase",
                p.kind,
                _words_of(p.kind),
                p.language,
                p.pattern,
                p.retired_note or "",
            )
            for p in added
            if p.retired_at is not None
        ]
        changes += [
            Change(
                r.saved_at,
                r.saved_by,
                "changed the reply",
                r.kind,
                _words_of(r.kind),
                r.language,
                r.text,
                "",
            )
            for r in replies
        ]
        # Newest first; at the same moment, a retirement after its adding, a reply last.
        order = sorted(enumerate(changes), key=lambda pair: (pair[1].at, pair[0]), reverse=True)
        return [change for _, change in order][:limit]

    async def file_entries(self) -> str:
        """The phrases added here and in use, as entries for the phrase files, by language, so
        that the development team can move them into version control."""
        async with reading(self.db) as conn:
            added = await store.phrases(conn)
        lines = [
            "# Phrases added in the admin and in use, as entries for the phrase files. Paste each",
            "# language's entries at the end of bot/triage/risk_phrases/<language>.yaml (its",
            "# 'phrases:' list), check that no note names or quotes a resident, and retire them",
            "# in the admin once the files have them.",
        ]
        if not added:
            lines.append("# None has been added yet.")
        order = {code: index for index, code in enumerate(self.languages)}
        for language in sorted({p.language for p in added}, key=lambda c: (order.get(c, 99), c)):
            entries = [_file_entry(p) for p in added if p.language == language]
            lines += ["", f"# {language}.yaml: {language_name(language)}"]
            listed = yaml.safe_dump(
                entries, default_flow_style=None, allow_unicode=True, sort_keys=False, width=10_000
            )
            # Indented as the files indent their entries, so they can be pasted at the end.
            lines += [f"  {line}" for line in listed.splitlines()]
        return "\n".join(lines) + "\n"

    async def try_message(self, text: str) -> list[Finding]:
        """What the detector finds in `text` now; nothing is saved and nobody is alerted."""
        async with reading(self.db) as conn:
            detector = await detector_for(conn, self.languages)
        return findings(detector, text)

    # --- changing it ---

    async def add_phrase(
        self,
        viewer: Viewer,
        *,
        kind: str,
        language: str,
        pattern: str,
        urgency: str,
        everyday: bool,
        note: str,
        example: str,
        tx: Tx | None = None,
    ) -> tuple[BookPhrase, list[Finding]]:
        """Add a phrase in the viewer's name, and say what the detector now finds in the
        example. `PhraseRefused` (nothing saved) says what is wrong, field by field."""
        if not viewer.may(Ability.REVIEW_SAFEGUARDING_PHRASES):
            raise Invalid("kind", "Your account cannot add safeguarding phrases.")
        risk = _kind_or_none(kind)
        if risk is None:
            raise PhraseRefused("kind", "Choose the kind of risk this phrase signals.")
        if language not in self.languages:
            raise PhraseRefused(
                "language",
                "Choose one of the programme's languages: "
                + ", ".join(language_name(code) for code in self.languages)
                + ".",
            )
        pattern = " ".join(pattern.split())
        note, example = note.strip(), example.strip()
        urgency = "now" if everyday else urgency
        if not pattern:
            raise PhraseRefused("pattern", "Write the phrase to look for.")
        if len(pattern) > MAX_PATTERN:
            raise PhraseRefused(
                "pattern", f"A phrase can be at most {MAX_PATTERN} characters; split it in two."
            )
        if urgency not in URGENCIES:
            raise PhraseRefused("urgency", "Choose how urgent a message with this phrase is.")
        if not note:
            raise PhraseRefused(
                "note", "Write a note: why this phrase signals the risk, or where it was heard."
            )
        if len(note) > MAX_NOTE:
            raise PhraseRefused("note", f"A note can be at most {MAX_NOTE} characters.")
        if not example:
            raise PhraseRefused(
                "example", "Write an example message, as a resident might send it, with it."
            )
        if len(example) > MAX_EXAMPLE:
            raise PhraseRefused("example", f"An example can be at most {MAX_EXAMPLE} characters.")
        candidate = Phrase(
            kind=risk,
            language=language,
            pattern=pattern,
            urgency=urgency,  # type: ignore[arg-type]  # checked against URGENCIES above
            note=note,
            everyday=everyday,
            origin="admin:new",
        )
        problem = phrase_problem(candidate)
        if problem:
            raise PhraseRefused("pattern", problem)
        # The example is tried before the write transaction: building a detector takes a
        # second or so, and nobody else's change should wait for it.
        async with reading(self.db) as conn:
            added = await store.phrases(conn)
        _refuse_duplicate(candidate, added)
        phrases = (*_phrases_with(added), candidate)
        after = await asyncio.to_thread(Detector, phrases, self.languages)
        found = findings(after, example)
        _check_example(candidate, example, found, self.languages)
        async with writing(self.db, tx) as work:
            _refuse_duplicate(candidate, await store.phrases(work))  # added meanwhile
            stored = await store.add_phrase(
                work,
                kind=risk.value,
                language=language,
                pattern=pattern,
                urgency=urgency,
                everyday=everyday,
                note=note,
                example=example,
                by=viewer.actor,
            )
            await audit.record(
                work,
                viewer.actor,
                "added a safeguarding phrase",
                f"safeguarding:{risk.value}",
                phrase=stored.id,
                language=language,
                pattern=pattern,
                everyday=everyday,
            )
        await self._prime(tx)
        return _from_store(stored), found

    async def retire_phrase(
        self, viewer: Viewer, phrase_id: int, note: str, tx: Tx | None = None
    ) -> BookPhrase:
        """Retire a phrase added in the admin (kept, no longer used). A phrase from a file is
        changed in version control, so only admin phrases have an id to retire."""
        if not viewer.may(Ability.REVIEW_SAFEGUARDING_PHRASES):
            raise Invalid("note", "Your account cannot retire safeguarding phrases.")
        note = note.strip()
        if not note:
            raise Invalid("note", "Say why the phrase is being retired.")
        if len(note) > MAX_NOTE:
            raise Invalid("note", f"A note can be at most {MAX_NOTE} characters.")
        async with writing(self.db, tx) as work:
            found = await store.phrase(work, phrase_id)
            if found is None or found.retired:
                raise NotFound("phrase in use", phrase_id)
            await store.retire_phrase(work, phrase_id, by=viewer.actor, note=note)
            await audit.record(
                work,
                viewer.actor,
                "retired a safeguarding phrase",
                f"safeguarding:{found.kind}",
                phrase=phrase_id,
                language=found.language,
                pattern=found.pattern,
            )
        await self._prime(tx)
        return _from_store(found)

    async def edit_reply(
        self, viewer: Viewer, kind: str, language: str, text: str, tx: Tx | None = None
    ) -> ReplyText:
        """Save a new reply for a kind in a language (admins only); Invalid says why not."""
        if not viewer.may(Ability.EDIT_SAFEGUARDING_TEXTS):
            raise Invalid("text", "Only an admin can change a safeguarding reply.")
        risk = _kind_or_none(kind)
        if risk is None:
            raise UnknownKind(kind)
        if language not in self.languages:
            raise Invalid("language", "Choose one of the programme's languages.")
        text = " ".join(text.split())
        problems = reply_problems(language, text)
        if problems:
            raise Invalid("text", " ".join(problems))
        async with writing(self.db, tx) as work:
            saved = await store.save_reply(
                work, kind=risk.value, language=language, text=text, by=viewer.actor
            )
            await audit.record(
                work,
                viewer.actor,
                "changed a safeguarding reply",
                f"safeguarding:{risk.value}",
                language=language,
                text=text,
            )
        await self._prime(tx)
        builtin = builtin_replies()
        return _reply_text(saved, builtin.get((risk, language)) or _english(risk, None, builtin))

    async def _prime(self, tx: Tx | None) -> None:
        """Build the new detector now, so that the next resident's message does not wait for
        it (in a caller's own transaction the change is not committed yet: it is built then)."""
        if tx is None:
            async with reading(self.db) as conn:
                await detector_for(conn, self.languages)

    def _replies_of(self, kind: RiskKind, edited: list[StoredReply]) -> list[ReplyText]:
        builtin = builtin_replies()
        mine = {reply.language: reply for reply in edited if reply.kind == kind.value}
        replies = []
        for language in self.languages:
            file_text = builtin.get((kind, language)) or _english(kind, None, builtin)
            if language in mine:
                replies.append(_reply_text(mine[language], file_text))
            elif (kind, language) in builtin:
                replies.append(
                    ReplyText(
                        kind.value,
                        language,
                        file_text,
                        "file",
                        None,
                        None,
                        _sms(file_text),
                        file_text,
                    )
                )
            else:
                text = _english(kind, mine.get(ENGLISH), builtin)
                replies.append(
                    ReplyText(
                        kind.value, language, text, "english", None, None, _sms(text), file_text
                    )
                )
        return replies


def reply_problems(language: str, text: str) -> list[str]:
    """What is wrong with a reply, in plain words; empty when it may be saved."""
    if not text.strip():
        return ["Write the reply: a resident at risk must always get an answer."]
    problems = []
    if not _NINE_NINE_NINE.search(text):
        problems.append("Say to call 999: every safeguarding reply gives the emergency number.")
    claim = _CLAIMS.search(text.replace("\u2019", "'"))
    if claim:
        problems.append(
            f'It must never sound as if Companion is emergency help itself ("{claim.group(0)}"):'
            " nobody watches these messages all the time. Tell the resident to call 999."
        )
    info = sms_info(text)
    if language == ENGLISH and (info.encoding is not Encoding.GSM7 or info.segments > 1):
        problems.append(
            "An English reply must fit one SMS of plain characters (160 at most); this one is "
            f"{explain(text)}."
        )
    elif info.segments > MAX_OTHER_SEGMENTS:
        problems.append(
            f"A reply can be at most {MAX_OTHER_SEGMENTS} SMS long; this one is {explain(text)}."
        )
    return problems


def findings(detector: Detector, text: str) -> list[Finding]:
    """What `detector` finds in `text`, most pressing first, in words for staff."""
    return [_finding(match) for match in detector.find_risks(text)]


# --- for the running pipeline ---

# One detector per set of languages, with the stamp of the texts it was built from. The stamp
# is new at every change and unique to a database, so a stale or foreign detector is never used.
_detectors: dict[tuple[str, ...], tuple[str, Detector]] = {}
_replies: dict[str, dict[tuple[str, str], str]] = {}


async def detector_for(conn: Tx, languages: Sequence[str] | None = None) -> Detector:
    """The detector with the built-in phrases and those added in the admin, rebuilt only when
    the texts' version has changed since it was last built (one small read otherwise)."""
    wanted = tuple(languages) if languages else known_languages()
    current = await store.version(conn)
    cached = _detectors.get(wanted)
    if cached is not None and cached[0] == current.stamp:
        return cached[1]
    detector = await asyncio.to_thread(_build, await store.phrases(conn), wanted)
    _detectors[wanted] = (current.stamp, detector)
    return detector


async def reply_for(conn: Tx, kind: RiskKind, language: str) -> str:
    """The fixed reply for `kind` in `language`: the text an admin saved, else the file's,
    else the English one (edited, else the file's)."""
    current = await store.version(conn)
    edited = _replies.get(current.stamp)
    if edited is None:
        edited = {(r.kind, r.language): r.text for r in await store.current_replies(conn)}
        _replies.clear()  # one database's texts at a time is all a process needs
        _replies[current.stamp] = edited
    builtin = builtin_replies()
    for text in (
        edited.get((kind.value, language)),
        builtin.get((kind, language)),
        edited.get((kind.value, ENGLISH)),
        builtin.get((kind, ENGLISH)),
        builtin.get((RiskKind.HELP_ME, ENGLISH)),
    ):
        if text:
            return text
    raise LookupError(f"no safeguarding reply at all for {kind}")  # the files always have one


def _build(added: Iterable[StoredPhrase], languages: tuple[str, ...]) -> Detector:
    phrases = _phrases_with(added)
    try:
        return Detector(phrases, languages)
    except Exception:
        # A phrase saved under older rules must never stop residents at risk being heard:
        # fall back to the files' phrases, and say so where the operator will see it.
        log.exception("safeguarding phrases from the admin could not be used; using the files'")
        return Detector(builtin_phrases(), languages)


def _phrases_with(added: Iterable[StoredPhrase]) -> tuple[Phrase, ...]:
    """The built-in phrases and the usable admin ones, as the detector takes them."""
    usable = []
    for stored in added:
        phrase = _as_phrase(stored)
        if phrase is None or phrase_problem(phrase):
            log.warning("an admin safeguarding phrase is not usable", extra={"id": stored.id})
            continue
        usable.append(phrase)
    return (*builtin_phrases(), *usable)


def _as_phrase(stored: StoredPhrase) -> Phrase | None:
    kind = _kind_or_none(stored.kind)
    if kind is None or stored.urgency not in URGENCIES:
        return None
    return Phrase(
        kind=kind,
        language=stored.language,
        pattern=stored.pattern,
        urgency=stored.urgency,  # type: ignore[arg-type]  # checked just above
        note=stored.note,
        everyday=stored.everyday,
        origin=f"admin:{stored.id}",
    )


def _book(added: Iterable[StoredPhrase]) -> list[BookPhrase]:
    book = [
        BookPhrase(p.kind.value, p.language, p.pattern, p.urgency, p.everyday, p.note, p.origin)
        for p in builtin_phrases()
    ]
    return book + [_from_store(p) for p in added]


def _from_store(stored: StoredPhrase) -> BookPhrase:
    return BookPhrase(
        stored.kind,
        stored.language,
        stored.pattern,
        stored.urgency,
        stored.everyday,
        stored.note,
        f"admin:{stored.id}",
        id=stored.id,
        added_by=stored.added_by,
        added_at=stored.added_at,
        example=stored.example,
    )


def _file_entry(stored: StoredPhrase) -> dict[str, object]:
    """A phrase as the files write it: kind, then urgency or everyday, pattern and note."""
    entry: dict[str, object] = {"kind": stored.kind}
    if stored.everyday:
        entry["everyday"] = True
    else:
        entry["urgency"] = stored.urgency
    entry["pattern"] = stored.pattern
    entry["note"] = stored.note
    return entry


def _refuse_duplicate(candidate: Phrase, added: Iterable[StoredPhrase]) -> None:
    if _is_duplicate(candidate, added):
        raise PhraseRefused(
            "pattern",
            f"The book already has this phrase for {KIND_WORDS[candidate.kind].lower()} in "
            f"{language_name(candidate.language)}.",
        )


def _is_duplicate(candidate: Phrase, added: Iterable[StoredPhrase]) -> bool:
    def same(kind: str, language: str, pattern: str, everyday: bool) -> bool:
        return (
            kind == candidate.kind.value
            and language == candidate.language
            and everyday == candidate.everyday
            and _plain(pattern) == _plain(candidate.pattern)
        )

    return any(
        same(p.kind.value, p.language, p.pattern, p.everyday) for p in builtin_phrases()
    ) or any(same(p.kind, p.language, p.pattern, p.everyday) for p in added)


def _plain(pattern: str) -> str:
    return " ".join(pattern.casefold().split())


def _check_example(
    candidate: Phrase, example: str, found: list[Finding], languages: tuple[str, ...]
) -> None:
    """Refuse a phrase whose example does not show it working: a risk phrase must catch its
    example; an everyday look-alike must appear in its example and stop its kind there."""
    words = KIND_WORDS[candidate.kind].lower()
    alone = Detector((replace(candidate, everyday=False),), languages)
    if not alone.find_risks(example):
        raise PhraseRefused(
            "example",
            "The phrase does not match the example message: check the phrase against how the "
            "example is written.",
            found,
        )
    caught = any(finding.kind == candidate.kind.value for finding in found)
    if candidate.everyday and caught:
        raise PhraseRefused(
            "example",
            f"With this look-alike the example is still read as {words}: it must cover the "
            "words the risk phrase matched.",
            found,
        )
    if not candidate.everyday and not caught:
        raise PhraseRefused(
            "example",
            f"With this phrase the example is still not read as {words}: an everyday "
            "look-alike in the book covers it. Make the phrase more specific.",
            found,
        )


def _finding(match: RiskMatch) -> Finding:
    words = match.phrase if isinstance(match.phrase, str) else getattr(match.phrase, "pattern", "")
    return Finding(
        match.kind.value, KIND_WORDS[match.kind], str(words), match.language, match.urgent
    )


def _words_of(kind: str) -> str:
    known = _kind_or_none(kind)
    return KIND_WORDS[known] if known is not None else kind


def _kind_or_none(value: str) -> RiskKind | None:
    try:
        return RiskKind(value)
    except ValueError:
        return None


def _english(
    kind: RiskKind, edited: StoredReply | None, builtin: dict[tuple[RiskKind, str], str]
) -> str:
    if edited is not None:
        return edited.text
    return builtin.get((kind, ENGLISH)) or builtin.get((RiskKind.HELP_ME, ENGLISH), "")


def _reply_text(saved: StoredReply, file_text: str) -> ReplyText:
    return ReplyText(
        saved.kind,
        saved.language,
        saved.text,
        "edited",
        saved.saved_by,
        saved.saved_at,
        _sms(saved.text),
        file_text,
    )


def _sms(text: str) -> str:
    return explain(text)
