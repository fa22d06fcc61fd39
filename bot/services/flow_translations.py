"""This module contains filling in a flow's missing translations from one page: which texts
have no wording yet in which of the flow's languages, and writing the ones staff filled in
into the draft's YAML in one save (a stale draft version is refused by the draft service)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.access import Viewer
from bot.services.errors import Invalid
from bot.services.flow_editor import FlowEditor
from bot.services.flow_tests import compiled_draft
from flows.context import SAMPLE
from flows.editing import EditError, set_translation
from flows.sms import explain
from flows.templates import TemplateError, compile_template
from flows.translations import MessageRef, missing_translations

#: The longest translation one box takes.
MAX_TEXT_CHARS = 2000


@dataclass(frozen=True, slots=True)
class MissingText:
    """One text with no wording yet in `language`. `key` names its box in the form."""

    key: str
    language: str
    step: str
    what: str
    #: Its wording in the flow's first language, to translate from.
    original: str
    line: int | None


@dataclass(frozen=True, slots=True)
class TranslationsView:
    flow_id: str
    version: int
    default_language: str
    #: Each of the flow's other languages with the texts missing in it (maybe none).
    missing: tuple[tuple[str, tuple[MissingText, ...]], ...]
    #: The draft's errors; with no `default_language`, it cannot be read as a flow at all.
    draft_problems: tuple[str, ...]

    @property
    def count(self) -> int:
        return sum(len(texts) for _, texts in self.missing)


@dataclass(frozen=True, slots=True)
class Filled:
    """A translation written into the draft, with what it costs as an SMS."""

    language: str
    step: str
    what: str
    sms: str


class TranslationError(Invalid):
    """Some boxes could not be saved; `errors` says why, by box key. Nothing was saved."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("translations", "Some translations could not be saved.")
        self.errors = errors


class FlowTranslations:
    def __init__(self, editor: FlowEditor) -> None:
        self.editor = editor

    async def missing(self, flow_key: str) -> TranslationsView:
        compiled = await compiled_draft(self.editor, flow_key)
        flow = compiled.parsed
        if flow is None:
            return TranslationsView(compiled.flow_id, compiled.version, "", (), compiled.problems)
        missing = missing_translations(flow)
        return TranslationsView(
            compiled.flow_id,
            compiled.version,
            flow.default_language,
            tuple(
                (language, tuple(_missing(language, ref) for ref in missing.get(language, [])))
                for language in flow.languages[1:]
            ),
            compiled.problems,
        )

    async def fill(
        self, flow_key: str, texts: dict[str, str], *, version: int, viewer: Viewer
    ) -> list[Filled]:
        """Write each non-empty text of `texts` (by box key) into the draft, in one save."""
        compiled = await compiled_draft(self.editor, flow_key)
        if compiled.parsed is None:
            raise Invalid("translations", "The draft cannot be read as a flow; fix it first.")
        refs = {
            _key(language, ref): (language, ref)
            for language, found in missing_translations(compiled.parsed).items()
            for ref in found
        }
        wanted = {key: text.strip() for key, text in texts.items() if text.strip()}
        if not wanted:
            raise Invalid("translations", "Fill in at least one translation to save.")
        source = compiled.source
        errors: dict[str, str] = {}
        filled: list[Filled] = []
        for key, text in wanted.items():
            if key not in refs:
                errors[key] = "This text has been translated or changed since; reload the page."
                continue
            if len(text) > MAX_TEXT_CHARS:
                errors[key] = f"A translation can be at most {MAX_TEXT_CHARS} characters."
                continue
            language, ref = refs[key]
            try:
                source = set_translation(source, ref, language, text)
            except EditError as exc:
                errors[key] = exc.message
                continue
            filled.append(Filled(language, ref.step, ref.what, sms_of(text)))
        if errors:
            raise TranslationError(errors)
        await self.editor.save(flow_key, source, version=version, viewer=viewer)
        return filled


def sms_of(text: str) -> str:
    """What a typed translation costs as an SMS, in words, its names filled in with the same
    sample values the validator uses ("Margaret", "Abby")."""
    if not text.strip():
        return ""
    return explain(_with_sample_names(text))


def _with_sample_names(text: str) -> str:
    sample = {**SAMPLE, "results": _Anything(), "options": "1 Yes"}
    try:
        return compile_template(text).render(sample)
    except (TemplateError, LookupError, TypeError, ValueError):
        return text  # a template that cannot be filled is counted as written


class _Anything(dict[str, str]):
    """Any saved result, as the validator shows one: "something"."""

    def __missing__(self, key: str) -> str:
        return "something"


def _missing(language: str, ref: MessageRef) -> MissingText:
    return MissingText(_key(language, ref), language, ref.step, ref.what, ref.text, ref.line)


def _key(language: str, ref: MessageRef) -> str:
    """A form field name for one missing text: stable while the draft keeps the text."""
    return "-".join(("t", language, ref.step, ref.part, str(ref.index), ref.choice or ""))
