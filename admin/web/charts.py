"""This module draws bar charts as SVG for the admin's figures: data in, an escaped SVG string
out, with no I/O.

Bars lie across the page, one row of bars per category, so that long labels ("Asked for no
more messages") and twelve weeks both fit at 200% zoom. A chart is an image to assistive
technology (role="img", a title and a description); every bar carries its number in words
beside it, and each series has a pattern as well as a colour, so colour is never the only
signal. The numbers are also given as a table beside the chart by the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

#: Fill colours, one per series (each at least 3:1 against white), and their patterns.
COLOURS = ("#1d4e89", "#00703c", "#8a4b00", "#b10e1e", "#484949")
#: The longest label drawn in full; a longer one ends in "…" (the table has it in full).
LABEL_CHARS = 34
CHAR_WIDTH = 7.2
BAR = 14
GAP = 10
WIDTH = 720
LEGEND = 34
SAFE_ID = re.compile(r"[a-z][a-z0-9-]{0,40}")


@dataclass(frozen=True, slots=True)
class Bars:
    """One series of bars: its name and a count per category."""

    name: str
    values: Sequence[int]


def _x(text: str) -> str:
    """Text escaped for XML, inside elements and attributes alike."""
    return html.escape(text, quote=True)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _pattern(chart_id: str, index: int) -> str:
    """A fill for series `index`: solid, striped, dotted, cross-hatched or checked, in its
    colour, so that series differ by more than colour."""
    colour = COLOURS[index % len(COLOURS)]
    pid = f"{chart_id}-s{index}"
    kind = index % 5
    if kind == 0:
        marks = ""
    elif kind == 1:
        marks = '<path d="M0 6 L6 0" stroke="#ffffff" stroke-width="1.5"/>'
    elif kind == 2:
        marks = '<circle cx="3" cy="3" r="1.3" fill="#ffffff"/>'
    elif kind == 3:
        marks = '<path d="M0 0 L6 6 M0 6 L6 0" stroke="#ffffff" stroke-width="1"/>'
    else:
        marks = '<rect x="0" y="0" width="3" height="3" fill="#ffffff"/>'
    return (
        f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
    )


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Bars],
) -> Markup:
    """A grouped horizontal bar chart. `chart_id` names its parts (letters, digits, dashes),
    so several charts can share a page."""
    if not SAFE_ID.fullmatch(chart_id):
        raise ValueError(f"A chart's id must be lower-case letters, digits or dashes: {chart_id!r}")
    if any(len(s.values) != len(categories) for s in series):
        raise ValueError("Every series needs one value per category.")
    label_width = int(min(max((len(c) for c in categories), default=4), LABEL_CHARS) * CHAR_WIDTH)
    label_width = max(label_width, 60) + 12
    plot = WIDTH - label_width - 60
    most = max((v for s in series for v in s.values), default=0) or 1
    group = len(series) * BAR + GAP
    height = LEGEND + max(len(categories), 1) * group + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" class="chart"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{_x(title)}</title>',
        f'<desc id="{chart_id}-desc">{_x(description)}</desc>',
        "<defs>",
        *(_pattern(chart_id, i) for i in range(len(series))),
        "</defs>",
    ]
    x = label_width
    for index, bars in enumerate(series):
        parts.append(
            f'<rect x="{x}" y="8" width="14" height="14" fill="url(#{chart_id}-s{index})"'
            ' stroke="#0b0c0c"/>'
            f'<text x="{x + 20}" y="20" font-size="14" fill="#0b0c0c">{_x(bars.name)}</text>'
        )
        x += 20 + int(len(bars.name) * CHAR_WIDTH) + 24
    for row, category in enumerate(categories):
        top = LEGEND + row * group
        middle = top + len(series) * BAR / 2 + 4
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:.0f}" font-size="13" text-anchor="end"'
            f' fill="#0b0c0c">{_x(_short(category))}</text>'
        )
        for index, bars in enumerate(series):
            value = bars.values[row]
            y = top + index * BAR
            width = round(plot * value / most)
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{width}" height="{BAR - 2}"'
                f' fill="url(#{chart_id}-s{index})"/>'
                f'<text x="{label_width + width + 5}" y="{y + BAR - 3}" font-size="12"'
                f' fill="#0b0c0c">{value}</text>'
            )
    parts.append(
        f'<line x1="{label_width}" y1="{LEGEND - 4}" x2="{label_width}" y2="{height - 6}"'
        ' stroke="#0b0c0c"/>'
    )
    parts.append("</svg>")
    # Every piece of text above went through _x; only now is the whole marked safe.
    return Markup("".join(parts))
