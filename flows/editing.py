"""This module applies the admin's form edits to a flow's YAML text, keeping everything else as is.

Each function takes the text of a flow file and returns the new text. ruamel.yaml's round trip
keeps comments, key order, quoting and the other steps exactly as staff wrote them, so the
result is the same format staff write by hand and can go on being edited as text. Bad input
raises `EditError` with a message for staff naming the step.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from flows.durations import DurationError, format_duration, parse_duration
from flows.translations import CHOICE_LABEL, CLARIFY, MESSAGE, REASK, REMINDER, MessageRef
from flows.types import ANSWERED, END, NO_RESPONSE, OTHER, THEN

#: Branches every question has, besides its answers; new answers' branches go before these.
_SHARED_BRANCHES = (OTHER, NO_RESPONSE, THEN)
_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


class EditError(ValueError):
    """An edit that cannot be made; `message` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def set_message(
    source: str, step: str, text: str, language: str | None = None, *, index: int = 0
) -> str:
    """Set the wording of a step's message (its `index`-th, counting `say:` then `do:` says).

    With a `language`, a one-language message becomes one text per language; a language the
    flow does not declare yet is added to `languages:`, which is how a translation is added.
    A step with no message gets one.
    """
    doc = _load(source)
    step_map = _step(doc, step)
    slots = _say_slots(step_map)
    if index == len(slots) == 0:
        step_map.insert(0, "say", None)
        slots = [(step_map, "say")]
    if not 0 <= index < len(slots):
        raise EditError(
            f"The step '{step}' has {len(slots)} messages, so there is no message {index + 1}."
        )
    parent, key = slots[index]
    _set_text(doc, parent, key, _message(text, step), language)
    return _dump(doc)


def set_choice_label(
    source: str, step: str, key: str, label: str, language: str | None = None
) -> str:
    """Set the label a choice is shown with, in one language (the first when not given)."""
    doc = _load(source)
    choices = _choices(doc, step)
    value = _choice(choices, step, key)
    text = _message(label, step, what="The label")
    if isinstance(value, CommentedMap) and "label" in value:
        _set_text(doc, value, "label", text, language, flow_style=True, quote=False)
    else:
        _set_text(doc, choices, key, text, language, flow_style=True, quote=False)
    return _dump(doc)


def add_choice(
    source: str,
    step: str,
    key: str,
    label: str,
    words: Iterable[str] = (),
    *,
    goes_to: str | None = None,
) -> str:
    """Add a choice at the end of a step's choices, and its branch when `goes_to` is given."""
    doc = _load(source)
    choices = _choices(doc, step)
    if not _NAME.match(key):
        raise EditError(
            f"The choice name '{key}' should be one word of letters, digits, '_' or '-'."
        )
    if key in (*_SHARED_BRANCHES, ANSWERED):
        raise EditError(f"'{key}' is a branch every question has; give the choice another name.")
    if key in choices:
        raise EditError(f"The step '{step}' already has a choice called '{key}'.")
    text = _message(label, step, what="The label")
    languages = _languages(doc)
    value: Any = _flow_map({languages[0]: text}) if len(languages) > 1 else text
    word_list = _words(words)
    if word_list:
        value = CommentedMap([("label", value), ("words", word_list)])
    choices[key] = value
    if goes_to is not None:
        _set_branch(doc, step, key, goes_to)
    return _dump(doc)


def remove_choice(source: str, step: str, key: str) -> str:
    """Remove a choice and the branch that said where it leads."""
    doc = _load(source)
    choices = _choices(doc, step)
    _choice(choices, step, key)
    del choices[key]
    branches = _step(doc, step).get("branches")
    if isinstance(branches, CommentedMap) and key in branches:
        del branches[key]
    return _dump(doc)


def set_choice_words(
    source: str, step: str, key: str, words: Iterable[str], language: str | None = None
) -> str:
    """Set the other words that mean a choice (all of them; an empty list removes them)."""
    doc = _load(source)
    choices = _choices(doc, step)
    value = _choice(choices, step, key)
    if not (isinstance(value, CommentedMap) and "label" in value):
        # `ok: OK` or a `{en: …, pl: …}` label written directly: give it room for words.
        value = CommentedMap([("label", value)])
        choices[key] = value
    languages = _languages(doc)
    word_list = _words(words)
    current = value.get("words")
    if language is None or (language == languages[0] and not isinstance(current, CommentedMap)):
        if word_list:
            value["words"] = word_list
        elif "words" in value:
            del value["words"]
        return _dump(doc)
    _check_declared(doc, language, step)
    if not isinstance(current, CommentedMap):
        current = CommentedMap([(languages[0], current)] if current else [])
        value["words"] = current
    if word_list:
        current[language] = word_list
    elif language in current:
        del current[language]
    if not current:
        del value["words"]
    return _dump(doc)


def set_branch(source: str, step: str, branch: str, target: str) -> str:
    """Make an answer (or `go`, or `then` after `run`) lead to `target`, a step or `end`."""
    doc = _load(source)
    _set_branch(doc, step, branch, target)
    return _dump(doc)


def set_timeout(source: str, step: str, duration: str | None) -> str:
    """Set how long a question waits before its `no_response` branch; None waits for ever."""
    doc = _load(source)
    ask = _ask(doc, step)
    if duration is None:
        if "timeout" in ask:
            del ask["timeout"]
        return _dump(doc)
    written = _duration(duration, step, "The timeout")
    if "timeout" in ask:
        ask["timeout"] = written
    else:
        ask.insert(
            _position_before(ask, ("reminders", "reask", "reasks", "clarify")), "timeout", written
        )
    return _dump(doc)


def add_reminder(source: str, step: str, after: str, text: str, language: str | None = None) -> str:
    """Add a reminder, sent `after` a time from the question, at the end of the step's list."""
    doc = _load(source)
    ask = _ask(doc, step)
    reminders = ask.get("reminders")
    if not isinstance(reminders, CommentedSeq):
        reminders = CommentedSeq()
        ask.insert(_position_before(ask, ("reask", "reasks", "clarify")), "reminders", reminders)
    reminder = CommentedMap(
        [("after", _duration(after, step, "The reminder's time")), ("say", None)]
    )
    reminders.append(reminder)
    _set_text(doc, reminder, "say", _message(text, step, what="The reminder"), language)
    return _dump(doc)


def set_reminder(
    source: str,
    step: str,
    index: int,
    after: str | None,
    text: str | None,
    language: str | None = None,
) -> str:
    """Change reminder `index` (0 is the first): its time and/or its wording (None keeps it)."""
    doc = _load(source)
    reminder = _reminder(doc, step, index)
    if after is not None:
        reminder["after"] = _duration(after, step, "The reminder's time")
    if text is not None:
        _set_text(doc, reminder, "say", _message(text, step, what="The reminder"), language)
    return _dump(doc)


def remove_reminder(source: str, step: str, index: int) -> str:
    """Remove reminder `index` (0 is the first); the last one removed takes `reminders:` too."""
    doc = _load(source)
    _reminder(doc, step, index)
    ask = _ask(doc, step)
    reminders = ask["reminders"]
    del reminders[index]
    if not reminders:
        del ask["reminders"]
    return _dump(doc)


def set_ask_text(source: str, step: str, key: str, text: str, language: str | None = None) -> str:
    """Set a question's own re-ask (`key="reask"`) or clarifying question (`key="clarify"`)."""
    if key not in ("reask", "clarify"):
        raise EditError(f"'{key}' is not a question's message; use 'reask' or 'clarify'.")
    doc = _load(source)
    ask = _ask(doc, step)
    if key not in ask:
        ask[key] = None
    _set_text(doc, ask, key, _message(text, step), language)
    return _dump(doc)


# -- reading and writing the document -----------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    # Never fold a long message over several lines: staff read and diff them whole.
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _load(source: str) -> CommentedMap:
    try:
        doc = _yaml().load(source)
    except YAMLError as exc:
        raise EditError(
            "The flow's text is not YAML the forms can read, so it cannot be changed here; "
            f"fix it in the text first ({exc.__class__.__name__})."
        ) from exc
    if not isinstance(doc, CommentedMap) or not isinstance(doc.get("steps"), CommentedMap):
        raise EditError("The text is not a flow with 'steps:', so it cannot be changed here.")
    return doc


def _dump(doc: CommentedMap) -> str:
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def _step(doc: CommentedMap, step: str) -> CommentedMap:
    value = doc["steps"].get(step)
    if not isinstance(value, CommentedMap):
        raise EditError(f"There is no step called '{step}'.")
    return value


def _ask(doc: CommentedMap, step: str) -> CommentedMap:
    ask = _step(doc, step).get("ask")
    if not isinstance(ask, CommentedMap):
        raise EditError(f"The step '{step}' does not ask a question.")
    return ask


def _choices(doc: CommentedMap, step: str) -> CommentedMap:
    choices = _ask(doc, step).get("choices")
    if not isinstance(choices, CommentedMap):
        raise EditError(f"The step '{step}' does not ask a question with choices.")
    return choices


def _choice(choices: CommentedMap, step: str, key: str) -> Any:
    if key not in choices:
        raise EditError(f"The step '{step}' has no choice called '{key}'.")
    return choices[key]


def _reminder(doc: CommentedMap, step: str, index: int) -> CommentedMap:
    reminders = _ask(doc, step).get("reminders")
    count = len(reminders) if isinstance(reminders, CommentedSeq) else 0
    if not 0 <= index < count:
        raise EditError(
            f"The step '{step}' has {count} reminder{'' if count == 1 else 's'}, "
            f"so there is no reminder {index + 1}."
        )
    assert isinstance(reminders, CommentedSeq)
    reminder = reminders[index]
    if not isinstance(reminder, CommentedMap):
        raise EditError(
            f"Reminder {index + 1} of the step '{step}' is not written as 'after:' and 'say:'."
        )
    return reminder


def _languages(doc: CommentedMap) -> list[str]:
    raw = doc.get("languages", ["en"])
    if isinstance(raw, str):
        return [raw]
    languages = [str(item) for item in raw] if isinstance(raw, list) else []
    return languages or ["en"]


def _say_slots(step_map: CommentedMap) -> list[tuple[Any, Any]]:
    """Where each of a step's messages is written, in the order the engine sends them."""
    slots: list[tuple[Any, Any]] = []
    say = step_map.get("say")
    if isinstance(say, CommentedSeq):
        slots += [(say, position) for position in range(len(say))]
    elif "say" in step_map:
        slots.append((step_map, "say"))
    do = step_map.get("do")
    if isinstance(do, CommentedSeq):
        slots += [(item, "say") for item in do if isinstance(item, CommentedMap) and "say" in item]
    return slots


def _message(text: str, step: str, what: str = "The message") -> str:
    if not isinstance(text, str) or not text.strip():
        raise EditError(f"{what} for the step '{step}' is empty; write some words.")
    return text.strip()


def _words(words: Iterable[str]) -> CommentedSeq:
    if isinstance(words, str):
        words = [words]
    seq = CommentedSeq(dict.fromkeys(w.strip() for w in words if w.strip()))
    seq.fa.set_flow_style()
    return seq


def _flow_map(items: dict[str, Any]) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def _set_text(
    doc: CommentedMap,
    parent: Any,
    key: Any,
    text: str,
    language: str | None,
    *,
    flow_style: bool = False,
    quote: bool = True,
) -> None:
    """Write `text` at parent[key], as plain text or as one language of a per-language text."""
    languages = _languages(doc)
    default = languages[0]
    value: Any = DoubleQuotedScalarString(text) if quote else text
    if language is not None and language not in languages:
        _add_language(doc, language)
        languages = _languages(doc)
    current = parent[key]
    if not isinstance(current, CommentedMap):
        if len(languages) == 1 and language in (None, default):
            parent[key] = value
            return
        mapping = CommentedMap([(default, current)] if isinstance(current, str) else [])
        if flow_style:
            mapping.fa.set_flow_style()
        parent[key] = current = mapping
    current[language or default] = value


def _add_language(doc: CommentedMap, language: str) -> None:
    """Declare a new language, and give every message one text per language from now on."""
    if not _LANGUAGE.match(language):
        raise EditError(f"'{language}' is not a language code; write it like 'pl' or 'pt-BR'.")
    languages = _languages(doc)
    default = languages[0]
    raw = doc.get("languages")
    if isinstance(raw, CommentedSeq):
        raw.append(language)
    else:
        seq = CommentedSeq([*languages, language])
        seq.fa.set_flow_style()
        if "languages" in doc:
            doc["languages"] = seq
        else:
            doc.insert(_position_before(doc, ("start", "steps")), "languages", seq)
    # A text written once is an error in a flow of several languages, and would be dropped;
    # as `{default: text}` it stays, and only the new language is reported missing.
    for step_map in doc["steps"].values():
        if not isinstance(step_map, CommentedMap):
            continue
        for parent, key in _say_slots(step_map):
            _per_language(parent, key, default)
        ask = step_map.get("ask")
        if not isinstance(ask, CommentedMap):
            continue
        for key in ("reask", "clarify"):
            if key in ask:
                _per_language(ask, key, default)
        for reminder in ask.get("reminders") or []:
            if isinstance(reminder, CommentedMap) and "say" in reminder:
                _per_language(reminder, "say", default)
        choices = ask.get("choices")
        if isinstance(choices, CommentedMap):
            for key, value in choices.items():
                if isinstance(value, CommentedMap) and "label" in value:
                    _per_language(value, "label", default, flow_style=True)
                elif isinstance(value, str):
                    _per_language(choices, key, default, flow_style=True)


def _per_language(parent: Any, key: Any, default: str, *, flow_style: bool = False) -> None:
    value = parent[key]
    if isinstance(value, str):
        mapping = CommentedMap([(default, value)])
        if flow_style:
            mapping.fa.set_flow_style()
        parent[key] = mapping


def _check_declared(doc: CommentedMap, language: str, step: str) -> None:
    if language not in _languages(doc):
        raise EditError(
            f"The flow has no '{language}' language yet; add a translation of a message in "
            f"'{language}' first (step '{step}')."
        )


def _duration(value: str, step: str, what: str) -> str:
    try:
        return format_duration(parse_duration(value))
    except DurationError as exc:
        raise EditError(f"{what} for the step '{step}': {exc}") from exc


def _position_before(mapping: CommentedMap, keys: Sequence[str]) -> int:
    for position, key in enumerate(mapping):
        if key in keys:
            return position
    return len(mapping)


def _set_branch(doc: CommentedMap, step: str, branch: str, target: str) -> None:
    step_map = _step(doc, step)
    if target != END and target not in doc["steps"]:
        raise EditError(f"There is no step called '{target}' for the step '{step}' to lead to.")
    if "go" in step_map:
        if branch != "go":
            raise EditError(f"The step '{step}' asks nothing; it carries on with 'go'.")
        step_map["go"] = target
        return
    if "run" in step_map:
        if branch != THEN:
            raise EditError(f"The step '{step}' runs another flow; it carries on with 'then'.")
        step_map["then"] = target
        return
    ask = _ask(doc, step)
    allowed = [*_answers(ask), *_SHARED_BRANCHES]
    if branch not in allowed:
        raise EditError(
            f"'{branch}' is not an answer to the question in the step '{step}'; "
            f"branches can be: {', '.join(allowed)}."
        )
    branches = step_map.get("branches")
    if not isinstance(branches, CommentedMap):
        branches = CommentedMap()
        step_map.insert(_position_after(step_map, "ask"), "branches", branches)
    if branch in branches:
        branches[branch] = target
        return
    # `"yes":` and `"no":` are quoted in hand-written flows, so the forms quote them too.
    key: Any = DoubleQuotedScalarString(branch) if branch in ("yes", "no") else branch
    position = (
        len(branches)
        if branch in _SHARED_BRANCHES
        else _position_before(branches, _SHARED_BRANCHES)
    )
    branches.insert(position, key, target)


def _position_after(mapping: CommentedMap, key: str) -> int:
    return list(mapping).index(key) + 1 if key in mapping else len(mapping)


def _answers(ask: CommentedMap) -> list[str]:
    kind = ask.get("type", "choice" if "choices" in ask else None)
    if kind == "choice":
        choices = ask.get("choices")
        return [str(key) for key in choices] if isinstance(choices, CommentedMap) else []
    if kind == "yes_no":
        return ["yes", "no"]
    return [ANSWERED]


def set_translation(source: str, ref: MessageRef, language: str, text: str) -> str:
    """Write `text` in `language` at the place `ref` names (from `missing_translations`)."""
    if ref.part == MESSAGE:
        return set_message(source, ref.step, text, language, index=ref.index)
    if ref.part == REMINDER:
        return set_reminder(source, ref.step, ref.index, None, text, language)
    if ref.part == CHOICE_LABEL and ref.choice is not None:
        return set_choice_label(source, ref.step, ref.choice, text, language)
    if ref.part in (REASK, CLARIFY):
        return set_ask_text(source, ref.step, ref.part, text, language)
    raise EditError(f"{ref.what} of the step '{ref.step}' cannot be translated here.")
