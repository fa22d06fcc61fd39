"""This module compiles a flow document (already loaded from YAML) into a `Flow`.

It checks shapes and types as it goes and records every problem with its line and step; the
graph, template and SMS checks that need the whole flow live in `flows.validation`.
"""

from __future__ import annotations

from typing import Any

from flows.actions import REGISTRY
from flows.format.reader import Reader, describe_type, line_of
from flows.format.versions import FormatVersionError, upgrade
from flows.format.yaml_loader import LocatedDict
from flows.problems import Problem
from flows.types import (
    DEFAULT_PURPOSE,
    END,
    NO_RESPONSE,
    OTHER,
    PURPOSES,
    THEN,
    ActionCall,
    Ask,
    AskKind,
    Branches,
    Choice,
    End,
    Exit,
    Flow,
    Goto,
    Reminder,
    RunFlow,
    Step,
)

FLOW_KEYS = ("format", "id", "name", "description", "purpose", "languages", "start", "steps")
STEP_KEYS = ("say", "do", "ask", "branches", "go", "run", "then", "end", "note")
ASK_KEYS = (
    "type",
    "choices",
    "save_as",
    "timeout",
    "reminders",
    "reask",
    "reasks",
    "clarify",
    "min",
    "max",
)
CHOICE_KEYS = ("label", "words", "emoji")
#: How many times a question is asked again, at most, when staff don't say.
DEFAULT_REASKS = 2
MAX_REASKS = 5


def parse_flow(document: Any) -> tuple[Flow | None, list[Problem]]:
    """Compile a loaded document; the flow is None when it has errors too basic to go on."""
    reader = Reader(languages=("en",))
    if not isinstance(document, LocatedDict):
        what = "empty" if document is None else describe_type(document)
        reader.error(
            "not_a_flow",
            f"The file is {what}; a flow file starts with lines such as 'format: 1', "
            "'id: weekly_checkin', 'name: …', 'languages: [en]', 'start: …' and 'steps:'.",
            getattr(document, "line", 1),
        )
        return None, reader.problems
    try:
        document = upgrade(document)
    except FormatVersionError as exc:
        reader.error("bad_format", str(exc), line_of(document, "format", 1))
        return None, reader.problems
    reader.known_keys(document, FLOW_KEYS, "The flow")

    flow_id = reader.identifier(document.get("id"), "The flow's id", line_of(document, "id", 1))
    name = document.get("name", flow_id)
    if not isinstance(name, str):
        reader.error("wrong_type", "The flow's name should be text.", line_of(document, "name"))
        name = flow_id or ""
    purpose = _purpose(document, reader)
    languages = _languages(document, reader)
    reader.languages = languages
    start = document.get("start")
    if start is None:
        reader.error(
            "missing_start",
            "The flow has no 'start'. Add 'start: <step name>' naming the first step.",
            1,
        )
    elif not isinstance(start, str):
        reader.error("wrong_type", "'start' should name a step.", line_of(document, "start"))
        start = None
    steps_raw = document.get("steps")
    steps: dict[str, Step] = {}
    if isinstance(steps_raw, LocatedDict) and steps_raw:
        for step_id, raw in steps_raw.items():
            step = _step(step_id, raw, line_of(steps_raw, step_id), reader)
            if step is not None:
                steps[step_id] = step
        reader.step = None
    else:
        reader.error(
            "no_steps",
            "The flow has no steps. Add 'steps:' with at least one step under it.",
            line_of(document, "steps", 1),
        )
    if flow_id is None or start is None:
        return None, reader.problems
    description = document.get("description", "")
    return (
        Flow(
            id=flow_id,
            name=name,
            languages=languages,
            start=start,
            steps=steps,
            format=int(document["format"]),
            description=description if isinstance(description, str) else "",
            purpose=purpose,
        ),
        reader.problems,
    )


def _purpose(document: LocatedDict, reader: Reader) -> str:
    if "purpose" not in document:
        return DEFAULT_PURPOSE
    raw = document["purpose"]
    if isinstance(raw, str) and raw.strip() in PURPOSES:
        return raw.strip()
    given = f"'{raw}'" if isinstance(raw, str) else describe_type(raw)
    reader.error(
        "bad_purpose",
        f"'purpose' should be one of {', '.join(PURPOSES)}, not {given}. It says what the "
        "flow's messages are for, so Companion can check the resident agreed to them; "
        "'service' (onboarding, help) needs no agreement.",
        line_of(document, "purpose", 1),
    )
    return DEFAULT_PURPOSE


def _languages(document: LocatedDict, reader: Reader) -> tuple[str, ...]:
    raw = document.get("languages", ["en"])
    line = line_of(document, "languages", 1)
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
        reader.error(
            "bad_languages",
            "'languages' should list language codes, e.g. '[en]' or '[en, pl]'.",
            line,
        )
        return ("en",)
    if len(set(raw)) != len(raw):
        reader.error("bad_languages", "A language is listed twice in 'languages'.", line)
    return tuple(dict.fromkeys(raw))


def _step(step_id: Any, raw: Any, line: int | None, reader: Reader) -> Step | None:
    reader.step = str(step_id)
    if reader.identifier(step_id, "The step's name", line) is None:
        return None
    if step_id == END:
        reader.error("reserved_name", "'end' is reserved for finishing the flow; rename it.", line)
        return None
    body = reader.mapping(raw, "A step", line)
    if body is None:
        return None
    reader.known_keys(body, STEP_KEYS, "The step")
    actions: list[ActionCall] = []
    if "say" in body:
        for item, item_line in reader.items(body["say"], "'say'", line_of(body, "say", line)):
            params = REGISTRY["say"].parse(item, reader, item_line)
            if params is not None:
                actions.append(ActionCall("say", params, item_line))
    if "do" in body:
        for item, item_line in reader.items(body["do"], "'do'", line_of(body, "do", line)):
            call = _action(item, item_line, reader)
            if call is not None:
                actions.append(call)
    return Step(str(step_id), tuple(actions), _exit(body, line, reader), line)


def _action(raw: Any, line: int | None, reader: Reader) -> ActionCall | None:
    if not isinstance(raw, LocatedDict) or len(raw) != 1:
        reader.error(
            "bad_action",
            "Each entry under 'do' is one action, written 'action_name: settings', e.g. "
            "'- alert_catalyst: {reason: …}'.",
            line,
        )
        return None
    ((kind, params),) = raw.items()
    action = REGISTRY.get(kind)
    if action is None:
        reader.error(
            "unknown_action",
            f"'{kind}' is not an action Companion knows. Actions: {', '.join(REGISTRY)}.",
            line,
        )
        return None
    parsed = action.parse(params, reader, line)
    return ActionCall(kind, parsed, line) if parsed is not None else None


def _exit(body: LocatedDict, line: int | None, reader: Reader) -> Exit | None:
    present = [key for key in ("ask", "go", "run", "end") if key in body]
    if len(present) > 1:
        reader.error(
            "two_exits",
            f"The step has both '{present[0]}' and '{present[1]}'; a step ends in one way only.",
            line_of(body, present[1], line),
        )
        return None
    if "branches" in body and "ask" not in body:
        reader.error(
            "branches_without_ask",
            "'branches' only follow an 'ask'; use 'go: <step>' to move on without a question.",
            line_of(body, "branches", line),
        )
    if "then" in body and "run" not in body:
        reader.error(
            "then_without_run",
            "'then' only follows 'run'; use 'go: <step>' to move on.",
            line_of(body, "then", line),
        )
    if not present:
        return None  # a dead end, reported by validation with the graph in view
    key = present[0]
    key_line = line_of(body, key, line)
    if key == "go":
        target = reader.string(body["go"], "'go'", key_line)
        return Goto(target, key_line) if target else None
    if key == "end":
        value = body["end"]
        outcome = "completed" if value is True or value is None else value
        name = reader.identifier(outcome, "The outcome after 'end'", key_line)
        return End(name, key_line) if name else None
    if key == "run":
        flow_id = reader.identifier(body["run"], "The flow to run", key_line)
        then = body.get("then")
        if then is None:
            reader.error(
                "run_without_then",
                "After 'run', say where to carry on with 'then: <step>' (or 'then: end').",
                key_line,
            )
            return None
        then_id = reader.string(then, "'then'", line_of(body, "then", key_line))
        return RunFlow(flow_id, then_id, key_line) if flow_id and then_id else None
    ask = _ask(body["ask"], key_line, reader)
    if ask is None:
        return None
    return _branches(ask, body.get("branches"), line_of(body, "branches", key_line), reader)


def _ask(raw: Any, line: int | None, reader: Reader) -> Ask | None:
    body = reader.mapping(raw, "'ask'", line)
    if body is None:
        return None
    reader.known_keys(body, ASK_KEYS, "'ask'")
    kind_raw = body.get("type", "choice" if "choices" in body else None)
    try:
        kind = AskKind(str(kind_raw))
    except ValueError:
        kinds = ", ".join(kind.value for kind in AskKind)
        reader.error(
            "bad_ask_type",
            f"'type' should be one of {kinds}" + (f", not '{kind_raw}'." if kind_raw else "."),
            line_of(body, "type", line),
        )
        return None
    choices = _choices(body, line, reader) if kind is AskKind.CHOICE else ()
    if kind is not AskKind.CHOICE and "choices" in body:
        reader.error(
            "choices_not_used",
            f"A '{kind}' question has no choices; remove 'choices' or use 'type: choice'.",
            line_of(body, "choices", line),
        )
    save_as = None
    if "save_as" in body:
        save_as = reader.identifier(body["save_as"], "save_as", line_of(body, "save_as", line))
    timeout = None
    if "timeout" in body:
        timeout = reader.duration(body["timeout"], "timeout", line_of(body, "timeout", line))
    reminders: list[Reminder] = []
    if "reminders" in body:
        rem_line = line_of(body, "reminders", line)
        for item, item_line in reader.items(body["reminders"], "'reminders'", rem_line):
            reminder = _reminder(item, item_line, reader)
            if reminder is not None:
                reminders.append(reminder)
    reasks = body.get("reasks", DEFAULT_REASKS)
    if not isinstance(reasks, int) or isinstance(reasks, bool) or not 0 <= reasks <= MAX_REASKS:
        reader.error(
            "bad_value",
            f"'reasks' is how many times to ask again; use a number from 0 to {MAX_REASKS}.",
            line_of(body, "reasks", line),
        )
        reasks = DEFAULT_REASKS
    bounds = {}
    for key in ("min", "max"):
        value = body.get(key)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            reader.error("bad_value", f"'{key}' should be a number.", line_of(body, key, line))
        elif value is not None:
            bounds[key] = float(value)
    return Ask(
        kind=kind,
        choices=choices,
        save_as=save_as,
        timeout=timeout,
        reminders=tuple(reminders),
        reask=_optional_text(body, "reask", "The re-ask", line, reader),
        max_reasks=reasks,
        clarify=_optional_text(body, "clarify", "The clarifying question", line, reader),
        minimum=bounds.get("min"),
        maximum=bounds.get("max"),
        line=line,
    )


def _optional_text(body: LocatedDict, key: str, what: str, line: int | None, reader: Reader) -> Any:
    if key not in body:
        return None
    return reader.text(body[key], what, line_of(body, key, line))


def _choices(body: LocatedDict, line: int | None, reader: Reader) -> tuple[Choice, ...]:
    raw = reader.mapping(body.get("choices"), "'choices'", line_of(body, "choices", line))
    if raw is None:
        return ()
    if len(raw) < 2:
        reader.error("too_few_choices", "A choice question needs at least two choices.", raw.line)
    choices = []
    for number, (choice_id, value) in enumerate(raw.items(), start=1):
        choice_line = line_of(raw, choice_id, raw.line)
        if reader.identifier(choice_id, "A choice's name", choice_line) is None:
            continue
        if choice_id in (OTHER, NO_RESPONSE, THEN):
            reader.error(
                "reserved_name",
                f"'{choice_id}' is a branch every question has; give the choice another name.",
                choice_line,
            )
            continue
        spec = value if isinstance(value, LocatedDict) else None
        if spec is not None and "label" not in spec and set(spec) - set(CHOICE_KEYS):
            spec = None  # a {en: …, pl: …} label written directly
        label_raw = spec.get("label") if spec is not None else value
        label = reader.text(label_raw, f"The label of choice '{choice_id}'", choice_line)
        if label is None:
            continue
        words: dict[str, tuple[str, ...]] = {}
        emoji: tuple[str, ...] = ()
        if spec is not None:
            reader.known_keys(spec, CHOICE_KEYS, f"Choice '{choice_id}'")
            words = _words(spec.get("words"), line_of(spec, "words", choice_line), reader)
            emoji = (
                tuple(
                    str(item)
                    for item, _ in reader.items(spec["emoji"], "'emoji'", line_of(spec, "emoji"))
                )
                if "emoji" in spec
                else ()
            )
        choices.append(Choice(choice_id, number, dict(label.templates), words, emoji, choice_line))
    return tuple(choices)


def _words(raw: Any, line: int | None, reader: Reader) -> dict[str, tuple[str, ...]]:
    """Synonyms: a list for a one-language flow, or `{language: [words]}`."""
    if raw is None:
        return {}
    if isinstance(raw, LocatedDict):
        result = {}
        for lang, items in raw.items():
            if lang not in reader.languages:
                reader.error(
                    "unknown_language",
                    f"'words' has a '{lang}' list, but the flow's languages are "
                    f"{', '.join(reader.languages)}.",
                    line_of(raw, lang, line),
                )
                continue
            result[lang] = tuple(str(item) for item, _ in reader.items(items, "'words'", line))
        return result
    return {reader.languages[0]: tuple(str(item) for item, _ in reader.items(raw, "'words'", line))}


def _reminder(raw: Any, line: int | None, reader: Reader) -> Reminder | None:
    body = reader.mapping(raw, "A reminder", line)
    if body is None:
        return None
    reader.known_keys(body, ("after", "say"), "A reminder")
    after = reader.duration(
        body.get("after"), "The reminder's 'after'", line_of(body, "after", line)
    )
    text = reader.text(body.get("say"), "The reminder", line_of(body, "say", line))
    return Reminder(after, text, line) if after and text else None


def _branches(ask: Ask, raw: Any, line: int | None, reader: Reader) -> Branches | None:
    if raw is None:
        reader.error(
            "missing_branches",
            "After 'ask', say where each answer goes with 'branches:' "
            f"({', '.join(ask.outcomes())}; 'then' covers any not named).",
            line,
        )
        return None
    body = reader.mapping(raw, "'branches'", line)
    if body is None:
        return None
    targets: dict[str, str] = {}
    lines: dict[str, int | None] = {}
    allowed = (*ask.outcomes(), THEN)
    for outcome, target in body.items():
        out_line = line_of(body, outcome, line)
        if outcome not in allowed:
            reader.error(
                "unknown_branch",
                f"'{outcome}' is not an answer to this question; branches can be: "
                f"{', '.join(allowed)}.",
                out_line,
            )
            continue
        name = reader.string(target, f"The branch '{outcome}'", out_line)
        if name:
            targets[outcome] = name
            lines[outcome] = out_line
    return Branches(ask, targets, line, lines)
