"""This module draws a flow as an SVG picture: steps as boxes, branches as labelled arrows."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from flows.durations import format_duration
from flows.types import (
    ANSWERED,
    END,
    NO_RESPONSE,
    OTHER,
    THEN,
    AskKind,
    Branches,
    End,
    Flow,
    Goto,
    RunFlow,
    Step,
)
from flows.validation.graph import check_graph

#: How much of a step's first message its box shows.
MESSAGE_CHARS = 40

_BOX_WIDTH = 280
_LINE_HEIGHT = 16
_PADDING = 10
_GAP_X = 40
_GAP_Y = 70
_MARGIN = 20
#: Room on the right for arrows that go back up to an earlier step.
_LOOP_ROOM = 60
#: Presentation attributes, not a style="" one: the admin's Content-Security-Policy refuses
#: inline styles, and the picture is drawn inside its pages.
_FONT = 'font-family="Arial,Helvetica,sans-serif" font-size="12"'

# Characters XML 1.0 cannot hold at all, even escaped; staff text is shown without them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: Plain names for the branches every question has, as staff see them on the arrows.
_BRANCH_WORDS = {
    OTHER: "not understood",
    NO_RESPONSE: "no reply",
    THEN: "any other answer",
    ANSWERED: "answered",
}


@dataclass
class _Node:
    key: str
    lines: list[tuple[str, bool]]
    ended: bool = False
    dashed: bool = False
    marked: bool = False
    layer: int = 0
    x: float = 0
    y: float = 0

    @property
    def height(self) -> float:
        return 2 * _PADDING + _LINE_HEIGHT * len(self.lines)


@dataclass(frozen=True, slots=True)
class _Arrow:
    source: str
    target: str
    label: str


@dataclass
class _Picture:
    nodes: dict[str, _Node] = field(default_factory=dict)
    arrows: list[_Arrow] = field(default_factory=list)


def flow_svg(flow: Flow) -> str:
    """Draw `flow` as a standalone, accessible SVG document (as text)."""
    problems = check_graph(flow)
    unreachable = [p.step for p in problems if p.code == "unreachable" and p.step]
    dead_ends = list(
        dict.fromkeys(
            p.step
            for p in problems
            if p.code in ("dead_end", "missing_step", "missing_branch") and p.step
        )
    )
    picture = _picture(flow, set(unreachable), set(dead_ends))
    _lay_out(flow, picture)
    prefix = f"flow-{re.sub(r'[^A-Za-z0-9_-]', '_', flow.id)}"
    title = f"Picture of the flow {flow.name}"
    summary = _summary(flow, unreachable, dead_ends)
    width, height = _size(picture)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'viewBox="0 0 {width:g} {height:g}" width="{width:g}" height="{height:g}">',
        f'<title id="{prefix}-title">{_xml(title)}</title>',
        f'<desc id="{prefix}-desc">{_xml(summary)}</desc>',
        "<defs>"
        f'<marker id="{prefix}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#222"/></marker></defs>',
    ]
    parts += _draw_arrows(picture, prefix)
    for node in picture.nodes.values():
        parts += _draw_node(node)
    parts.append("</svg>")
    return "\n".join(parts)


def _picture(flow: Flow, unreachable: set[str], dead_ends: set[str]) -> _Picture:
    picture = _Picture()
    for step in flow.steps.values():
        lines = [(step.id, True), (_first_message(flow, step), False)]
        ending = _ending(step)
        if ending:
            lines.append((ending, False))
        if step.id in unreachable:
            lines.append(("unreachable: nothing leads here", True))
        if step.id in dead_ends:
            lines.append(("dead end: " + _why_dead_end(flow, step), True))
        picture.nodes[step.id] = _Node(
            step.id,
            lines,
            ended=isinstance(step.exit, End),
            dashed=step.id in unreachable,
            marked=step.id in dead_ends,
        )
    arrows: dict[tuple[str, str], list[str]] = {}
    for step in flow.steps.values():
        for target, label in _exits(flow, step):
            if target == END:
                key = f"{step.id}\x00end"
                picture.nodes.setdefault(key, _Node(key, [("end", True)], ended=True))
            elif target not in flow.steps:
                key = f"\x00missing\x00{target}"
                picture.nodes.setdefault(
                    key,
                    _Node(key, [(f"no step called '{target}'", True)], dashed=True, marked=True),
                )
            else:
                key = target
            arrows.setdefault((step.id, key), []).append(label)
    # Two answers that lead to the same place share one arrow, labelled with both.
    picture.arrows = [
        _Arrow(source, target, ", ".join(dict.fromkeys(labels)))
        for (source, target), labels in arrows.items()
    ]
    return picture


def _first_message(flow: Flow, step: Step) -> str:
    for call in step.actions:
        if call.kind == "say":
            templates = call.params.text.templates
            text = templates.get(flow.default_language) or next(iter(templates.values()), "")
            return _shorten(str(text))
    if step.actions:
        return "(no message; does " + ", ".join(c.kind for c in step.actions) + ")"
    return "(no message)"


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MESSAGE_CHARS:
        return text
    return text[: MESSAGE_CHARS - 1].rstrip() + "…"


def _ending(step: Step) -> str:
    exit_ = step.exit
    if isinstance(exit_, End):
        return f"ends: {exit_.outcome}"
    if isinstance(exit_, Branches):
        timeout = exit_.ask.timeout
        wait = f", waits {format_duration(timeout)}" if timeout else ""
        return f"asks ({exit_.ask.kind}){wait}"
    if isinstance(exit_, RunFlow):
        return f"runs the flow {exit_.flow_id}"
    return ""


def _why_dead_end(flow: Flow, step: Step) -> str:
    if step.exit is None:
        return "no way on"
    if any(target != END and target not in flow.steps for target, _ in _exits(flow, step)):
        return "leads nowhere"
    return "an answer has no branch"


def _exits(flow: Flow, step: Step) -> Iterator[tuple[str, str]]:
    exit_ = step.exit
    if isinstance(exit_, Goto):
        yield exit_.target, "next"
    elif isinstance(exit_, RunFlow):
        yield exit_.then, f"after {exit_.flow_id}"
    elif isinstance(exit_, Branches):
        labels = {c.id: c.labels.get(flow.default_language, c.id) for c in exit_.ask.choices}
        for outcome, target in exit_.targets.items():
            if exit_.ask.kind is AskKind.CHOICE and outcome in labels:
                label = labels[outcome]
            else:
                label = _BRANCH_WORDS.get(outcome, outcome)
            yield target, label


def _lay_out(flow: Flow, picture: _Picture) -> None:
    """Layer each box by its distance from the start; boxes nothing reaches go below."""
    following: dict[str, list[str]] = {key: [] for key in picture.nodes}
    for arrow in picture.arrows:
        if arrow.target not in following[arrow.source]:
            following[arrow.source].append(arrow.target)
    layers: dict[str, int] = {}
    roots = [flow.start] if flow.start in picture.nodes else []
    depth = 0
    for root in [*roots, *flow.steps]:
        if root in layers:
            continue
        layers[root] = depth
        queue = deque([root])
        while queue:
            key = queue.popleft()
            for target in following[key]:
                if target not in layers:
                    layers[target] = layers[key] + 1
                    queue.append(target)
        depth = max(layers.values()) + 1
    rows: dict[int, list[_Node]] = {}
    for key, layer in layers.items():
        node = picture.nodes[key]
        node.layer = layer
        rows.setdefault(layer, []).append(node)
    y = float(_MARGIN)
    for layer in sorted(rows):
        row = rows[layer]
        for index, node in enumerate(row):
            node.x = _MARGIN + index * (_BOX_WIDTH + _GAP_X)
            node.y = y
        y += max(node.height for node in row) + _GAP_Y


def _size(picture: _Picture) -> tuple[float, float]:
    right = max((node.x + _BOX_WIDTH for node in picture.nodes.values()), default=0)
    bottom = max((node.y + node.height for node in picture.nodes.values()), default=0)
    return right + _MARGIN + _LOOP_ROOM, bottom + _MARGIN


def _summary(flow: Flow, unreachable: list[str], dead_ends: list[str]) -> str:
    count = len(flow.steps)
    parts = [f"{count} step{'' if count == 1 else 's'}, starting at {flow.start}"]
    if unreachable:
        parts.append(f"{len(unreachable)} unreachable: {', '.join(unreachable)}")
    if dead_ends:
        parts.append(
            f"{len(dead_ends)} dead end{'' if len(dead_ends) == 1 else 's'}: "
            + ", ".join(dead_ends)
        )
    ends = sum(isinstance(step.exit, End) for step in flow.steps.values())
    parts.append(f"{ends} step{'' if ends == 1 else 's'} end the flow")
    return "; ".join(parts) + "."


def _draw_node(node: _Node) -> list[str]:
    style = 'stroke="#222" stroke-width="1.5"'
    if node.marked:
        style = 'stroke="#b00020" stroke-width="3"'
    if node.dashed:
        style += ' stroke-dasharray="6 4"'
    fill = "#f3f3f3" if node.ended else "#ffffff"
    corner = ' rx="14"' if node.ended else ' rx="3"'
    parts = [
        f'<g class="step"><rect x="{node.x:g}" y="{node.y:g}" width="{_BOX_WIDTH}" '
        f'height="{node.height:g}"{corner} fill="{fill}" {style}/>'
    ]
    for index, (text, bold) in enumerate(node.lines):
        y = node.y + _PADDING + _LINE_HEIGHT * (index + 1) - 4
        weight = ' font-weight="bold"' if bold else ""
        parts.append(
            f'<text x="{node.x + _PADDING:g}" y="{y:g}" {_FONT} fill="#111"'
            f"{weight}>{_xml(text)}</text>"
        )
    parts.append("</g>")
    return parts


def _draw_arrows(picture: _Picture, prefix: str) -> list[str]:
    outgoing: dict[str, list[_Arrow]] = {}
    for arrow in picture.arrows:
        outgoing.setdefault(arrow.source, []).append(arrow)
    parts: list[str] = []
    for source_key, arrows in outgoing.items():
        source = picture.nodes[source_key]
        for index, arrow in enumerate(arrows):
            target = picture.nodes[arrow.target]
            start_x = source.x + _BOX_WIDTH * (index + 1) / (len(arrows) + 1)
            if target.layer > source.layer:
                start_y = source.y + source.height
                end_x, end_y = target.x + _BOX_WIDTH / 2, target.y
                path = f"M {start_x:g} {start_y:g} L {end_x:g} {end_y:g}"
                label_x = start_x + (end_x - start_x) * 0.3
                label_y = start_y + (end_y - start_y) * 0.3
            elif target.layer == source.layer:
                # Along the same row: dip below it, so the arrow crosses no box in between.
                start_y = source.y + source.height
                end_x, end_y = target.x + _BOX_WIDTH / 2, target.y + target.height
                low = max(start_y, end_y) + _GAP_Y / 2
                path = (
                    f"M {start_x:g} {start_y:g} C {start_x:g} {low:g} "
                    f"{end_x:g} {low:g} {end_x:g} {end_y:g}"
                )
                label_x, label_y = (start_x + end_x) / 2, low - 4
            else:
                # Back to an earlier layer: round the right-hand side.
                start_x, start_y = source.x + _BOX_WIDTH, source.y + source.height / 2
                end_x, end_y = target.x + _BOX_WIDTH, target.y + target.height / 2
                bulge = max(start_x, end_x) + _LOOP_ROOM
                path = (
                    f"M {start_x:g} {start_y:g} C {bulge:g} {start_y:g} "
                    f"{bulge:g} {end_y:g} {end_x:g} {end_y:g}"
                )
                label_x, label_y = bulge - 20, (start_y + end_y) / 2
            parts.append(
                f'<g class="branch"><path d="{path}" fill="none" stroke="#222" '
                f'stroke-width="1.5" marker-end="url(#{prefix}-arrow)"/>'
                f'<text x="{label_x:g}" y="{label_y:g}" {_FONT} fill="#111" '
                f'stroke="#fff" stroke-width="4" paint-order="stroke" '
                f'text-anchor="middle">{_xml(arrow.label)}</text></g>'
            )
    return parts


def _xml(text: str) -> str:
    """Staff-typed text, safe inside an XML element or a double-quoted attribute."""
    return escape(_NOT_XML.sub("", text), {'"': "&quot;", "'": "&apos;"})
