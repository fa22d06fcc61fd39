"""This module loads YAML into plain dicts and lists that remember the line of every key and item.

Staff write flows by hand, so the loader is deliberately plainer than YAML 1.1: only `true` and
`false` are booleans (so a branch called `no:` stays the word "no"), times like `12:30` stay
text, and anchors, aliases and duplicate keys are refused with a message saying where.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

#: Flow files are short documents; anything bigger is a mistake (or an attack on the parser).
MAX_FILE_BYTES = 512 * 1024
#: How many lists and mappings may sit inside each other. A flow needs about ten and a scenario
#: file a few more; the limit is far below what would exhaust Python's stack while composing.
MAX_DEPTH = 50


class YamlFileError(Exception):
    """The file is not YAML we can read. `line` is 1-based where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _AliasFound(Exception):
    pass


class LocatedDict(dict[str, Any]):
    """A mapping from the file, with the line of the mapping and of each key."""

    line: int
    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A sequence from the file, with the line of the sequence and of each item."""

    line: int
    item_lines: list[int]


_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")


def _scalar(node: ScalarNode) -> Any:
    value: str = node.value
    if node.style is not None:  # quoted or block text is always text
        return value
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _build(node: Node, seen: set[int]) -> Any:
    # An alias is the same node reached twice; refusing it keeps a tiny file from expanding into
    # a huge one, and keeps every step's text written out where it is used.
    if id(node) in seen:
        raise _AliasFound
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        items = LocatedList(_build(child, seen) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items
    if isinstance(node, MappingNode):
        mapping = LocatedDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                raise YamlFileError("A key must be a plain word, not a list or a mapping.", line)
            key = "" if key_node.value == "" else str(_scalar(key_node))
            if key in mapping:
                first = mapping.key_lines[key]
                raise YamlFileError(
                    f"'{key}' appears twice in the same place (lines {first} and {line}); "
                    "keep one.",
                    line,
                )
            mapping[key] = _build(value_node, seen)
            mapping.key_lines[key] = line
        return mapping
    raise YamlFileError("This part of the file is not plain YAML.", node.start_mark.line + 1)


def load_yaml(text: str) -> Any:
    """Parse one YAML document; raise `YamlFileError` with a plain message when it can't be read."""
    if len(text.encode("utf-8", errors="replace")) > MAX_FILE_BYTES:
        raise YamlFileError(
            f"The file is larger than {MAX_FILE_BYTES // 1024} KB; a flow should be far smaller. "
            "Split it into several flows."
        )
    try:
        # PyYAML composes nodes recursively, so depth is checked on the flat event stream first.
        _check_depth(text)
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "it could not be read"
        raise YamlFileError(
            f"This is not valid YAML: {what}. Check the indentation near this line, and that "
            "every ':' is followed by a space.",
            line,
        ) from exc
    except yaml.YAMLError as exc:
        raise YamlFileError(f"This is not valid YAML: {exc}.") from exc
    if len(nodes) > 1:
        raise YamlFileError(
            "The file holds more than one YAML document (a line with only '---' in it); "
            "keep one flow per file.",
            nodes[1].start_mark.line + 1,
        )
    if not nodes or nodes[0] is None:
        return None
    try:
        return _build(nodes[0], set())
    except _AliasFound:
        raise YamlFileError(
            "Anchors and aliases ('&name', '*name') are not supported in flow files; "
            "write the text out in full.",
            _first_alias_line(text),
        ) from None


def _check_depth(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                line = int(event.start_mark.line) + 1 if event.start_mark else None
                where = f" at line {line}" if line else ""
                raise YamlFileError(
                    f"The file is too deeply nested{where}: more than {MAX_DEPTH} lists "
                    "and mappings sit inside each other there. A flow needs far fewer; check "
                    "the brackets and the indentation.",
                    line,
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _first_alias_line(text: str) -> int | None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) and event.start_mark is not None:
            return int(event.start_mark.line) + 1
    return None
